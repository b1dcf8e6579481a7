"""Field helpers: every scenario field carries a unit, a source and, where known, a plausible range.

``param`` wraps ``pydantic.Field`` so that a field cannot be declared without saying where its
default comes from. A source that begins with ``"assumption"`` marks a number with no public
measurement behind it; the report lists those separately and the sensitivity analysis uses their
``plausible`` range.

One rule for numbers: every numeric field is finite and inside a stated range. ``Params`` refuses
NaN and infinities everywhere (pydantic ``allow_inf_nan=False``, which reaches the numbers inside
mappings and tuples too), and ``param`` refuses to declare a numeric field (a number, or a mapping
or tuple of numbers) without both a lower and an upper bound. A container's bounds apply to each
number in it and are checked by ``Params``'s one field validator.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from scrutiny._registry import Registry

__all__ = [
    "validate_at",
    "Params", "ComponentParams", "RegistryTag", "param", "component", "components", "registry_of", "mix_validator",
    "keyed_validator", "describe_range", "allowed_range",
]

#: Key of a container field's per-number bounds in its ``json_schema_extra``.
EACH = "each"


def _numbers(value: Any, where: str = "") -> Iterator[tuple[str, float]]:
    """Yield ``(where, number)`` for every number in a value (a number, or nested mappings and sequences)."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield where, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _numbers(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _numbers(v, f"{where}[{i}]")


def describe_range(ge: float | None = None, gt: float | None = None, le: float | None = None,
                   lt: float | None = None) -> str:
    """``[0, 1]``, ``(0, 100]``: the range the bounds allow, in interval notation.

    Examples:
        >>> describe_range(ge=0.0, le=1.0), describe_range(gt=0, le=1e6)
        ('[0, 1]', '(0, 1e+06]')
    """
    def show(x: float) -> str:
        return str(x) if isinstance(x, int) and abs(x) < 10**6 else f"{x:g}"

    left = f"[{show(ge)}" if ge is not None else f"({show(gt)}"
    right = f"{show(le)}]" if le is not None else f"{show(lt)})"
    return f"{left}, {right}"


def allowed_range(info: Any) -> str:
    """The range a field's numbers must lie in (``[0, 1]``, ``each in [0, 1]``), or ``""`` for a non-numeric field."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if extra.get(EACH):
        return f"each in {describe_range(**extra[EACH])}"
    bounds = {k: getattr(m, k) for m in info.metadata for k in ("ge", "gt", "le", "lt")
              if getattr(m, k, None) is not None}
    return describe_range(**bounds) if len(bounds) == 2 else ""


def _within(x: float, ge: float | None = None, gt: float | None = None, le: float | None = None,
            lt: float | None = None) -> bool:
    return (math.isfinite(x) and (ge is None or x >= ge) and (gt is None or x > gt)
            and (le is None or x <= le) and (lt is None or x < lt))


class Params(BaseModel):
    """Base of every parameter block: immutable, closed (unknown keys are errors), numbers finite."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True, allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def _each_number_within_bounds(cls, value: Any, info: ValidationInfo) -> Any:
        """Check the numbers inside a mapping or tuple field against the field's per-number bounds."""
        extra = cls.model_fields[info.field_name].json_schema_extra
        bounds = extra.get(EACH) if isinstance(extra, dict) else None
        if bounds:
            bad = [f"{where} = {x!r}" for where, x in _numbers(value) if not _within(x, **bounds)]
            if bad:
                shown = "; ".join(bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else "")
                raise ValueError(f"every value must lie in {describe_range(**bounds)}; out of range: {shown}")
        return value


class ComponentParams(Params):
    """Base of a registered component's parameter block: its ``name`` picks the implementation."""

    name: str


class RegistryTag:
    """Marks a field as holding components of a registry (found in the field's ``metadata``)."""

    __slots__ = ("registry", "many")

    def __init__(self, registry: Registry, many: bool) -> None:
        self.registry, self.many = registry, many


def registry_of(info: Any) -> RegistryTag | None:
    """The :class:`RegistryTag` of a pydantic ``FieldInfo``, or ``None`` for an ordinary field."""
    return next((m for m in getattr(info, "metadata", ()) if isinstance(m, RegistryTag)), None)


def component(registry: Registry) -> Any:
    """The annotated type of a field holding one component of ``registry`` (a name or a table)."""
    return Annotated[
        SerializeAsAny[ComponentParams], WrapValidator(lambda v, _h: registry.validate(v)), RegistryTag(registry, False)
    ]


def components(registry: Registry) -> Any:
    """The annotated type of a field holding a list of components of ``registry``, applied in order."""
    return Annotated[
        tuple[SerializeAsAny[ComponentParams], ...], WrapValidator(lambda v, _h: registry.validate_list(v)),
        RegistryTag(registry, True),
    ]


def param(
    default: Any,
    *,
    description: str,
    unit: str,
    source: str,
    plausible: tuple[float, float] | None = None,
    keyed_by: str | None = None,
    names_of: str | None = None,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """Declare a scenario field with its unit, its source, its range and an optional plausible range.

    A numeric field (a number, or a mapping or tuple of numbers) must state a lower bound (``ge`` or
    ``gt``) and an upper bound (``le`` or ``lt``); for a mapping or tuple they apply to each number.

    Args:
        default: The default value.
        description: What the field means, in a sentence.
        unit: Unit of the value ("share", "people", "days", "x" for a multiplier, ...).
        source: Public source of the default, or ``"assumption: ..."`` with the reasoning.
        plausible: Range used by sensitivity analysis (the calibration range where one exists).
        keyed_by: For a mapping keyed by a jurisdiction's vocabulary, which one (``"statuses"``,
            ``"record_statuses"``, ``"unrecorded_statuses"``, ``"galleries"``): the scenario checks
            that the keys are exactly that vocabulary.
        names_of: For a list of names from a jurisdiction's vocabulary, which one: the scenario checks
            that each name belongs to it.
        ge: Inclusive lower bound enforced at load time.
        le: Inclusive upper bound enforced at load time.
        gt: Exclusive lower bound.
        lt: Exclusive upper bound.

    Returns:
        A pydantic ``FieldInfo``.

    Raises:
        TypeError: When the field is declared: a numeric field without both bounds, or a default or
            plausible range outside them.
    """
    extra: dict[str, Any] = {"unit": unit, "source": source}
    bounds = {"ge": ge, "gt": gt, "le": le, "lt": lt}
    numbers = list(_numbers(default))
    if numbers:
        if (ge is None and gt is None) or (le is None and lt is None):
            raise TypeError(f"numeric field ({description[:40]!r}...) needs a lower (ge/gt) and an upper (le/lt) bound")
        outside = [x for _, x in numbers if not _within(x, **bounds)]
        if outside or (plausible is not None and not all(_within(float(x), **bounds) for x in plausible)):
            raise TypeError(f"default {default!r} or plausible range {plausible} outside {describe_range(**bounds)}")
    if plausible is not None:
        extra["plausible"] = [float(plausible[0]), float(plausible[1])]
    if keyed_by is not None:
        extra["keyed_by"] = keyed_by
    if names_of is not None:
        extra["names_of"] = names_of
    if isinstance(default, (Mapping, list, tuple)):  # the bounds apply to each number in it (Params checks them)
        extra[EACH] = {k: v for k, v in bounds.items() if v is not None}
        bounds = {}
    return Field(default, description=description, json_schema_extra=extra, **bounds)


def mix_validator(
    value: dict[str, Any], *, allowed: tuple[str, ...] | None, field: str, width: int | None = None
) -> dict:
    """Check a mapping of category -> share (or share vector): known keys, all present, sums of 1.

    Args:
        value: The mapping to check.
        allowed: The category names it must cover exactly; ``None`` leaves the keys to the scenario's
            jurisdiction check (``keyed_by``).
        field: Field name used in messages.
        width: If given, each value is a vector of this many shares summing to 1; otherwise each
            value is one share and all of them sum to 1.

    Returns:
        The mapping, unchanged.

    Raises:
        ValueError: With the offending key and value.
    """
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise ValueError(f"unknown key(s) {unknown} in {field}; allowed keys are {list(allowed)}")
        missing = [k for k in allowed if k not in value]
        if missing:
            raise ValueError(f"{field} must give every one of {list(allowed)}; missing {missing}")
    if width is None:
        bad = {k: v for k, v in value.items() if not 0.0 <= float(v) <= 1.0}
        if bad:
            raise ValueError(f"shares in {field} must lie in [0, 1]; got {bad}")
        total = sum(float(v) for v in value.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"shares in {field} must sum to 1; they sum to {total:.6g}")
        return value
    for k, vec in value.items():
        if len(vec) != width:
            raise ValueError(f"{field}.{k} must have {width} shares; got {len(vec)}: {list(vec)}")
        if any(not 0.0 <= float(v) <= 1.0 for v in vec):
            raise ValueError(f"shares in {field}.{k} must lie in [0, 1]; got {list(vec)}")
        if abs(sum(float(v) for v in vec) - 1.0) > 1e-6:
            raise ValueError(f"shares in {field}.{k} must sum to 1; they sum to {sum(vec):.6g}")
    return value


def keyed_validator(
    value: dict[str, float], *, allowed: tuple[str, ...] | None, lo: float = 0.0, hi: float = 1.0
) -> dict:
    """Check a mapping with exactly the ``allowed`` keys (``None``: any keys) and every value in ``[lo, hi]``.

    Raises:
        ValueError: Naming unknown and missing keys, or the out-of-range values.
    """
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        missing = [k for k in allowed if k not in value]
        if unknown or missing:
            raise ValueError(f"keys must be exactly {list(allowed)}; unknown {unknown}, missing {missing}")
    bad = {k: x for k, x in value.items() if not lo <= float(x) <= hi}
    if bad:
        raise ValueError(f"values must lie in [{lo:g}, {hi:g}]; got {bad}")
    return value


def validate_at(cls: type[BaseModel], value: Any, loc: tuple) -> BaseModel:
    """``cls.model_validate(value)``, its errors reported under ``loc`` (for validators that build blocks)."""
    try:
        return cls.model_validate(value)
    except ValidationError as exc:
        errors = [InitErrorDetails(type=PydanticCustomError(e["type"], e["msg"].replace("{", "(").replace("}", ")")),
                                   loc=(*loc, *e["loc"]), input=e.get("input")) for e in exc.errors()]
        raise ValidationError.from_exception_data(cls.__name__, errors) from None

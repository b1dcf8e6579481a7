"""Field helpers: every scenario field carries a unit, a source and, where known, a plausible range.

``param`` wraps ``pydantic.Field`` so that a field cannot be declared without saying where its
default comes from. A source that begins with ``"assumption"`` marks a number with no public
measurement behind it; the report lists those separately and the sensitivity analysis uses their
``plausible`` range.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, ValidationError, WrapValidator
from pydantic_core import InitErrorDetails, PydanticCustomError

from scrutiny._registry import Registry

__all__ = [
    "validate_at",
    "Params", "ComponentParams", "RegistryTag", "param", "component", "components", "registry_of", "mix_validator",
    "keyed_validator",
]


class Params(BaseModel):
    """Base of every parameter block: immutable and closed (unknown keys are errors)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


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
    """Declare a scenario field with its unit, its source and an optional plausible range.

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
    """
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if plausible is not None:
        extra["plausible"] = [float(plausible[0]), float(plausible[1])]
    if keyed_by is not None:
        extra["keyed_by"] = keyed_by
    if names_of is not None:
        extra["names_of"] = names_of
    return Field(
        default,
        description=description,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        json_schema_extra=extra,
    )


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

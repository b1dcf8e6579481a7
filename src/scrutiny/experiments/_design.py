"""Dimensions of a design: which scenario field varies, over which values or range.

A dimension is either a list of values (any type the field accepts) or a numeric range
``lo..hi`` (optionally on a log scale), on an integer or float field. Fields and values are
checked against the scenario model before any work starts; every message names the field, the
bad value and what is allowed.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from scrutiny.errors import ConfigError, brief, did_you_mean
from scrutiny.scenario import Scenario, apply_overrides, iter_fields
from scrutiny.scenario._load import format_validation_error

__all__ = ["Dimension", "check_unique", "parse_dimension", "parse_cli_param", "field_kind", "scenario_at", "lhs_unit"]


def field_kind(name: str) -> tuple[str, Any]:
    """Return ``(kind, FieldInfo)`` of a dotted field: kind is 'int', 'float', 'bool' or 'other'.

    Raises:
        ConfigError: For an unknown field, with the closest name.
    """
    fields = dict(iter_fields())
    if name not in fields:
        raise ConfigError(
            f"Unknown field {brief(name)}.{did_you_mean(name, list(fields))} Run `scrutiny fields` for every field."
        )
    info = fields[name]
    ann = info.annotation
    kind = {bool: "bool", int: "int", float: "float"}.get(ann, "other") if isinstance(ann, type) else "other"
    if typing.get_origin(ann) is typing.Literal:
        kind = "other"
    return kind, info


@dataclass(frozen=True, slots=True)
class Dimension:
    """One varied field: a list of ``values``, or a range ``[lo, hi]`` with ``n`` grid levels."""

    name: str
    kind: str  # 'int', 'float', 'bool' or 'other'
    values: tuple[Any, ...] | None = None
    lo: float | None = None
    hi: float | None = None
    n: int | None = None  # grid levels for a range
    log: bool = False

    @property
    def is_range(self) -> bool:
        """Whether the dimension is a numeric range (not a list of values)."""
        return self.values is None

    def at(self, u: np.ndarray | float) -> Any:
        """Map a unit-interval coordinate to a field value (log-uniform when ``log``; ints rounded)."""
        u = float(u)
        if self.log:
            x = 10.0 ** (math.log10(self.lo) + u * (math.log10(self.hi) - math.log10(self.lo)))
        else:
            x = self.lo + u * (self.hi - self.lo)
        x = min(max(x, self.lo), self.hi)
        return int(round(x)) if self.kind == "int" else float(x)

    def grid(self) -> list[Any]:
        """The grid levels: the listed values, or ``n`` evenly spaced levels (log-spaced when ``log``)."""
        if self.values is not None:
            return list(self.values)
        n = self.n or 1
        levels = [self.at(i / (n - 1)) if n > 1 else self.at(0.5) for i in range(n)]
        return list(dict.fromkeys(levels))  # integer rounding may merge levels


def _finite(x: float) -> bool:
    """Whether ``x`` is a finite number a float can hold (a TOML integer can be far larger)."""
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def _range(name: str, kind: str, lo: Any, hi: Any, n: Any, log: Any, origin: str) -> Dimension:
    if kind not in ("int", "float"):
        raise ConfigError(
            f"{origin}: field {brief(name)} is not numeric ({kind}); give a list of values instead of a range."
        )
    for label, v in (("lo", lo), ("hi", hi)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v):
            raise ConfigError(f"{origin}: {name}.{label} must be a finite number; got {brief(v)}.")
    if not lo < hi:
        raise ConfigError(f"{origin}: {name} needs lo < hi; got lo = {brief(lo)}, hi = {brief(hi)}.")
    if not isinstance(log, bool):
        raise ConfigError(f"{origin}: {name}.log must be true or false; got {brief(log)}.")
    if log and lo <= 0:
        raise ConfigError(f"{origin}: {name} on a log scale needs lo > 0; got lo = {brief(lo)}.")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ConfigError(f"{origin}: {name}.n (grid levels) must be a positive integer; got {brief(n)}.")
    return Dimension(name, kind, None, float(lo), float(hi), n, log)


def parse_dimension(name: str, spec: Any, origin: str = "design") -> Dimension:
    """Parse one design entry: a list of values, or ``{lo, hi[, n][, log]}``.

    Examples:
        >>> parse_dimension("field.threshold", {"lo": 9.0, "hi": 11.0, "n": 3}).grid()
        [9.0, 10.0, 11.0]
    """
    try:
        kind, _ = field_kind(name)
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise ConfigError(f"{origin}: field {brief(name)} has an empty list of values.")
        return Dimension(name, kind, tuple(spec))
    if isinstance(spec, Mapping):
        unknown = sorted(set(spec) - {"lo", "hi", "n", "log"})
        if unknown or "lo" not in spec or "hi" not in spec:
            raise ConfigError(
                f"{origin}: field {brief(name)} must be a list of values or a table with lo, hi and optionally n "
                f"(grid levels) and log; got {brief(dict(spec))}."
            )
        return _range(name, kind, spec["lo"], spec["hi"], spec.get("n"), spec.get("log", False), origin)
    raise ConfigError(
        f"{origin}: field {brief(name)} must be a list of values or {{lo, hi, n, log}}; got {brief(spec)}."
    )


def parse_cli_param(text: str, origin: str = "--params") -> Dimension:
    """Parse a sensitivity or calibration parameter: ``NAME``, ``NAME=LO:HI``, ``NAME=LO:HI:log`` or ``NAME=LO:HI:lin``.

    ``NAME`` alone uses the field's documented plausible range; such a range spanning two decades
    or more (``hi / lo >= 100``) is sampled log-uniformly unless ``:lin`` is given. ``origin``
    names where the text came from in error messages.

    Examples:
        >>> d = parse_cli_param("field.rel_gallery_size")
        >>> (d.lo, d.hi, d.log)
        (0.005, 1.5, True)
    """
    name, _, rest = text.partition("=")
    name = name.strip()
    kind, info = field_kind(name)
    scale = None
    if rest:
        parts = rest.split(":")
        if len(parts) == 3:
            scale = parts.pop().strip().lower()
            if scale not in ("log", "lin"):
                raise ConfigError(f"{origin} {brief(text)}: the scale must be 'log' or 'lin'; got {brief(scale)}.")
        if len(parts) != 2:
            raise ConfigError(f"{origin} {brief(text)}: expected NAME, NAME=LO:HI or NAME=LO:HI:log.")
        try:
            lo, hi = float(parts[0]), float(parts[1])
        except ValueError:
            raise ConfigError(f"{origin} {brief(text)}: LO and HI must be numbers.") from None
    else:
        extra = info.json_schema_extra or {}
        if "plausible" not in extra:
            raise ConfigError(
                f"{origin} {brief(text)}: field {brief(name)} has no documented plausible range; give one as "
                f"{name}=LO:HI."
            )
        lo, hi = extra["plausible"]
    log = scale == "log" or (scale is None and lo > 0 and hi / lo >= 100)
    return _range(name, kind, lo, hi, None, log, origin)


def scenario_at(base: Scenario, values: Mapping[str, Any], origin: str) -> Scenario:
    """Return ``base`` with dotted ``values`` applied, validated (errors name ``origin``)."""
    try:
        return Scenario.model_validate(apply_overrides(base.model_dump(mode="json"), values))
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, origin)) from None


def lhs_unit(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """A Latin hypercube of ``n`` points in ``[0, 1)^d``: each axis has one point per stratum.

    Examples:
        >>> from scrutiny.rng import stream
        >>> u = lhs_unit(4, 2, stream(1, 0, "experiments.design"))
        >>> sorted((u[:, 0] * 4).astype(int).tolist())
        [0, 1, 2, 3]
    """
    u = np.empty((n, d))
    for j in range(d):
        u[:, j] = (rng.permutation(n) + rng.random(n)) / n
    return u


def check_unique(dims: Sequence[Dimension], origin: str) -> None:
    names = [d.name for d in dims]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(f"{origin}: field(s) {dup} are given twice.")

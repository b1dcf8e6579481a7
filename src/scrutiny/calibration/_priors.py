"""Priors: each unknown is a dotted scenario field, uniform (or log-uniform) over a range.

Parameters are written as for ``scrutiny sensitivity`` (the same parser,
:func:`scrutiny.experiments._design.parse_cli_param`): ``NAME`` takes the range documented in
the field (``scrutiny fields``), log-uniform when it spans two decades or more;
``NAME=LO:HI``, ``NAME=LO:HI:log`` and ``NAME=LO:HI:lin`` give another.

The sampler works in *internal coordinates* ``z``: ``z = log10(x)`` for a log-uniform parameter
and ``z = x`` otherwise, so every prior is uniform on a box in ``z`` and the perturbation kernel
sees comparable scales. Integer fields are rounded when a value is handed to the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scrutiny.errors import ConfigError

__all__ = ["Parameter", "Prior", "make_prior"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One unknown: a name, its prior range ``[lo, hi]``, log-uniform or not, integer or not."""

    name: str
    lo: float
    hi: float
    log: bool = False
    integer: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi) and self.lo < self.hi):
            raise ConfigError(f"Parameter {self.name!r} needs finite lo < hi; got [{self.lo!r}, {self.hi!r}].")
        if self.log and self.lo <= 0:
            raise ConfigError(f"Parameter {self.name!r} on a log scale needs lo > 0; got {self.lo!r}.")

    @property
    def z_range(self) -> tuple[float, float]:
        """The range in internal coordinates."""
        return (math.log10(self.lo), math.log10(self.hi)) if self.log else (self.lo, self.hi)

    def value(self, z: float) -> float | int:
        """The field value at internal coordinate ``z`` (clipped to the range; integers rounded)."""
        x = 10.0 ** float(z) if self.log else float(z)
        x = min(max(x, self.lo), self.hi)
        return int(round(x)) if self.integer else x

    def describe(self) -> dict[str, Any]:
        """``{name, lo, hi, log, integer}`` for JSON."""
        return {"name": self.name, "lo": self.lo, "hi": self.hi, "log": self.log, "integer": self.integer}


@dataclass(frozen=True, slots=True)
class Prior:
    """Independent uniform priors on a box in internal coordinates."""

    params: tuple[Parameter, ...]

    def __post_init__(self) -> None:
        names = [p.name for p in self.params]
        if not names:
            raise ConfigError("A calibration needs at least one unknown parameter.")
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ConfigError(f"Parameter(s) {dup} are given twice.")

    @property
    def names(self) -> list[str]:
        """Parameter names, in order."""
        return [p.name for p in self.params]

    @property
    def d(self) -> int:
        """Number of parameters."""
        return len(self.params)

    @property
    def lo(self) -> np.ndarray:
        """Lower corner of the box (internal coordinates)."""
        return np.array([p.z_range[0] for p in self.params])

    @property
    def hi(self) -> np.ndarray:
        """Upper corner of the box (internal coordinates)."""
        return np.array([p.z_range[1] for p in self.params])

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map points of the unit cube to the box."""
        return self.lo + np.asarray(u, dtype=np.float64) * (self.hi - self.lo)

    def contains(self, z: np.ndarray) -> np.ndarray:
        """Whether each row of ``z`` lies in the box (the prior's support)."""
        z = np.atleast_2d(z)
        return np.all((z >= self.lo) & (z <= self.hi), axis=1)

    def values(self, z: np.ndarray) -> dict[str, Any]:
        """The field values ``{name: value}`` of one point ``z``."""
        return {p.name: p.value(zi) for p, zi in zip(self.params, np.asarray(z, dtype=np.float64), strict=True)}

    def to_x(self, z: np.ndarray) -> np.ndarray:
        """Field values (before integer rounding) of points ``z`` (rows)."""
        z = np.atleast_2d(np.asarray(z, dtype=np.float64))
        logs = np.array([p.log for p in self.params])
        return np.where(logs, 10.0 ** z, z)

    def describe(self) -> list[dict[str, Any]]:
        """Each parameter's ``{name, lo, hi, log, integer}``."""
        return [p.describe() for p in self.params]


def _from_text(text: str, origin: str) -> Parameter:
    from scrutiny.experiments._design import parse_cli_param

    try:
        dim = parse_cli_param(text, origin=origin)
    except ConfigError as exc:
        if str(exc).startswith(origin):
            raise
        raise ConfigError(f"{origin} {text!r}: {exc}") from None
    return Parameter(dim.name, float(dim.lo), float(dim.hi), bool(dim.log), dim.kind == "int")


def make_prior(params: Sequence[str | Parameter | Mapping[str, Any]] | Prior, *, origin: str = "--params") -> Prior:
    """Build a prior from parameter texts (``NAME[=LO:HI[:log|lin]]``), :class:`Parameter` objects or mappings.

    Texts name scenario fields and are checked against the scenario model (unknown fields fail
    with the closest name); :class:`Parameter` objects and ``{name, lo, hi[, log][, integer]}``
    mappings are taken as they are (a toy model's parameters need not be scenario fields).

    Raises:
        ConfigError: For an unknown field, a field without a documented range, or a bad range.

    Examples:
        >>> make_prior(["field.rel_gallery_size", "field.threshold=9:11"]).describe()[0]["log"]
        True
    """
    if isinstance(params, Prior):
        return params
    if isinstance(params, (str, Parameter, Mapping)):
        params = [params]
    out = []
    for p in params:
        if isinstance(p, Parameter):
            out.append(p)
        elif isinstance(p, Mapping):
            try:
                out.append(Parameter(str(p["name"]), float(p["lo"]), float(p["hi"]), bool(p.get("log", False)),
                                     bool(p.get("integer", False))))
            except KeyError as exc:
                raise ConfigError(f"{origin}: parameter {dict(p)!r} lacks {exc.args[0]!r}.") from None
        elif isinstance(p, str):
            out.append(_from_text(p, origin))
        else:
            raise ConfigError(f"{origin}: a parameter is NAME, NAME=LO:HI[:log|lin] or a Parameter; got {p!r}.")
    return Prior(tuple(out))

"""Advice on values a scenario accepts but a person probably did not mean.

Validation refuses what cannot run (a value outside a field's allowed range, NaN, a misspelt key).
Some values can run and still be a mistake: ``field.threshold = 0.000001`` is a rate typed into a
field on a decades scale (allowed, 0 to 20, but far from the documented 8 to 11), and a threshold
under ``threshold_rule = "target_fpir"`` has no effect at all. :func:`advice` says so, with what
the field means; :func:`load_scenario <scrutiny.scenario.load_scenario>` turns each piece of advice
into a :class:`~scrutiny.errors.ScenarioWarning` for the fields the caller set, and the command
line prints it as one ``scrutiny: warning: ...`` line.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

from scrutiny.errors import ScenarioWarning

__all__ = ["advice", "warn_about", "ACTS_ONLY_UNDER", "far_outside", "given_fields"]

#: Fields that act only when another field has a given value: ``{field: (that field, its value, the field that
#: does the job otherwise)}``.
ACTS_ONLY_UNDER: dict[str, tuple[str, str, str | None]] = {
    "field.threshold": ("field.threshold_rule", "fixed", "field.target_fpir"),
    "field.target_fpir": ("field.threshold_rule", "target_fpir", "field.threshold"),
    "field.max_group_fpir": ("field.threshold_rule", "target_fpir", None),
}


def _show(x: float) -> str:
    return f"{x:g}"


def far_outside(value: float, plausible: tuple[float, float]) -> bool:
    """Whether ``value`` lies outside its documented range by more than the range's own width.

    A range spanning two decades or more (``hi / lo >= 100``, as sensitivity analysis reads it) is
    measured in decades.

    Examples:
        >>> far_outside(1e-6, (8.0, 11.0)), far_outside(12.0, (8.0, 11.0)), far_outside(0.0003, (0.001, 0.05))
        (True, False, False)
        >>> far_outside(50.0, (0.005, 1.5)), far_outside(0.00001, (0.005, 1.5))
        (False, True)
    """
    lo, hi = plausible
    if not (math.isfinite(value) and hi > lo):
        return False
    if lo > 0 and hi / lo >= 100:
        if value <= 0:
            return True
        lo, hi, value = math.log10(lo), math.log10(hi), math.log10(value)
    width = hi - lo
    return value < lo - width or value > hi + width


def _numbers(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, Mapping):
        return [x for v in value.values() for x in _numbers(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _numbers(v)]
    return []


def _range_advice(name: str, value: Any, info: Any) -> str | None:
    extra = info.json_schema_extra or {}
    plausible = extra.get("plausible")
    if not plausible:
        return None
    bad = [x for x in _numbers(value) if far_outside(x, (float(plausible[0]), float(plausible[1])))]
    if not bad:
        return None
    unit = str(extra.get("unit", ""))
    shown = _show(bad[0]) if len(_numbers(value)) == 1 else f"{value!r} (here {_show(bad[0])})"
    msg = (f"{name} = {shown} lies far outside its documented range, {_show(plausible[0])} to "
           f"{_show(plausible[1])} ({unit}). It means: {info.description}")
    if unit.startswith("decades") and 0 < bad[0] < 1:
        msg += (f" If {_show(bad[0])} is a false match rate, the threshold on this scale is -log10 of it: "
                f"{_show(-math.log10(bad[0]))}.")
    return msg


def _acting_advice(scenario: Any, name: str, value: Any) -> str | None:
    from scrutiny.scenario._model import Scenario, field_value

    if name not in ACTS_ONLY_UNDER:
        return None
    switch, needed, instead = ACTS_ONLY_UNDER[name]
    current = field_value(scenario, switch)
    if current == needed or value == field_value(Scenario(), name):
        return None
    msg = f"{name} = {_show(value)} has no effect: it acts only under {switch} = {needed!r}, and this scenario has " \
          f"{current!r}."
    if instead is not None:
        now = _show(field_value(scenario, instead))
        msg += f" Under {current!r} the field that does this job is {instead} (now {now})"
        msg += f"; or set {switch} = {needed!r}."
    return msg


def advice(scenario: Any, names: Iterable[str]) -> list[str]:
    """Plain sentences about the values of ``names`` that look like mistakes (empty when none does).

    Args:
        scenario: A validated :class:`~scrutiny.scenario.Scenario`.
        names: Dotted fields to look at (those the user set).

    Examples:
        >>> from scrutiny.scenario import load_scenario
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     s = load_scenario(overrides={"field.threshold": 1e-6})
        >>> [a.split(":")[0][:40] for a in advice(s, ["field.threshold"])]
        ['field.threshold = 1e-06 lies far outside', 'field.threshold = 1e-06 has no effect']
    """
    from scrutiny.scenario._model import field_value, iter_fields

    fields = dict(iter_fields(type(scenario), instance=scenario))
    out = []
    for name in names:
        if name not in fields:
            continue
        value = field_value(scenario, name)
        out += [a for a in (_range_advice(name, value, fields[name]), _acting_advice(scenario, name, value)) if a]
    return out


def given_fields(scenario: Any, data: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> list[str]:
    """The scenario's dotted fields that ``data`` (a scenario file's tables) or ``overrides`` set."""
    from scrutiny.scenario._model import iter_fields

    keys: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, Mapping) and prefix.count(".") < 8:
            for k, v in node.items():
                walk(v, f"{prefix}.{k}" if prefix else str(k))
        elif prefix:
            keys.append(prefix)

    walk(data, "")
    keys += [str(k) for k in (overrides or {})]
    names = [n for n, _ in iter_fields(type(scenario), instance=scenario)]
    return [n for n in names if any(n == k or n.startswith(k + ".") for k in keys)]


def warn_about(scenario: Any, names: Iterable[str]) -> None:
    """Issue a :class:`~scrutiny.errors.ScenarioWarning` for each piece of :func:`advice`."""
    for text in advice(scenario, names):
        warnings.warn(text, ScenarioWarning, stacklevel=3)

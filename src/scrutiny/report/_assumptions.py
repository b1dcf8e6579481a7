"""The assumptions table: every scenario parameter with its value, ranges and public source.

Parameters at a neutral value (a switch off, a zero weight, an empty list, a multiplier of 1)
have no effect on the run; the report lists them apart so the main table holds only what acts.
When sensitivity indices are given, the parameters they found decisive are marked.
"""

from __future__ import annotations

import math
from typing import Any

from scrutiny.scenario import Scenario, field_value, iter_fields

__all__ = ["assumptions_table", "is_neutral", "split_assumptions", "decisive", "STAGES", "show_value"]

#: Section headings of the table, by the first part of a dotted name.
STAGES: dict[str, str] = {
    "": "Run", "world": "World (synthetic population and places)", "sources": "Data sources",
    "targeting": "Targeting", "field": "Field identification", "operations": "Operations",
    "behavior": "Behaviour",
}


def show_value(value: Any) -> str:
    """Compact text for a parameter value (mappings as ``key value`` pairs).

    Examples:
        >>> show_value({"a": 1.0, "b": 2.5}), show_value((1.0, 0.5)), show_value(2e8), show_value(True)
        ('a 1, b 2.5', '1, 0.5', '2e+08', 'yes')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        nested = any(isinstance(v, (tuple, list)) for v in value.values())
        parts = [f"{k} ({show_value(v)})" if isinstance(v, (tuple, list)) else f"{k} {show_value(v)}"
                 for k, v in value.items()]
        return ("; " if nested else ", ").join(parts)
    if isinstance(value, (tuple, list)):
        return ", ".join(show_value(v) for v in value) if value else "none"
    return str(value)


def is_neutral(value: Any, unit: str) -> bool:
    """Whether a parameter value has no effect: off, zero, empty, or a multiplier of exactly 1.

    Examples:
        >>> is_neutral(False, "switch"), is_neutral(0.0, "x"), is_neutral((1.0, 1.0), "x")
        (True, True, True)
        >>> is_neutral(0.3, "share")
        False
    """
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value == 0 or (unit.startswith("x") and value == 1)
    if isinstance(value, (tuple, list, dict)):
        items = list(value.values()) if isinstance(value, dict) else list(value)
        if not items:
            return True
        return unit.startswith("x") and all(isinstance(v, (int, float)) and v == 1 for v in items)
    return value in ("", None)


def _range(lo: float | None, hi: float | None) -> str:
    if lo is None and hi is None:
        return ""
    return f"{'' if lo is None else f'{lo:.4g}'} to {'' if hi is None else f'{hi:.4g}'}".strip()


def _bounds(info) -> tuple[float | None, float | None]:
    lo = next((getattr(m, a) for m in info.metadata for a in ("ge", "gt") if getattr(m, a, None) is not None), None)
    hi = next((getattr(m, a) for m in info.metadata for a in ("le", "lt") if getattr(m, a, None) is not None), None)
    return lo, hi


def assumptions_table(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per scenario field: name, value, unit, allowed and plausible ranges, source, flags.

    Each row has ``name, value, unit, allowed, plausible, source, assumption, description,
    default`` (whether the value is the field's documented default) and ``neutral``.
    """
    defaults = Scenario()
    rows = []
    for name, info in iter_fields(type(scenario), instance=scenario):
        extra = info.json_schema_extra or {}
        lo, hi = _bounds(info)
        value = field_value(scenario, name)
        unit = str(extra.get("unit", ""))
        source = str(extra.get("source", ""))
        rows.append({
            "name": name,
            "stage": name.split(".")[0] if "." in name else "",
            "value": show_value(value),
            "unit": unit,
            "allowed": _range(lo, hi),
            "plausible": " to ".join(f"{x:g}" for x in extra.get("plausible", [])),
            "source": source,
            "source_text": source.removeprefix("assumption:").strip() if source.startswith("assumption") else source,
            "assumption": source.startswith("assumption"),
            "description": info.description or "",
            "default": _same_as_default(defaults, name, value),
            "neutral": is_neutral(value, unit),
        })
    return rows


def _same_as_default(defaults: Scenario, name: str, value: Any) -> bool:
    """Whether ``value`` is the default scenario's value of ``name`` (False where the default has no such field)."""
    try:
        return value == field_value(defaults, name)
    except (AttributeError, StopIteration):
        return False


def _index(entry: Any) -> float | None:
    if isinstance(entry, dict):
        entry = entry.get("mean")
    return float(entry) if isinstance(entry, (int, float)) and math.isfinite(entry) else None


def decisive(sensitivity: dict | None) -> dict[str, str]:
    """Parameters the sensitivity analysis found decisive, with the index shown for each.

    Accepts ``{"method": "sobol"|"morris", "metric": ..., "indices": {param: {...}}}`` or the
    ``indices`` mapping alone. A parameter is decisive when its Sobol total index ``ST`` is at least
    0.1, or its Morris ``mu_star`` is at least a tenth of the largest ``mu_star``.

    Examples:
        >>> decisive({"indices": {"field.threshold": {"ST": 0.6}, "n_days": {"ST": 0.01}}})
        {'field.threshold': 'total Sobol index 0.60'}
    """
    if not sensitivity:
        return {}
    indices = sensitivity.get("indices", sensitivity)
    if not isinstance(indices, dict):
        return {}
    out: dict[str, str] = {}
    mu = {k: _index(v.get("mu_star")) for k, v in indices.items() if isinstance(v, dict)}
    top_mu = max([m for m in mu.values() if m is not None], default=0.0)
    for name, entry in indices.items():
        if not isinstance(entry, dict):
            continue
        st = _index(entry.get("ST"))
        if st is not None and st >= 0.1:
            out[name] = f"total Sobol index {st:.2f}"
        elif mu.get(name) is not None and top_mu > 0 and mu[name] >= 0.1 * top_mu:
            out[name] = f"Morris μ* {mu[name]:.3g}"
    return out


def split_assumptions(scenario: Scenario, sensitivity: dict | None = None) -> dict[str, Any]:
    """The table the report prints: acting parameters grouped by stage, and the neutral ones apart."""
    marks = decisive(sensitivity)
    groups: dict[str, list[dict]] = {}
    neutral: list[dict] = []
    for row in assumptions_table(scenario):
        row["decisive"] = marks.get(row["name"], "")
        (neutral if row["neutral"] else groups.setdefault(row["stage"], [])).append(row)
    ordered = [(STAGES.get(k, k), groups[k]) for k in STAGES if k in groups]
    ordered += [(k, v) for k, v in groups.items() if k not in STAGES]
    return {
        "groups": ordered, "neutral": neutral, "decisive": marks,
        "n_assumptions": sum(r["assumption"] for _, rows in ordered for r in rows),
        "has_sensitivity": bool(sensitivity), "unmatched": sorted(set(marks) - {r["name"] for r in
                                                                              assumptions_table(scenario)}),
    }

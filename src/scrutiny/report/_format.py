"""Number formatting for the report: one rule for every figure, so a number reads the same everywhere."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["fmt", "fmt_interval", "fmt_signed", "estimate", "is_number", "SHARE_UNITS"]

#: Units shown as percentages.
SHARE_UNITS: frozenset[str] = frozenset({"share", "share of their visits"})


def is_number(value: Any) -> bool:
    """Whether ``value`` is a finite real number (not a bool).

    Examples:
        >>> is_number(3.0), is_number(float("nan")), is_number(None), is_number(True)
        (True, False, False, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def fmt(value: Any, unit: str = "") -> str:
    """Format a figure: shares as percentages, large numbers with thousands separators.

    Examples:
        >>> fmt(417.59), fmt(0.5713, "share"), fmt(3.068), fmt(12.34), fmt(88.0), fmt(0.0), fmt(None)
        ('418', '57.1%', '3.07', '12.3', '88', '0', 'n/a')
    """
    if not is_number(value):
        return "n/a"
    value = float(value)
    if value == 0:
        return "0%" if unit in SHARE_UNITS else "0"
    if unit in SHARE_UNITS:
        return f"{100 * value:.1f}%"
    if abs(value) >= 100 or (value == round(value) and abs(value) < 1e15):
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def fmt_signed(value: Any, unit: str = "") -> str:
    """Format a difference with an explicit sign (a minus sign, not a hyphen).

    Examples:
        >>> fmt_signed(-12.5), fmt_signed(0.05, "share"), fmt_signed(0.0)
        ('−12.5', '+5.0%', '0')
    """
    if not is_number(value):
        return "n/a"
    text = fmt(abs(value), unit)
    if unit in SHARE_UNITS and abs(value) * 100 < 0.05 or text.strip("0.,%") == "":
        return text
    return ("−" if value < 0 else "+") + text


def estimate(metric: Any, *, bounded: bool = False, signed: bool = False) -> dict[str, float | None]:
    """Normalise a summary entry (a number, or ``{"mean", "lo", "hi", "n"}``) to mean/lo/hi/n.

    Intervals of non-negative quantities are truncated at 0 (and at 1 when ``bounded``); a
    difference (``signed``) is left as it is.

    Examples:
        >>> estimate({"mean": 2.0, "lo": -1.0, "hi": 5.0, "n": 3})
        {'mean': 2.0, 'lo': 0.0, 'hi': 5.0, 'n': 3}
        >>> estimate(4.0)
        {'mean': 4.0, 'lo': None, 'hi': None, 'n': 1}
    """
    if isinstance(metric, dict):
        mean, lo, hi, n = metric.get("mean"), metric.get("lo"), metric.get("hi"), metric.get("n")
    else:
        mean, lo, hi, n = metric, None, None, 1
    mean = float(mean) if is_number(mean) else None
    lo = float(lo) if is_number(lo) else None
    hi = float(hi) if is_number(hi) else None
    if not signed:
        lo = None if lo is None else max(lo, 0.0)
        hi = None if hi is None else (min(hi, 1.0) if bounded else hi)
    return {"mean": mean, "lo": lo, "hi": hi, "n": n}


def fmt_interval(est: dict[str, Any], unit: str = "", *, signed: bool = False) -> str:
    """Format the interval of an :func:`estimate` as ``lo to hi`` (empty when there is none).

    Examples:
        >>> fmt_interval({"lo": 303.1, "hi": 532.1}), fmt_interval({"lo": None, "hi": None})
        ('303 to 532', '')
    """
    lo, hi = est.get("lo"), est.get("hi")
    if lo is None or hi is None:
        return ""
    f = fmt_signed if signed else fmt
    return f"{f(lo, unit)} to {f(hi, unit)}"

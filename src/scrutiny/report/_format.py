"""Number formatting for the report: one rule for every figure, so a number reads the same everywhere."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["fmt", "fmt_interval", "fmt_signed", "fmt_estimate", "estimate", "is_number", "SHARE_UNITS"]

#: Units shown as percentages.
SHARE_UNITS: frozenset[str] = frozenset({"share", "share of their visits", "share of days"})


def is_number(value: Any) -> bool:
    """Whether ``value`` is a finite real number (not a bool).

    Examples:
        >>> is_number(3.0), is_number(float("nan")), is_number(None), is_number(True)
        (True, False, False, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _decimals(magnitude: float) -> int:
    """Decimals for a figure whose largest magnitude is ``magnitude`` (already in display units).

    Three significant figures from 10 up (none from 100), two below: 1,234; 147; 48.5; 7.4; 0.77; 0.0031.
    """
    if not math.isfinite(magnitude) or magnitude == 0 or magnitude >= 100:
        return 0
    if magnitude >= 1:
        return 1
    return min(8, 1 - math.floor(math.log10(magnitude)))


def _display(value: float, unit: str) -> float:
    return 100 * value if unit in SHARE_UNITS else value


def _fixed(value: float, decimals: int, unit: str) -> str:
    text = f"{_display(value, unit):,.{decimals}f}"
    if text.startswith("-") and text.strip("-0.,") == "":
        text = text[1:]  # no "-0.0"
    return text + ("%" if unit in SHARE_UNITS else "")


def _places(values: list[Any], unit: str) -> int:
    """One number of decimals for figures shown together (a mean and its interval), from the largest."""
    nums = [_display(float(v), unit) for v in values if is_number(v)]
    if not nums:
        return 0
    if unit not in SHARE_UNITS and all(v == round(v) and abs(v) < 1e15 for v in nums):
        return 0
    return _decimals(max(abs(v) for v in nums))


def fmt(value: Any, unit: str = "") -> str:
    """Format a figure: shares as percentages, large numbers with thousands separators.

    Three significant figures from 10 up (none from 100), two below; whole counts without decimals.

    Examples:
        >>> fmt(417.59), fmt(0.5713, "share"), fmt(3.068), fmt(12.34), fmt(88.0), fmt(0.0), fmt(None)
        ('418', '57.1%', '3.1', '12.3', '88', '0', 'n/a')
        >>> fmt(0.00312), fmt(0.00077, "share"), fmt(1234567.0)
        ('0.0031', '0.077%', '1,234,567')
    """
    if not is_number(value):
        return "n/a"
    value = float(value)
    if value == 0:
        return "0%" if unit in SHARE_UNITS else "0"
    return _fixed(value, _places([value], unit), unit)


def fmt_signed(value: Any, unit: str = "", *, decimals: int | None = None) -> str:
    """Format a difference with an explicit sign (a minus sign, not a hyphen).

    Examples:
        >>> fmt_signed(-12.5), fmt_signed(0.05, "share"), fmt_signed(0.0), fmt_signed(7.41, decimals=0)
        ('−12.5', '+5.0%', '0', '+7')
    """
    if not is_number(value):
        return "n/a"
    d = _places([value], unit) if decimals is None else decimals
    text = _fixed(abs(float(value)), d, unit)
    if text.rstrip("%").strip("0.,") == "":
        return text  # zero at this precision has no sign
    return ("−" if value < 0 else "+") + text


def fmt_estimate(est: dict[str, Any], unit: str = "", *, signed: bool = False) -> tuple[str, str]:
    """A mean and its interval with the same number of decimals: ``("48.5", "7.4 to 89.6")``.

    Examples:
        >>> fmt_estimate({"mean": 48.5, "lo": 7.41, "hi": 89.6}, signed=True)
        ('+48.5', '+7.4 to +89.6')
        >>> fmt_estimate({"mean": 147.2, "lo": 133.4, "hi": 161.0})
        ('147', '133 to 161')
    """
    d = _places([est.get("mean"), est.get("lo"), est.get("hi")], unit)
    one = (lambda v: fmt_signed(v, unit, decimals=d)) if signed else (
        lambda v: _fixed(float(v), d, unit) if is_number(v) else "n/a")
    return one(est.get("mean")), fmt_interval(est, unit, signed=signed)


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

    Both ends (and the mean, when given) share one number of decimals (see :func:`fmt_estimate`).

    Examples:
        >>> fmt_interval({"lo": 303.1, "hi": 532.1}), fmt_interval({"lo": None, "hi": None})
        ('303 to 532', '')
        >>> fmt_interval({"mean": 48.5, "lo": 7.41, "hi": 89.6}, signed=True)
        '+7.4 to +89.6'
    """
    lo, hi = est.get("lo"), est.get("hi")
    if lo is None or hi is None or not (is_number(lo) and is_number(hi)):
        return ""
    d = _places([est.get("mean"), lo, hi], unit)
    if signed:
        return f"{fmt_signed(lo, unit, decimals=d)} to {fmt_signed(hi, unit, decimals=d)}"
    return f"{_fixed(float(lo), d, unit)} to {_fixed(float(hi), d, unit)}"

"""The report's charts as SVG: the funnel, interval (forest) plots, bars with intervals, and lines.

Each function takes plain numbers and labels and returns the ``<svg>`` markup; the page puts a
caption, a legend and the data table (the accessible fallback) around it (see :class:`Figure`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from scrutiny.report._format import fmt
from scrutiny.report._svg import (
    Scale,
    circle,
    line,
    log_ticks,
    marker,
    nice_ticks,
    polygon,
    polyline,
    rect,
    svg,
    text,
    x_axis,
    y_axis,
)

__all__ = ["Figure", "funnel_chart", "interval_chart", "bar_chart", "line_chart", "tornado_chart", "Series", "Row"]

_W = 760.0


@dataclass
class Figure:
    """A chart with everything around it: caption, legend, the data table, and notes."""

    key: str
    title: str
    svg: Markup
    caption: str = ""
    legend: list[dict[str, str]] = field(default_factory=list)  # {label, color, dash}
    header: list[str] = field(default_factory=list)  # data table header
    rows: list[list[Any]] = field(default_factory=list)  # data table rows (already formatted)
    wide: bool = True


@dataclass
class Row:
    """One row of an interval or bar chart."""

    label: str
    mean: float | None
    lo: float | None = None
    hi: float | None = None
    color: str = "#0072B2"
    note: str = ""
    marker: str = ""  # a shape of MARKERS instead of a dot (rows that stand for arms)


@dataclass
class Series:
    """One line of a line chart, with an optional band (``lo``/``hi``)."""

    label: str
    x: Sequence[float]
    y: Sequence[float]
    color: str
    dash: str = ""
    lo: Sequence[float] | None = None
    hi: Sequence[float] | None = None
    width: float = 2.0
    marker: str = ""  # a shape of MARKERS drawn at a few points along the line (series told apart without colour)
    marker_phase: float = 0.0  # where along the line the markers start, 0-1 (staggers markers of many series)


def funnel_chart(funnel: dict[str, dict[str, float]], *, stages: Sequence[str], statuses: Sequence[str],
                 labels: dict[str, str], colors: Sequence[str], lawful: Sequence[str], uid: str) -> Markup:
    """One 100%-stacked bar per stage, split by true status, with the total and the lawful share.

    Args:
        funnel: ``{stage: {status: count}}``.
        stages: Stage names, top to bottom.
        statuses: Status names, left to right.
        labels: Display name of each status.
        colors: One colour per status.
        lawful: Statuses counted as citizens or lawful residents.
        uid: Unique id prefix.
    """
    left, bar_w, row_h, top = 100.0, 450.0, 40.0, 26.0
    body = [text(left, 14, "Share of each stage by true legal status", cls="panel-title"),
            text(left + bar_w + 12, 14, "Total", cls="panel-title"),
            text(left + bar_w + 82, 14, "Citizens or lawful", cls="panel-title")]
    for i, stage in enumerate(stages):
        y = top + i * row_h
        total = sum(funnel[stage].values())
        body.append(text(left - 8, y + 19, stage.capitalize(), anchor="end", cls="row-label"))
        x = left
        for s, c in zip(statuses, colors, strict=False):
            w = bar_w * funnel[stage][s] / total if total > 0 else 0.0
            if w > 0:
                tip = f"{stage}: {labels[s]} {fmt(funnel[stage][s])} ({100 * funnel[stage][s] / total:.1f}%)"
                body.append(rect(x, y, w, 28, fill=c, tip=tip, stroke="#fff", stroke_width="0.5"))
            x += w
        if total <= 0:
            body.append(rect(left, y, bar_w, 28, fill="#f2f2f2", cls="mark empty"))
        share = sum(funnel[stage][s] for s in lawful) / total if total > 0 else float("nan")
        body.append(text(left + bar_w + 12, y + 19, fmt(total), cls="value"))
        body.append(text(left + bar_w + 82, y + 19, fmt(share, "share") if total > 0 else "n/a", cls="value strong"))
    height = top + len(stages) * row_h + 4
    desc = "For each stage from encountered to removed, the share of people of each true legal status; " \
           "the table after the chart gives the counts."
    return svg(left + bar_w + 230, height, body, title="The funnel by true legal status", desc=desc, uid=uid)


def _domain(rows: Sequence[Row], *, include: Sequence[float], log: bool) -> tuple[float, float]:
    vals = [v for r in rows for v in (r.mean, r.lo, r.hi) if v is not None and math.isfinite(v)]
    vals += list(include)
    if log:
        vals = [v for v in vals if v > 0] or [1.0]
        lo, hi = min(vals), max(vals)
        return lo / 1.25, hi * 1.25
    lo, hi = min(vals), max(vals)
    pad = 0.05 * (hi - lo if hi > lo else max(abs(hi), 1.0))
    return lo - pad if lo < 0 else lo, hi + pad


def interval_chart(rows: Sequence[Row], *, axis_label: str, uid: str, title: str, desc: str,
                   value_fmt: Callable[[float], str] = fmt, log: bool = False,
                   ref: float | None = 0.0, band: tuple[float, float] | None = None,
                   ref_lines: Sequence[tuple[float, str]] = (), label_w: float = 230.0,
                   width: float = _W) -> Markup:
    """Dots with interval whiskers, one row each (a forest plot), with reference lines and a band.

    Args:
        rows: The estimates, top to bottom.
        axis_label: Label of the value axis.
        uid: Unique id prefix.
        title: Chart title (for screen readers).
        desc: One-sentence description.
        value_fmt: Formats axis ticks and value labels.
        log: Log scale (ratios).
        ref: A solid reference line (0 for differences, 1 for ratios); None for none.
        band: A shaded range (e.g. the 0.8-1.25 four-fifths band).
        ref_lines: Dashed lines with a label, e.g. ``[(0.8, "0.8 rule")]``.
        label_w: Width reserved for row labels.
        width: Chart width.
    """
    row_h, top, right = 26.0, 22.0, 80.0
    include = ([ref] if ref is not None else []) + [v for v, _ in ref_lines] + (list(band) if band else [])
    d0, d1 = _domain(rows, include=include, log=log)
    sx = Scale((d0, d1), (label_w, width - right), log=log)
    y1 = top + len(rows) * row_h + 4
    ticks = log_ticks(d0, d1) if log else [t for t in nice_ticks(d0, d1) if d0 <= t <= d1]
    body = []
    if band:
        body.append(rect(sx(band[0]), top - 6, sx(band[1]) - sx(band[0]), y1 - top + 6, fill="#e8f3ec", cls="band"))
    body += x_axis(sx, ticks, y0=top - 6, y1=y1, label=axis_label, fmt=value_fmt)
    if ref is not None and d0 <= ref <= d1:
        body.append(line(sx(ref), top - 6, sx(ref), y1, cls="ref"))
    for v, label in ref_lines:
        body.append(line(sx(v), top - 6, sx(v), y1, cls="ref dashed"))
        body.append(text(sx(v), top - 10, label, anchor="middle", cls="ref-label"))
    for i, r in enumerate(rows):
        body += _interval_row(r, top + i * row_h + row_h / 2, sx, label_w=label_w, value_x=width - right + 8,
                              log=log, value_fmt=value_fmt)
    return svg(width, y1 + 40, body, title=title, desc=desc, uid=uid)


def _interval_row(r: Row, y: float, sx: Scale, *, label_w: float, value_x: float, log: bool,
                  value_fmt: Callable[[float], str]) -> list[str]:
    out = [text(label_w - 10, y + 4, r.label, anchor="end", cls="row-label")]
    if r.mean is None or not math.isfinite(r.mean) or (log and r.mean <= 0):
        return out + [text(label_w + 4, y + 4, "not available", cls="muted-text")]
    tip = f"{r.label}: {value_fmt(r.mean)}"
    if r.lo is not None and r.hi is not None:
        out.append(line(sx(r.lo), y, sx(r.hi), y, cls="whisker", stroke=r.color))
        out += [line(sx(v), y - 5, sx(v), y + 5, cls="whisker", stroke=r.color) for v in (r.lo, r.hi)]
        tip += f" ({value_fmt(r.lo)} to {value_fmt(r.hi)})"
    out.append(marker(r.marker or "circle", sx(r.mean), y, 5.5 if r.marker else 5, fill=r.color, tip=tip,
                      stroke="#fff", stroke_width="1"))
    out.append(text(value_x, y + 4, value_fmt(r.mean) + r.note, cls="value"))
    return out


def bar_chart(rows: Sequence[Row], *, axis_label: str, uid: str, title: str, desc: str,
              value_fmt: Callable[[float], str] = fmt, label_w: float = 230.0, width: float = _W) -> Markup:
    """Horizontal bars from zero with interval whiskers (for counts)."""
    row_h, top, right = 28.0, 10.0, 80.0
    vals = [v for r in rows for v in (r.mean, r.hi) if v is not None and math.isfinite(v)] or [1.0]
    ticks = nice_ticks(0.0, max(max(vals), 1e-9))
    sx = Scale((0.0, ticks[-1]), (label_w, width - right))
    y1 = top + len(rows) * row_h + 4
    body = x_axis(sx, ticks, y0=top, y1=y1, label=axis_label, fmt=value_fmt)
    for i, r in enumerate(rows):
        y = top + i * row_h
        body.append(text(label_w - 10, y + 18, r.label, anchor="end", cls="row-label"))
        if r.mean is None or not math.isfinite(r.mean):
            body.append(text(label_w + 4, y + 18, "not available", cls="muted-text"))
            continue
        body.append(rect(label_w, y + 4, sx(r.mean) - label_w, row_h - 10, fill=r.color,
                         tip=f"{r.label}: {value_fmt(r.mean)}"))
        if r.lo is not None and r.hi is not None:
            body.append(line(sx(r.lo), y + row_h / 2 - 1, sx(r.hi), y + row_h / 2 - 1, cls="whisker", stroke="#222"))
        body.append(text(width - right + 8, y + 18, value_fmt(r.mean), cls="value"))
    return svg(width, y1 + 40, body, title=title, desc=desc, uid=uid)


def line_chart(series: Sequence[Series], *, x_label: str, y_label: str, uid: str, title: str, desc: str,
               y_domain: tuple[float, float] | None = None, y_fmt: Callable[[float], str] = fmt,
               x_fmt: Callable[[float], str] = lambda v: f"{v:g}", width: float = _W, height: float = 300.0,
               diagonal: bool = False, x_domain: tuple[float, float] | None = None,
               h_lines: Sequence[tuple[float, str]] = ()) -> Markup:
    """Lines (with optional shaded bands) on linear axes; ``diagonal`` draws the equality line.

    ``h_lines`` are labelled dashed horizontal reference lines (a daily quota, for instance).
    """
    left, right, top, bottom = 64.0, 20.0, 12.0, 48.0
    xs = [v for s in series for v in s.x if math.isfinite(v)] or [0.0, 1.0]
    arrays = [arr for s in series for arr in (s.y, s.lo, s.hi) if arr is not None]
    ys = [v for arr in arrays for v in arr if math.isfinite(v)] or [0.0, 1.0]
    ys += [v for v, _ in h_lines if math.isfinite(v)]
    x0, x1 = x_domain or (min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1)
    yt = nice_ticks(*(y_domain or (min(0.0, min(ys)), max(ys))))
    y0, y1 = y_domain or (yt[0], yt[-1])
    yt = [t for t in yt if y0 - 1e-9 <= t <= y1 + 1e-9]
    sx = Scale((x0, x1), (left, width - right))
    sy = Scale((y0, y1), (height - bottom, top))
    xt = [t for t in nice_ticks(x0, x1, 6) if x0 - 1e-9 <= t <= x1 + 1e-9]
    body = y_axis(sy, yt, x0=left, x1=width - right, label=y_label, fmt=y_fmt)
    body += x_axis(sx, xt, y0=top, y1=height - bottom, label=x_label, fmt=x_fmt, grid=False)
    if diagonal:
        body.append(line(sx(x0), sy(y0), sx(x1), sy(y1), cls="diag"))
    for v, label in h_lines:
        if math.isfinite(v) and y0 <= v <= y1:
            body.append(line(sx(x0), sy(v), sx(x1), sy(v), cls="ref dashed"))
            body.append(text(sx(x1) - 4, sy(v) - 5, label, anchor="end", cls="ref-label"))
    for s in series:
        if s.lo is not None and s.hi is not None:
            pts = [(sx(x), sy(v)) for x, v in zip(s.x, s.hi, strict=False) if math.isfinite(v)]
            pts += [(sx(x), sy(v)) for x, v in reversed(list(zip(s.x, s.lo, strict=False))) if math.isfinite(v)]
            if pts:
                body.append(polygon(pts, fill=s.color, cls="band-mark", fill_opacity="0.15"))
    for s in series:
        pts = [(sx(x), sy(v)) for x, v in zip(s.x, s.y, strict=False) if math.isfinite(x) and math.isfinite(v)]
        if len(pts) > 1:
            body.append(polyline(pts, stroke=s.color, dash=s.dash, tip=s.label, stroke_width=str(s.width)))
        elif pts:
            body.append(circle(*pts[0], 3, fill=s.color, tip=s.label))
        if s.marker and pts:
            body += [marker(s.marker, *pts[i], 4.2, fill=s.color, tip=s.label, stroke="#fff", stroke_width="0.8",
                            cls="mark series-marker") for i in _marker_positions(len(pts), s.marker_phase)]
    return svg(width, height, body, title=title, desc=desc, uid=uid)


def _marker_positions(n: int, phase: float, count: int = 5) -> list[int]:
    """Indices of ``count`` markers spread along a line of ``n`` points, shifted by ``phase`` of one spacing.

    Examples:
        >>> _marker_positions(101, 0.0), _marker_positions(101, 0.5)
        ([0, 20, 40, 61, 81], [10, 30, 50, 71, 91])
    """
    if n <= 0:
        return []
    step = n / count
    return sorted({min(n - 1, int(round((k + phase) * step))) for k in range(count)})


def tornado_chart(rows: Sequence[tuple[str, float | None, float | None, str]], *, centre: float | None,
                  axis_label: str, uid: str, title: str, desc: str, value_fmt: Callable[[float], str] = fmt,
                  label_w: float = 300.0, width: float = _W) -> Markup:
    """One row per input: the figure with the input at the bottom (blue) and top (orange) of its range.

    Args:
        rows: ``(label, figure at the bottom, figure at the top, the range as text)``, largest swing first.
        centre: The figure with every input as in the run (a vertical reference line).
        axis_label: Label of the value axis.
        uid: Unique id prefix.
        title: Chart title (for screen readers).
        desc: One-sentence description.
        value_fmt: Formats ticks and values.
        label_w: Width reserved for row labels.
        width: Chart width.
    """
    row_h, top, right = 34.0, 14.0, 130.0
    vals = [v for _, a, b, _ in rows for v in (a, b) if v is not None and math.isfinite(v)]
    vals += [centre] if centre is not None and math.isfinite(centre) else []
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    ticks = nice_ticks(min(lo, 0.0) if lo >= 0 and lo < 0.25 * hi else lo, hi)
    sx = Scale((ticks[0], ticks[-1]), (label_w, width - right))
    y1 = top + len(rows) * row_h + 4
    body = x_axis(sx, ticks, y0=top, y1=y1, label=axis_label, fmt=value_fmt)
    if centre is not None and math.isfinite(centre):
        body.append(line(sx(centre), top - 4, sx(centre), y1, cls="ref"))
    for i, (label, a, b, span) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        body.append(text(label_w - 10, y, label, anchor="end", cls="row-label"))
        body.append(text(label_w - 10, y + 12, span, anchor="end", cls="tick"))
        ends = [(v, c, w) for v, c, w in ((a, "#0072B2", "bottom"), (b, "#D55E00", "top"))
                if v is not None and math.isfinite(v)]
        if len(ends) == 2:
            body.append(rect(sx(min(a, b)), y - 5, abs(sx(b) - sx(a)), 10, fill="#dddddd", cls="band"))
        for v, c, w in ends:
            body.append(circle(sx(v), y, 6, fill=c, tip=f"{label} at the {w} of its range: {value_fmt(v)}",
                               stroke="#fff", stroke_width="1"))
        shown = " → ".join(value_fmt(v) if v is not None and math.isfinite(v) else "n/a" for v in (a, b))
        body.append(text(width - right + 8, y + 4, shown, cls="value"))
    return svg(width, y1 + 40, body, title=title, desc=desc, uid=uid)

"""A sweep's report: the trade-off it traces, one point per design value, with intervals.

A sweep runs a scenario at every point of a design (a grid or a Latin hypercube over named fields),
each point on the same replicates (common random numbers). Its report answers the question a
sweep is run for: what does each setting cost and what does it spare? The trade-off chart puts,
for each point, the citizens and lawful residents wrongly detained (harm) against the arrests of
removable people (what the system is for), both with their 95% intervals over replicates. For a
sweep over one field the points are joined in the field's order and each headline figure is drawn
against the field. Everything is computed from the sweep's replicate summaries, as ``sweep.json``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from markupsafe import Markup

from scrutiny.metrics import METRICS, NON_NEGATIVE, mean_interval, support_of
from scrutiny.report._brief import number, text
from scrutiny.report._charts import Figure, Series, line_chart
from scrutiny.report._format import estimate, fmt, fmt_estimate
from scrutiny.report._run_view import HEADLINES, _label_unit
from scrutiny.report._stats import LAWFUL_STATUSES, REMOVABLE
from scrutiny.report._svg import SERIES, Scale, circle, line, nice_ticks, polyline, svg, x_axis, y_axis
from scrutiny.report._svg import text as svg_text

__all__ = ["sweep_points", "tradeoff_chart", "sweep_sections", "HARM", "LEGIT"]

#: The trade-off's axes: harm (y) and what the system is for (x), per point.
HARM = "lawful_residents_detained"
LEGIT = "arrests_of_removable_people"
_LABELS = {HARM: "Citizens and lawful residents detained", LEGIT: "Arrests of removable people"}


def _replicate_sums(summaries: Sequence[dict], statuses: Sequence[str]) -> np.ndarray:
    out = []
    for s in summaries:
        by = s.get("detained_by_status")
        out.append(sum(float(by.get(k, 0.0)) for k in statuses) if isinstance(by, dict) else math.nan)
    return np.array(out, dtype=np.float64)


def _scalar(summaries: Sequence[dict], key: str) -> np.ndarray:
    return np.array([float(s[key]) if isinstance(s.get(key), (int, float)) else math.nan for s in summaries],
                    dtype=np.float64)


def sweep_points(sweep: Any) -> list[dict[str, Any]]:
    """Per design point: its values, harm and legitimate arrests (mean and 95% interval), and the headlines."""
    out = []
    for i, values in enumerate(sweep.points):
        reps = sweep.summaries[i]
        harm, legit = _replicate_sums(reps, LAWFUL_STATUSES), _replicate_sums(reps, REMOVABLE)
        heads = {k: mean_interval(_scalar(reps, k), support=support_of(k)) for k, _ in HEADLINES
                 if any(isinstance(s.get(k), (int, float)) for s in reps)}
        out.append({"point": i, "values": dict(values), "harm": mean_interval(harm, support=NON_NEGATIVE),
                    "legit": mean_interval(legit, support=NON_NEGATIVE), "headlines": heads})
    return out


def _label(values: dict[str, Any]) -> str:
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values.values())


def tradeoff_chart(points: list[dict[str, Any]], *, joined: bool, uid: str = "sweep-tradeoff",
                   width: float = 760.0, height: float = 420.0) -> Markup:
    """Harm (y) against legitimate arrests (x), one point per design value with both 95% intervals."""
    left, right, top, bottom = 72.0, 24.0, 16.0, 52.0
    finite = [p for p in points if all(e["mean"] is not None and math.isfinite(e["mean"])
                                       for e in (p["harm"], p["legit"]))]
    xs = [v for p in finite for v in (p["legit"]["lo"], p["legit"]["hi"], p["legit"]["mean"])
          if v is not None and math.isfinite(v)] or [0.0, 1.0]
    ys = [v for p in finite for v in (p["harm"]["lo"], p["harm"]["hi"], p["harm"]["mean"])
          if v is not None and math.isfinite(v)] or [0.0, 1.0]
    xt, yt = nice_ticks(min(0.0, min(xs)), max(xs)), nice_ticks(min(0.0, min(ys)), max(ys))
    sx, sy = Scale((xt[0], xt[-1]), (left, width - right)), Scale((yt[0], yt[-1]), (height - bottom, top))
    body = y_axis(sy, yt, x0=left, x1=width - right, label=_LABELS[HARM], fmt=fmt)
    body += x_axis(sx, xt, y0=top, y1=height - bottom, label=_LABELS[LEGIT], fmt=fmt, grid=True)
    if joined and len(finite) > 1:
        body.append(polyline([(sx(p["legit"]["mean"]), sy(p["harm"]["mean"])) for p in finite], stroke=SERIES[0],
                             cls="line-mark", tip="in the order of the swept value", stroke_width="1.5"))
    labels: dict[tuple[int, int], tuple[float, float, list[str]]] = {}
    for p in finite:
        x, y = sx(p["legit"]["mean"]), sy(p["harm"]["mean"])
        color = SERIES[1]
        if p["legit"]["lo"] is not None and p["legit"]["hi"] is not None:
            body.append(line(sx(p["legit"]["lo"]), y, sx(p["legit"]["hi"]), y, cls="whisker", stroke=color))
        if p["harm"]["lo"] is not None and p["harm"]["hi"] is not None:
            body.append(line(x, sy(p["harm"]["lo"]), x, sy(p["harm"]["hi"]), cls="whisker", stroke=color))
        label = _label(p["values"])
        tip = (f"{label}: {fmt(p['harm']['mean'])} {_LABELS[HARM].lower()}, {fmt(p['legit']['mean'])} "
               f"{_LABELS[LEGIT].lower()}")
        body.append(circle(x, y, 5, fill=color, tip=tip, stroke="#fff", stroke_width="1", data_point=str(p["point"])))
        labels.setdefault((round(x / 6), round(y / 6)), (x, y, []))[2].append(label)
    for x, y, names in labels.values():  # points that land on one another share one label
        body.append(svg_text(x + 7, y - 7, " · ".join(names), cls="value point-label"))
    return svg(width, height, body, uid=uid, title="The trade-off: harm against legitimate arrests",
               desc="One dot per design point: citizens and lawful residents detained (up) against arrests of "
                    "removable people (across), each with its 95% interval over replicates; the label is the "
                    "point's value.")


def _one_numeric_field(sweep: Any) -> str | None:
    names = {k for p in sweep.points for k in p}
    if len(names) != 1:
        return None
    name = next(iter(names))
    ok = all(isinstance(p[name], (int, float)) and not isinstance(p[name], bool) for p in sweep.points)
    return name if ok else None


def _curves(points: list[dict[str, Any]], field: str) -> list[Figure]:
    """Each headline figure against the swept field, with its 95% band."""
    ordered = sorted(points, key=lambda p: p["values"][field])
    x = np.array([float(p["values"][field]) for p in ordered])
    figs = []
    for i, (key, _) in enumerate(HEADLINES):
        if not all(key in p["headlines"] for p in ordered):
            continue
        label, unit = _label_unit(key)
        share = unit == "share"
        e = [p["headlines"][key] for p in ordered]
        arr = {k: np.array([np.nan if v[k] is None else float(v[k]) for v in e]) for k in ("mean", "lo", "hi")}
        uid = f"sweep-curve-{i}"
        chart = line_chart([Series(label, x, arr["mean"], SERIES[2], lo=arr["lo"], hi=arr["hi"], marker="circle")],
                           x_label=field, y_label=label if len(label) < 34 else unit or "value", uid=uid,
                           title=f"{label} against {field}", width=420, height=280,
                           desc=f"{label} at each value of {field}, mean over replicates with its 95% band.",
                           y_fmt=(lambda v: f"{100 * v:.0f}%") if share else fmt)
        figs.append(Figure(uid, f"{label} against {field}", chart, wide=False,
                           caption="Mean over replicates; shaded: its 95% interval.",
                           header=[field, "Mean", "95% interval"],
                           rows=[[f"{xv:g}", *fmt_estimate(ev, unit)] for xv, ev in zip(x, e, strict=True)]))
    return figs


def _brief(sweep: Any, points: list[dict[str, Any]], field: str | None) -> list[list[dict]]:
    s = sweep.scenario
    fields = sorted({k for p in sweep.points for k in p})
    out = [[text(f"In this simulation ({s.name}: {s.world.n_people:,} synthetic people over {s.n_days} days), "
                 f"{len(points)} settings of {', '.join(fields)} were each run on the same {sweep.replicates} "
                 f"replicate{'s' if sweep.replicates != 1 else ''} (a {sweep.method}).")]]
    if field is None or len(points) < 2:
        return out
    ordered = sorted(points, key=lambda p: p["values"][field])
    for p, word in ((ordered[0], "lowest"), (ordered[-1], "highest")):
        harm, legit = number({}, HARM, entry=p["harm"], first=word == "lowest"), number({}, LEGIT, entry=p["legit"],
                                                                                    unit="arrests")
        if harm is None or legit is None:
            continue
        out.append([text(f"At the {word} {field} ({p['values'][field]:g}), "), harm,
                    text(" citizens and lawful residents were detained and "), legit,
                    text(" removable people were arrested.")])
    return out


def sweep_sections(sweep: Any) -> dict[str, Any]:
    """What the sweep's own sections show: the summary, the trade-off, the curves and the points' table."""
    points = sweep_points(sweep)
    field = _one_numeric_field(sweep)
    fields = sorted({k for p in sweep.points for k in p})
    table = []
    for p in points:
        cells = [fmt_estimate(p["harm"]), fmt_estimate(p["legit"])]
        for key, _ in HEADLINES:
            e = p["headlines"].get(key)
            unit = _label_unit(key)[1]
            cells.append(fmt_estimate(estimate(e, bounded=bool(METRICS.get(key) and METRICS[key].bounded)), unit)
                         if e else ("n/a", ""))
        settings = [_fmt_value(p["values"].get(f)) for f in fields]
        table.append({"point": p["point"], "settings": settings, "cells": cells})
    columns = [_LABELS[HARM], _LABELS[LEGIT]] + [_label_unit(k)[0] for k, _ in HEADLINES]
    trade = Figure("sweep-tradeoff", "The trade-off: harm against legitimate arrests",
                   tradeoff_chart(points, joined=field is not None), wide=True,
                   caption="Each dot is one setting of the design, labelled with its value"
                           + (f" and joined in the order of {field}" if field else "")
                           + ". Up is more citizens and lawful residents detained; right is more arrests of removable "
                             "people. Whiskers: 95% intervals over replicates. A setting below and to the right of "
                             "another is better on both counts.",
                   header=[*fields, _LABELS[HARM], "95% interval", _LABELS[LEGIT], "95% interval"],
                   rows=[[*(_fmt_value(p["values"].get(f)) for f in fields), *fmt_estimate(p["harm"]),
                          *fmt_estimate(p["legit"])] for p in points])
    return {"brief": _brief(sweep, points, field), "tradeoff": trade,
            "curves": _curves(points, field) if field else [], "fields": fields, "columns": columns,
            "points_table": table, "field": field, "method": sweep.method}


def _fmt_value(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)

"""Assemble the comparison sections of the report.

Safeguards side by side, sorted by harm removed, with the cost in legitimate arrests; each arm's
figures with its paired difference from baseline; per-arm maps and concentration curves.

Harm is the number of detentions of citizens and lawful residents; the cost is the change in
arrests of removable people. Both are paired per replicate (arms of one replicate share common
random numbers), so their intervals are intervals of paired differences.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scrutiny.metrics import METRICS, NON_NEGATIVE, band, mean_interval, tract_counts
from scrutiny.report._charts import Figure, Row, Series, interval_chart, line_chart
from scrutiny.report._data import ComparisonData
from scrutiny.report._explain import explanations, lead
from scrutiny.report._format import estimate, fmt, fmt_estimate, fmt_signed
from scrutiny.report._maps import ORANGES, choropleth
from scrutiny.report._run_view import HEADLINES, _label_unit
from scrutiny.report._stats import harm_and_legitimate, lorenz_mean, top_share_over_time
from scrutiny.report._svg import DASHES, MARKERS, SERIES, marker_icon

__all__ = ["arm_style", "safeguards", "metric_matrix", "arm_maps", "arm_concentration", "arm_rows"]


def arm_style(i: int) -> dict[str, Any]:
    """Colour, marker shape, dash and legend icon of the ``i``-th arm (baseline is 0).

    Colour and shape cycle together (8 colours, 6 shapes), so the first 24 arms each have their own
    (colour, shape) pair, and the dash changes after that (96 styles); charts that show arms as lines
    also label or mark each one, so any number of arms stays distinguishable.

    Examples:
        >>> len({(arm_style(i)["color"], arm_style(i)["marker"], arm_style(i)["dash"]) for i in range(96)})
        96
    """
    color, shape = SERIES[i % len(SERIES)], MARKERS[i % len(MARKERS)]
    dash = DASHES[(i // 24) % len(DASHES)]
    return {"color": color, "marker": shape, "dash": dash, "icon": marker_icon(shape, color),
            "line_icon": marker_icon(shape, color, dash or "none")}


def _overrides_text(overrides: Any) -> str:
    if not overrides:
        return "nothing (the baseline)"
    if isinstance(overrides, dict):
        return "; ".join(f"{k} = {v}" for k, v in overrides.items())
    return str(overrides)


def arm_rows(cmp: ComparisonData) -> list[dict[str, Any]]:
    """One row per arm: name, description, overrides, config hash, style."""
    info = cmp.summary.get("arms", {})
    out = []
    for i, name in enumerate(cmp.names):
        meta = info.get(name, {})
        out.append({"name": name, "description": meta.get("description", ""), "baseline": name == cmp.baseline,
                    "overrides": _overrides_text(meta.get("overrides")), **arm_style(i),
                    "config_hash": meta.get("config_hash", cmp.arms[name].provenance.get("config_hash", ""))})
    return out


def _paired(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    n = min(a.size, b.size)
    return mean_interval(a[:n] - b[:n])


def safeguards(cmp: ComparisonData) -> dict[str, Any]:
    """Harm removed and legitimate arrests lost per arm (paired), sorted by harm removed, with the lead in words.

    The change in harm is the comparison's own paired difference of ``lawful_residents_detained``
    (``comparison.json``) where it has one, so the words and the file agree.
    """
    base_h, base_l = harm_and_legitimate(cmp.arms[cmp.baseline])
    styles = {r["name"]: r for r in arm_rows(cmp)}
    diffs = cmp.summary.get("differences", {})
    rows = []
    for name in cmp.names:
        h, leg = harm_and_legitimate(cmp.arms[name])
        lawful = estimate(cmp.summary.get("arms", {}).get(name, {}).get("metrics", {}).get(
            "lawful_residents_detained_per_1000_arrests", cmp.arms[name].metrics.get(
                "lawful_residents_detained_per_1000_arrests")))
        d_harm = diffs.get(name, {}).get("lawful_residents_detained") or _paired(h, base_h)
        rows.append({
            "name": name, "style": styles[name], "baseline": name == cmp.baseline, "h": h,
            "harm": mean_interval(h, support=NON_NEGATIVE), "legit": mean_interval(leg, support=NON_NEGATIVE),
            "lawful_rate": lawful, "d_harm": d_harm, "d_legit": _paired(leg, base_l),
            "d_rate": estimate(diffs.get(name, {}).get("lawful_residents_detained_per_1000_arrests"), signed=True),
            "same": name != cmp.baseline and bool(np.array_equal(h, base_h) and np.array_equal(leg, base_l)),
        })
    arms = sorted([r for r in rows if not r["baseline"]], key=lambda r: _sort_key(r["d_harm"]["mean"]))
    ordered = [r for r in rows if r["baseline"]] + arms
    figs = [_forest(arms, "d_harm", "safeguards-harm", "Change in citizens and lawful residents detained",
                    "Harm removed: the paired change in detentions of citizens and lawful residents against the "
                    "baseline (negative is better)."),
            _forest(arms, "d_legit", "safeguards-cost", "Change in arrests of removable people",
                    "The cost: the paired change in arrests of people the law allows to be removed (negative means "
                    "legitimate arrests lost).")]
    return {"rows": ordered, "figures": figs, "table": [_table_row(r) for r in ordered],
            "lead": lead(cmp, ordered), "explanations": explanations(cmp, ordered)}


def _sort_key(v: float) -> float:
    return v if np.isfinite(v) else float("inf")


def _forest(rows: list[dict], key: str, uid: str, title: str, caption: str) -> Figure:
    chart_rows = [Row(r["name"], *(_e(r[key])), color=r["style"]["color"], marker=r["style"]["marker"])
                  for r in rows]
    svg = interval_chart(chart_rows, axis_label=title + " (per replicate, paired)", uid=uid, ref=0.0, title=title,
                         desc=caption, value_fmt=lambda v: fmt_signed(v), label_w=200, width=560)
    return Figure(uid, title, svg, caption=caption + " Dots: mean over replicates; whiskers: 95% interval of the "
                                                     "paired difference.", wide=False,
                  header=["Arm", "Change", "95% interval"],
                  rows=[[r.label, *fmt_estimate({"mean": r.mean, "lo": r.lo, "hi": r.hi}, signed=True)]
                        for r in chart_rows])


def _e(d: dict) -> tuple[float | None, float | None, float | None]:
    e = estimate(d, signed=True)
    return e["mean"], e["lo"], e["hi"]


def _table_row(r: dict) -> dict[str, Any]:
    harm, legit = estimate(r["harm"]), estimate(r["legit"])
    rate = r["lawful_rate"]
    base = r["baseline"]

    def pair(e: dict, unit: str = "", signed: bool = False) -> tuple[str, str]:
        return ("", "") if base and signed else fmt_estimate(e, unit, signed=signed)

    out = {"name": r["name"], "style": r["style"], "baseline": base, "same": r["same"]}
    for key, e, signed in (("harm", harm, False), ("legit", legit, False), ("rate", rate, False),
                           ("d_harm", estimate(r["d_harm"], signed=True), True),
                           ("d_legit", estimate(r["d_legit"], signed=True), True), ("d_rate", r["d_rate"], True)):
        out[key], out[key + "_ci"] = pair(e, signed=signed)
    return out


def metric_matrix(cmp: ComparisonData) -> dict[str, Any]:
    """Arms x headline metrics: each arm's value with its interval and its paired change from the baseline.

    One row per arm (so the table keeps its width whatever the number of arms), one column per headline figure.
    """
    arms, diffs = cmp.summary.get("arms", {}), cmp.summary.get("differences", {})
    styles = {r["name"]: r for r in arm_rows(cmp)}
    columns = [{"key": key, **dict(zip(("label", "unit"), _label_unit(key), strict=True))} for key, _ in HEADLINES]
    rows = []
    for name in cmp.names:
        metrics = arms.get(name, {}).get("metrics") or cmp.arms[name].metrics
        base = name == cmp.baseline
        cells = []
        for col in columns:
            key, unit = col["key"], col["unit"]
            if key not in metrics:
                cells.append({"value": "not measured", "interval": "", "diff": "", "diff_ci": ""})
                continue
            e = estimate(metrics[key], bounded=key in METRICS and METRICS[key].bounded)
            d = estimate(diffs.get(name, {}).get(key), signed=True)
            value, interval = fmt_estimate(e, unit)
            diff, diff_ci = ("", "") if base else fmt_estimate(d, unit, signed=True)
            cells.append({"value": value, "interval": interval, "diff": diff, "diff_ci": diff_ci})
        rows.append({"name": name, "baseline": base, "style": styles[name], "cells": cells})
    return {"columns": columns, "rows": rows}


def arm_maps(cmp: ComparisonData, uid: str = "armmap") -> list[Figure]:
    """Small multiples: detentions of citizens and lawful residents by area, one map per arm (replicate 0)."""
    per = {}
    for name in cmp.names:
        data = cmp.arms[name]
        per[name] = (data, tract_counts(data.events[0], data.n_tracts(0))["wrongful"])
    vmax = max((float(v.max()) for _, v in per.values() if v.size), default=0.0)
    figs = []
    for i, name in enumerate(cmp.names):
        data, values = per[name]
        t = data.tracts_of(0)
        n = data.n_tracts(0)
        svg = choropleth(t["x_km"].to_numpy(float)[:n], t["y_km"].to_numpy(float)[:n], values, ramp=ORANGES,
                         uid=f"{uid}-{i}", title=f"{name}: citizens and lawful residents detained by area",
                         desc=f"Detentions of citizens and lawful residents in each area under arm {name}.",
                         unit="detained", cell_km=float(data.world_info.get("tract_km", 1.5)), size=210.0, vmax=vmax,
                         geojson=data.geometry)
        figs.append(Figure(f"{uid}-{i}", name, svg, wide=False, caption=f"Total {fmt(values.sum())}.",
                           header=["Area", "Detained"], rows=[[j, fmt(v)] for j, v in enumerate(values)]))
    return figs


def arm_concentration(cmp: ComparisonData) -> list[Figure]:
    """Lorenz curves and the top-decile share over time, one line per arm."""
    lor, top, rows_l, rows_t, legend = [], [], [], [], []
    for i, name in enumerate(cmp.names):
        st = arm_style(i)
        data = cmp.arms[name]
        x, y, g = lorenz_mean(data)
        gtxt = f"{np.nanmean(g):.2f}" if np.isfinite(np.array(g, dtype=float)).any() else "n/a"
        phase = i / max(len(cmp.names), 1)
        lor.append(Series(f"{name} (Gini {gtxt})", x, y, st["color"], dash=st["dash"], marker=st["marker"],
                          marker_phase=phase))
        mean, _, _ = band(top_share_over_time(data))
        top.append(Series(name, np.arange(mean.size, dtype=float), mean, st["color"], dash=st["dash"],
                          marker=st["marker"], marker_phase=phase))
        legend.append({"label": f"{name} (Gini {gtxt})", "color": st["color"], "dash": st["dash"],
                       "icon": st["line_icon"], "marker": st["marker"]})
        rows_l.append([name, gtxt])
        last = mean[np.isfinite(mean)]
        rows_t.append([name, fmt(last[-1], "share") if last.size else "n/a"])
    pct = lambda v: f"{100 * v:.0f}%"  # noqa: E731
    svg_l = line_chart(lor, x_label="Share of areas, least to most visited", y_label="Share of operations",
                       uid="cmp-lorenz", title="Lorenz curves of operations, by arm",
                       desc="Cumulative share of operations against cumulative share of areas for each arm.",
                       y_domain=(0, 1), x_domain=(0, 1), diagonal=True, y_fmt=pct, x_fmt=pct, width=420, height=340)
    svg_t = line_chart(top, x_label="Day", y_label="Share of operations", uid="cmp-top", y_domain=(0, 1), y_fmt=pct,
                       title="Share of operations in the top 10% of areas, by arm",
                       desc="Share of operations so far in the most-visited 10% of areas, by day, for each arm.",
                       width=420, height=340)
    return [Figure("cmp-lorenz", "Lorenz curves of operations", svg_l, wide=False, legend=legend,
                   caption="Mean over replicates; the dashed diagonal is an even spread.",
                   header=["Arm", "Gini of operations over areas"], rows=rows_l),
            Figure("cmp-top", "Share of operations in the top 10% of areas", svg_t, wide=False, legend=legend,
                   caption="Mean over replicates. A line climbing towards 100% is the runaway.",
                   header=["Arm", "Share on the last day"], rows=rows_t)]

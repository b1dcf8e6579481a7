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

from scrutiny.metrics import METRICS, band, mean_interval, tract_counts
from scrutiny.report._charts import Figure, Row, Series, interval_chart, line_chart
from scrutiny.report._data import ComparisonData
from scrutiny.report._format import estimate, fmt, fmt_interval, fmt_signed
from scrutiny.report._maps import ORANGES, choropleth
from scrutiny.report._run_view import HEADLINES, _label_unit
from scrutiny.report._stats import harm_and_legitimate, lorenz_mean, top_share_over_time
from scrutiny.report._svg import DASHES, SERIES

__all__ = ["arm_style", "safeguards", "metric_matrix", "arm_maps", "arm_concentration", "arm_rows"]


def arm_style(i: int) -> dict[str, str]:
    """Colour and dash of the ``i``-th arm (baseline is 0)."""
    return {"color": SERIES[i % len(SERIES)], "dash": DASHES[(i // len(SERIES)) % len(DASHES)]}


def _overrides_text(overrides: Any) -> str:
    if not overrides:
        return "nothing (the baseline)"
    if isinstance(overrides, dict):
        return "; ".join(f"{k} = {v}" for k, v in overrides.items())
    return str(overrides)


def arm_rows(cmp: ComparisonData) -> list[dict[str, Any]]:
    """One row per arm: name, description, overrides, config hash, colour."""
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
    """Harm removed and legitimate arrests lost per arm (paired), sorted by harm removed."""
    base_h, base_l = harm_and_legitimate(cmp.arms[cmp.baseline])
    styles = {r["name"]: r for r in arm_rows(cmp)}
    rows = []
    for name in cmp.names:
        h, leg = harm_and_legitimate(cmp.arms[name])
        lawful = estimate(cmp.summary.get("arms", {}).get(name, {}).get("metrics", {}).get(
            "lawful_residents_detained_per_1000_arrests", cmp.arms[name].metrics.get(
                "lawful_residents_detained_per_1000_arrests")))
        rows.append({
            "name": name, "style": styles[name], "baseline": name == cmp.baseline,
            "harm": mean_interval(h), "legit": mean_interval(leg), "lawful_rate": lawful,
            "d_harm": _paired(h, base_h), "d_legit": _paired(leg, base_l),
            "d_rate": estimate(cmp.summary.get("differences", {}).get(name, {}).get(
                "lawful_residents_detained_per_1000_arrests"), signed=True),
        })
    arms = sorted([r for r in rows if not r["baseline"]], key=lambda r: _sort_key(r["d_harm"]["mean"]))
    ordered = [r for r in rows if r["baseline"]] + arms
    figs = [_forest(arms, "d_harm", "safeguards-harm", "Change in citizens and lawful residents detained",
                    "Harm removed: the paired change in detentions of citizens and lawful residents against the "
                    "baseline (negative is better)."),
            _forest(arms, "d_legit", "safeguards-cost", "Change in arrests of removable people",
                    "The cost: the paired change in arrests of people the law allows to be removed (negative means "
                    "legitimate arrests lost).")]
    best = arms[0] if arms and np.isfinite(arms[0]["d_harm"]["mean"]) else None
    return {"rows": ordered, "figures": figs, "best": best, "table": [_table_row(r) for r in ordered],
            "finding": finding(best, len(arms), cmp.baseline)}


def finding(best: dict | None, n_arms: int, baseline: str) -> list[str]:
    """The comparison's lead, in plain sentences that do not claim more than the intervals allow."""
    if n_arms == 0:
        return []
    plural = "" if n_arms == 1 else "s"
    if best is None or not best["d_harm"]["mean"] < 0:
        return [f"None of the {n_arms} safeguard{plural} compared with the baseline ({baseline}) reduced "
                "detentions of citizens and lawful residents in these runs."]
    t = _table_row(best)
    out = [f"Of the {n_arms} safeguard{plural} compared with the baseline ({baseline}), {best['name']} removed the "
           f"most harm: {t['d_harm']} detentions of citizens and lawful residents (95% interval "
           f"{t['d_harm_ci'] or 'n/a'}), with a change of {t['d_legit']} in arrests of removable people (95% "
           f"interval {t['d_legit_ci'] or 'n/a'})."]
    if not _excludes_zero(best["d_harm"]):
        out.append("Its interval includes zero: with these replicates the reduction cannot be told apart from none.")
    if t["d_rate"]:
        out.append(f"Per 1,000 arrests, citizens and lawful residents detained changed by {t['d_rate']} "
                   f"({t['d_rate_ci'] or 'no interval'}).")
        if (not _excludes_zero(best["d_rate"]) and _excludes_zero(best["d_harm"])
                and _excludes_zero(best["d_legit"]) and best["d_legit"]["mean"] < 0):
            out.append("It removes harm mostly by making fewer arrests, not by making them more accurate.")
    return out


def _excludes_zero(e: dict) -> bool:
    lo, hi = e.get("lo"), e.get("hi")
    return lo is not None and hi is not None and (lo > 0 or hi < 0)


def _sort_key(v: float) -> float:
    return v if np.isfinite(v) else float("inf")


def _forest(rows: list[dict], key: str, uid: str, title: str, caption: str) -> Figure:
    chart_rows = [Row(r["name"], *(_e(r[key])), color=r["style"]["color"]) for r in rows]
    svg = interval_chart(chart_rows, axis_label=title + " (per replicate, paired)", uid=uid, ref=0.0, title=title,
                         desc=caption, value_fmt=lambda v: fmt_signed(v), label_w=200, width=560)
    return Figure(uid, title, svg, caption=caption + " Dots: mean over replicates; whiskers: 95% interval of the "
                                                     "paired difference.", wide=False,
                  header=["Arm", "Change", "95% interval"],
                  rows=[[r.label, fmt_signed(r.mean), fmt_interval({"lo": r.lo, "hi": r.hi}, signed=True)]
                        for r in chart_rows])


def _e(d: dict) -> tuple[float | None, float | None, float | None]:
    e = estimate(d, signed=True)
    return e["mean"], e["lo"], e["hi"]


def _table_row(r: dict) -> dict[str, str]:
    harm, legit = estimate(r["harm"]), estimate(r["legit"])
    rate = r["lawful_rate"]
    same = not r["baseline"] and all(r[k].get("mean") == 0 and r[k].get("lo") == 0 and r[k].get("hi") == 0
                                     for k in ("d_harm", "d_legit"))
    return {
        "name": r["name"], "color": r["style"]["color"], "baseline": r["baseline"], "same": same,
        "harm": fmt(harm["mean"]), "harm_ci": fmt_interval(harm),
        "d_harm": "" if r["baseline"] else fmt_signed(r["d_harm"]["mean"]),
        "d_harm_ci": "" if r["baseline"] else fmt_interval(estimate(r["d_harm"], signed=True), signed=True),
        "legit": fmt(legit["mean"]), "legit_ci": fmt_interval(legit),
        "d_legit": "" if r["baseline"] else fmt_signed(r["d_legit"]["mean"]),
        "d_legit_ci": "" if r["baseline"] else fmt_interval(estimate(r["d_legit"], signed=True), signed=True),
        "rate": fmt(rate["mean"]), "rate_ci": fmt_interval(rate),
        "d_rate": "" if r["baseline"] else fmt_signed(r["d_rate"]["mean"]),
        "d_rate_ci": "" if r["baseline"] else fmt_interval(r["d_rate"], signed=True),
    }


def metric_matrix(cmp: ComparisonData) -> list[dict[str, Any]]:
    """Headline metrics x arms: each arm's value and interval and its paired difference from baseline."""
    arms, diffs = cmp.summary.get("arms", {}), cmp.summary.get("differences", {})
    out = []
    for key, _ in HEADLINES:
        label, unit = _label_unit(key)
        cells = []
        for name in cmp.names:
            metrics = arms.get(name, {}).get("metrics") or cmp.arms[name].metrics
            if key not in metrics:
                cells.append({"value": "not measured", "interval": "", "diff": "", "diff_ci": ""})
                continue
            e = estimate(metrics[key], bounded=key in METRICS and METRICS[key].bounded)
            d = estimate(diffs.get(name, {}).get(key), signed=True)
            base = name == cmp.baseline
            cells.append({"value": fmt(e["mean"], unit), "interval": fmt_interval(e, unit),
                          "diff": "" if base else fmt_signed(d["mean"], unit),
                          "diff_ci": "" if base else fmt_interval(d, unit, signed=True)})
        out.append({"key": key, "label": label, "cells": cells})
    return out


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
        lor.append(Series(f"{name} (Gini {gtxt})", x, y, st["color"], dash=st["dash"]))
        mean, _, _ = band(top_share_over_time(data))
        top.append(Series(name, np.arange(mean.size, dtype=float), mean, st["color"], dash=st["dash"]))
        legend.append({"label": f"{name} (Gini {gtxt})", "color": st["color"], "dash": st["dash"]})
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

"""Assemble the sections of a run's report.

Headline panel, funnel, maps, concentration, disparity, data collected, all figures. Each function
returns plain dicts and :class:`Figure` objects the templates lay out; metrics another stage has
not produced yet become a visible note instead.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scrutiny.codes import (
    GROUPS,
    PLACE_TYPES,
    PROTECTED_PLACE_TYPES,
    REFERENCE_GROUP,
    STATUS_LABELS,
)
from scrutiny.metrics import FAMILIES, FUNNEL_STAGES, METRICS, NON_NEGATIVE, UNIT, band, tract_counts
from scrutiny.report._charts import (
    Figure,
    Row,
    Series,
    bar_chart,
    funnel_chart,
    interval_chart,
    line_chart,
)
from scrutiny.report._data import RunData
from scrutiny.report._format import estimate, fmt, fmt_estimate, fmt_interval, is_number
from scrutiny.report._maps import BLUES, GREENS, ORANGES, choropleth
from scrutiny.report._stats import (
    funnel_mean,
    group_disparity,
    lorenz_mean,
    statuses_of,
    top_share_over_time,
)
from scrutiny.report._svg import SERIES

__all__ = [
    "HEADLINES", "STATUS_COLORS", "headline_cards", "funnel_figure", "map_figures", "concentration_figures",
    "place_type_figure", "disparity_figures", "daily_figures", "data_collected", "metrics_table", "group_label",
    "missing_note",
]

#: Headline metrics and the plain-language reading of each ({v} is the formatted value).
HEADLINES: tuple[tuple[str, str], ...] = (
    ("citizens_detained_per_1000_arrests", "Of every 1,000 people arrested, about {v} were {citizens}."),
    ("lawful_residents_detained_per_1000_arrests",
     "Of every 1,000 people arrested, about {v} were citizens or residents with a lawful status."),
    ("wrongful_share_of_detained", "{v} of the people detained had the right to be in the country."),
    ("scans_of_non_targets",
     "Over {days} days, officers ran {v} face scans of citizens and lawful residents."),
    ("bystander_records_per_arrest",
     "Each arrest came with about {v} data records on people who were not targets."),
)
_HEADLINE_LABELS = {"bystander_records_per_arrest": ("Bystander records per arrest", "records per arrest")}
#: Short status names for table headers.
SHORT_STATUS: dict[str, str] = {
    "citizen_birth": "Citizen by birth", "naturalised": "Naturalised", "lpr": "Permanent resident",
    "visa": "Visa holder", "protected": "Protected or pending", "unauthorised": "Unauthorised",
    "final_order": "Final order",
}
#: One colour per true status (Okabe-Ito): lawful statuses in blues and greens, removable in oranges.
STATUS_COLORS: tuple[str, ...] = ("#0072B2", "#56B4E9", "#009E73", "#7FC9B5", "#CC79A7", "#E69F00", "#D55E00")
_LAWFUL_COLORS = (*STATUS_COLORS[:5], "#9C9EDE", "#3F5F8F", "#8FBC8F")
_REMOVABLE_COLORS = (*STATUS_COLORS[5:], "#A6611A", "#F0C05A")


def status_colors(statuses: tuple[str, ...], lawful: tuple[str, ...]) -> tuple[str, ...]:
    """One colour per status of a jurisdiction: lawful ones in blues and greens, removable in oranges, in order.

    The US statuses get :data:`STATUS_COLORS`; a jurisdiction with more statuses reuses the palettes cyclically.
    """
    n_lawful = n_removable = 0
    colors = []
    for s in statuses:
        if s in lawful:
            colors.append(_LAWFUL_COLORS[n_lawful % len(_LAWFUL_COLORS)])
            n_lawful += 1
        else:
            colors.append(_REMOVABLE_COLORS[n_removable % len(_REMOVABLE_COLORS)])
            n_removable += 1
    return tuple(colors)


def group_label(group: str) -> str:
    """``"black_woman"`` -> ``"Black women"``."""
    race, sex = group.split("_")
    return f"{race.capitalize()} {'men' if sex == 'man' else 'women'}"


def missing_note(title: str, keys: str) -> dict[str, str]:
    """A visible note for a figure the run could not produce (the metric is absent)."""
    return {"title": title, "text": f"Not measured in this run: summary.json has no {keys}. This version of the "
                                    "model does not produce it yet; the section fills in when a run records it."}


def _label_unit(key: str) -> tuple[str, str]:
    if key in METRICS:
        return METRICS[key].label, METRICS[key].unit
    return _HEADLINE_LABELS.get(key, (key.replace("_", " ").capitalize(), ""))


def headline_cards(metrics: dict, *, n_days: int, n_replicates: int, country: str = "US") -> list[dict[str, Any]]:
    """The headline panel: value, 95% interval, and one plain-language sentence per figure.

    ``country`` names the jurisdiction's citizens in the sentences ("US citizens"; "" for plain "citizens").
    """
    citizens = f"{country} citizens" if country else "citizens"
    cards = []
    for key, reading in HEADLINES:
        label, unit = _label_unit(key)
        if key not in metrics:
            cards.append({"key": key, "label": label, "value": "not measured", "raw": None, "interval": "",
                          "reading": "This run does not record it yet (the data sources that keep records on "
                                     "bystanders are not modelled in this version).", "missing": True})
            continue
        est = estimate(metrics[key], bounded=METRICS[key].bounded if key in METRICS else False)
        value, interval = fmt_estimate(est, unit)
        cards.append({
            "key": key, "label": label, "value": value, "raw": est["mean"], "unit": unit, "missing": False,
            "interval": interval, "n": est["n"] if n_replicates > 1 else 1,
            "reading": reading.format(v=value, days=n_days, citizens=citizens),
        })
    return cards


def funnel_figure(data: RunData, uid: str = "funnel") -> Figure:
    """The funnel by true status: chart and table (mean counts over replicates)."""
    funnel = funnel_mean(data)
    vocab, lawful_statuses, _ = statuses_of(data)
    statuses = vocab.statuses
    labels = {**STATUS_LABELS, **vocab.status_labels}
    colors = status_colors(statuses, lawful_statuses)
    svg = funnel_chart(funnel, stages=FUNNEL_STAGES, statuses=statuses, labels=labels, colors=colors,
                       lawful=lawful_statuses, uid=uid)
    rows = []
    for st in FUNNEL_STAGES:
        total = sum(funnel[st].values())
        lawful = sum(funnel[st][s] for s in lawful_statuses)
        rows.append([st.capitalize(), *[fmt(funnel[st][s]) for s in statuses], fmt(total),
                     fmt(lawful / total, "share") if total else "n/a"])
    mean_note = " (mean over replicates)" if data.n_replicates > 1 else ""
    return Figure(
        key=uid, title="The funnel, by true legal status", svg=svg,
        caption=f"Who was at each stage{mean_note}. Blues and greens are citizens and lawful residents; "
                "orange and vermilion are the people the system is meant to find. Encountered: present at an "
                "operation; matched: the face search returned a record; flagged: that record shows a removable "
                "status.",
        legend=[{"label": labels[s], "color": c} for s, c in zip(statuses, colors, strict=True)],
        header=["Stage", *[SHORT_STATUS.get(s, labels[s]) for s in statuses], "Total", "Citizens or lawful"],
        rows=rows,
    )


def map_figures(data: RunData, *, r: int = 0, uid: str = "map") -> list[Figure]:
    """Maps of one replicate: foreign-born share (context), operations, and wrongful detentions."""
    tracts = data.tracts_of(r)
    n = data.n_tracts(r)
    fig = tract_counts(data.events[r], n)
    x, y = tracts["x_km"].to_numpy(float)[:n], tracts["y_km"].to_numpy(float)[:n]
    pop = tracts["population"].to_numpy(float)[:n]
    fb = np.divide(tracts["foreign_born"].to_numpy(float)[:n], pop, out=np.zeros(n), where=pop > 0)
    geo = dict(geojson=data.geometry, geoids=list(tracts["geoid"].fillna("").astype(str)) if "geoid" in tracts else (),
               cell_km=float(data.world_info.get("tract_km", 1.5)), size=300.0)
    specs = [
        ("foreign", "Residents born abroad", fb * 100, GREENS, "% of residents",
         "Share of each area's residents born abroad (the public aggregate the agency can see)."),
        ("ops", "Operations", fig["operations"], BLUES, "operations", "Operations (site visits) in each area."),
        ("harm", "Citizens and lawful residents detained", fig["wrongful"], ORANGES, "detained",
         "Detentions of citizens and lawful residents in each area."),
    ]
    rep = data.replicates[r]["replicate"]
    header = ["Area", "x (km)", "y (km)", "Residents", "Born abroad", "Operations", "Citizens and lawful detained",
              "Scans of citizens and lawful"]
    rows = [[i, f"{x[i]:g}", f"{y[i]:g}", fmt(pop[i]), fmt(fb[i], "share"), fmt(fig["operations"][i]),
             fmt(fig["wrongful"][i]), fmt(fig["scans_lawful"][i])] for i in range(n)]
    out = []
    for key, title, values, ramp, unit, desc in specs:
        svg = choropleth(x, y, values, ramp=ramp, uid=f"{uid}-{key}", title=title, desc=desc, unit=unit, **geo)
        out.append(Figure(key=f"{uid}-{key}", title=title, svg=svg, caption=desc, wide=False))
    out[-1].header, out[-1].rows = header, rows
    out[-1].caption += f" Replicate {rep} (numbered from 0); the data table lists every area in id order."
    return out


def concentration_figures(data: RunData, uid: str = "conc") -> tuple[list[Figure], list[dict]]:
    """Lorenz curve, top-decile share over time, and allocation divergence when the run has it."""
    figs, notes = [], []
    x, y, ginis = lorenz_mean(data)
    g = np.array(ginis, dtype=float)
    gtxt = f"Gini {np.nanmean(g):.2f}" if np.isfinite(g).any() else "Gini n/a"
    svg = line_chart([Series(f"Operations over areas ({gtxt})", x, y, SERIES[1])],
                     x_label="Share of areas, least to most visited", y_label="Share of operations",
                     uid=f"{uid}-lorenz", title="Lorenz curve of operations over areas",
                     desc="Cumulative share of operations against cumulative share of areas; the dashed diagonal "
                          "is an even spread.", y_domain=(0.0, 1.0), x_domain=(0.0, 1.0), diagonal=True,
                     y_fmt=lambda v: f"{100 * v:.0f}%", x_fmt=lambda v: f"{100 * v:.0f}%", width=420, height=340)
    idx = np.linspace(0, len(x) - 1, min(len(x), 11)).round().astype(int)
    figs.append(Figure(f"{uid}-lorenz", "Lorenz curve of operations", svg, wide=False,
                       caption=f"The further the curve sags below the diagonal, the more operations concentrate on "
                               f"a few areas ({gtxt}, mean over replicates).",
                       legend=[{"label": f"Operations ({gtxt})", "color": SERIES[1], "dash": ""},
                               {"label": "Even spread", "color": "#888", "dash": "4 3"}],
                       header=["Share of areas", "Share of operations"],
                       rows=[[fmt(x[i], "share"), fmt(y[i], "share")] for i in idx]))
    top = top_share_over_time(data)
    figs.append(_series_figure(f"{uid}-top", top, "Share of operations in the top 10% of areas",
                               "Operations so far in the most-visited 10% of areas, by day. A line that climbs "
                               "towards 100% is the runaway: the loop keeps returning where it already looked.",
                               share=True))
    if "allocation_divergence" in data.daily:
        mat = _daily_matrix(data, "allocation_divergence")
        figs.append(_series_figure(f"{uid}-div", mat, "Allocation divergence",
                                   "Divergence between where operations go and where removable people truly are, "
                                   "by day; 0 is an allocation that follows the truth.", share=False))
    else:
        notes.append(missing_note("Allocation divergence", "allocation_divergence series in daily.csv"))
    return figs, notes


def _series_matrix(data: RunData, name: str) -> np.ndarray | None:
    """A by-day metric's per-replicate values as float64[replicates, days], or None when absent."""
    per_day = data.values(name)
    if not isinstance(per_day, dict) or not per_day:
        return None
    return np.array([per_day[d] for d in sorted(per_day, key=int)]).T


def _daily_matrix(data: RunData, column: str) -> np.ndarray:
    d = data.daily
    reps = [rep["replicate"] for rep in data.replicates]
    rows = [d.loc[d["replicate"] == r].sort_values("day")[column].to_numpy(float) for r in reps]
    size = min(len(r) for r in rows)
    return np.array([r[:size] for r in rows])


def _series_figure(key: str, matrix: np.ndarray, title: str, caption: str, *, share: bool,
                   y_domain: tuple[float, float] | None = (0.0, 1.0), y_label: str | None = None) -> Figure:
    mean, lo, hi = band(matrix, support=UNIT if share else NON_NEGATIVE)
    days = np.arange(mean.size, dtype=float)
    f = (lambda v: f"{100 * v:.0f}%") if share else (lambda v: f"{v:.2g}")
    y_label = y_label or (title if len(title) < 30 else ("Share of operations" if share else "Divergence"))
    svg = line_chart([Series(title, days, mean, SERIES[2], lo=lo, hi=hi)], x_label="Day", y_label=y_label, uid=key,
                     title=title, desc=caption, y_domain=y_domain if share else None, y_fmt=f, width=420, height=340)
    step = max(1, mean.size // 12)
    unit = "share" if share else ""
    return Figure(key, title, svg, caption=caption + " Shaded: 95% interval across replicates.", wide=False,
                  legend=[{"label": "Mean over replicates", "color": SERIES[2], "dash": ""}],
                  header=["Day", "Mean", "95% interval"],
                  rows=[[d, *fmt_estimate({"mean": mean[d], "lo": lo[d], "hi": hi[d]}, unit)]
                        for d in range(0, mean.size, step)])


def daily_figures(data: RunData, uid: str = "daily") -> tuple[list[Figure], list[dict]]:
    """Arrests and false matches per day, and the reference group's FPIR by day (``fpir_reference_by_day``)."""
    figs, notes = [], []
    cols = [(c, label) for c, label in (("arrests", "Arrests"), ("false_matches", "False matches"))
            if c in data.daily]
    if cols:
        series = []
        mats = {c: band(_daily_matrix(data, c))[0] for c, _ in cols}
        for j, (c, label) in enumerate(cols):
            series.append(Series(label, np.arange(mats[c].size, dtype=float), mats[c], SERIES[1 + j]))
        quota = _quota(data)
        h_lines = [(quota, f"Quota: {fmt(quota)} arrests a day")] if quota is not None else []
        svg = line_chart(series, x_label="Day", y_label="Per day (mean over replicates)", uid=f"{uid}-counts",
                         title="Arrests and false matches per day", width=420, height=300, h_lines=h_lines,
                         desc="Arrests and false biometric matches each day, mean over replicates, with the daily "
                              "arrest quota as a dashed line." if quota is not None else
                              "Arrests and false biometric matches each day, mean over replicates (no quota).")
        n = min(m.size for m in mats.values())
        step = max(1, n // 12)
        figs.append(Figure(f"{uid}-counts", "Arrests and false matches per day", svg, wide=False,
                           caption=_quota_caption(data, quota),
                           legend=[{"label": label, "color": SERIES[1 + j], "dash": ""} for j, (_, label) in
                                   enumerate(cols)] + ([{"label": "Daily arrest quota", "color": "#2b7a4b",
                                                         "dash": "4 3"}] if quota is not None else []),
                           header=["Day", *[label for _, label in cols]],
                           rows=[[d, *[fmt(mats[c][d]) for c, _ in cols]] for d in range(0, n, step)]))
    fpir = _series_matrix(data, "fpir_reference_by_day")
    if fpir is not None:
        figs.append(_series_figure(f"{uid}-fpir", fpir, "False-positive identification rate, by day",
                                   "Chance that a search of a white man who is not enrolled returns a false match, "
                                   "at each day's threshold; it rises when quota pressure lowers the threshold.",
                                   share=True, y_domain=None, y_label="False matches per search"))
    else:
        notes.append(missing_note("False-positive identification rate by day", "fpir_reference_by_day"))
    return figs, notes


def _quota(data: RunData) -> float | None:
    """The daily arrest quota (mean over replicates), or None when the run has no quota."""
    if not getattr(data.scenario.operations, "quota_enabled", True):
        return None
    values = [rep.get("world_info", {}).get("quota_arrests_per_day") for rep in data.replicates]
    values = [float(v) for v in values if is_number(v)]
    return float(np.mean(values)) if values else None


def _quota_caption(data: RunData, quota: float | None) -> str:
    if quota is None:
        return "This run has no arrest quota: arrests follow the teams' lead-driven workload. False matches follow " \
               "the number of scans."
    met = estimate(data.metrics.get("quota_days_met_share"))["mean"]
    met_text = f"; met on {fmt(met, 'share')} of days" if met is not None else ""
    doing = {"more_sites": "add sites", "scan_wider": "scan everyone present", "lower_threshold":
             "lower the match threshold"}
    pressure = [doing.get(p, p.replace("_", " ")) for p in getattr(data.scenario.operations, "quota_pressure", ())]
    behind = ("While behind it, teams " + (", ".join(pressure[:-1]) + " and " + pressure[-1] if len(pressure) > 1
                                           else pressure[0]) + ", so the quota sets the pace of arrests"
              if pressure else "Falling behind it changes nothing here (no quota pressure)")
    return (f"The daily quota is {fmt(quota)} arrests (the dashed line: the national target scaled to this metro's "
            f"population{met_text}). {behind}; false matches follow the number of scans.")


def place_type_figure(metrics: dict, uid: str = "placetypes") -> Figure | None:
    """Operations by place type, protected places (schools, clinics, churches...) highlighted."""
    by = metrics.get("operations_by_place_type")
    if not isinstance(by, dict):
        return None
    rows = []
    for p in PLACE_TYPES:
        e = estimate(by.get(p))
        prot = p in PROTECTED_PLACE_TYPES
        rows.append(Row(p.replace("_", " ").capitalize() + (" (protected)" if prot else ""), e["mean"], e["lo"],
                        e["hi"], color="#D55E00" if prot else "#0072B2"))
    svg = bar_chart(rows, axis_label="Operations (mean per replicate)", uid=uid, title="Operations by place type",
                    desc="Operations at each type of place; protected places are in vermilion.")
    protected = ""
    if "operations_at_protected_places" in metrics:
        e = estimate(metrics["operations_at_protected_places"])
        ci = fmt_interval(e)
        protected = f" Operations at protected places: {fmt(e['mean'])}" + (f" (95% interval {ci})." if ci else ".")
    return Figure(uid, "Operations by type of place", svg,
                  caption="Protected places (schools, clinics, churches, courthouses, protest sites) in vermilion."
                          + protected,
                  header=["Place type", "Operations", "95% interval"],
                  rows=[[r.label, fmt(r.mean), fmt_interval({"lo": r.lo, "hi": r.hi})] for r in rows])


def disparity_figures(data: RunData, uid: str = "disparity") -> tuple[list[Figure], list[dict[str, str]]]:
    """Rate ratios by group against white men, with intervals and the four-fifths band (two panels).

    A panel in which no group's ratio can be computed (too few people scanned, e.g. when only named
    subjects and the people agents question are scanned) becomes a visible note.
    """
    d = group_disparity(data)
    ref = GROUPS.index(REFERENCE_GROUP)
    order = [ref] + [i for i in range(len(GROUPS)) if i != ref]
    measures = (
        ("false_match", "False matches per scan", "#0072B2", "False matches", "Scans",
         "Each group's false matches per scan, divided by white men's."),
        ("wrongful", "Wrongful detentions per lawful person scanned", "#D55E00", "Wrongly detained",
         "Citizens and lawful scanned",
         "Each group's detentions of citizens and lawful residents per citizen or lawful resident scanned, "
         "divided by white men's."),
    )
    figs, notes = [], []
    for m, title, color, ev_name, ex_name, desc in measures:
        rows, table = [], []
        for i in order:
            mean, lo, hi = (float(v[0]) for v in band(d[m]["ratio"][:, [i]], support=NON_NEGATIVE))
            e = {k: (v if math.isfinite(v) else None) for k, v in (("mean", mean), ("lo", lo), ("hi", hi))}
            rows.append(Row(group_label(GROUPS[i]), e["mean"], e["lo"], e["hi"], color=color))
            table.append([group_label(GROUPS[i]), fmt(d[m]["events"][:, i].mean()), fmt(d[m]["exposed"][:, i].mean()),
                          _ratio(e["mean"]), fmt_interval(e, "", signed=True)])
        if all(r.mean is None for r in rows[1:]):
            notes.append({"title": f"Disparity: {title.lower()}", "text": "Not enough people were scanned in every "
                          "group (at least 20, white men included) to compare rates; run more replicates or a "
                          "larger metro.", "missing": "true"})
            continue
        svg = interval_chart(rows, axis_label="Ratio to white men (log scale)", uid=f"{uid}-{m}", log=True, ref=1.0,
                             band=(0.8, 1.25), ref_lines=[(0.8, "0.8"), (1.25, "1.25")], label_w=120,
                             value_fmt=_ratio, title=f"Disparity: {title.lower()}", desc=desc, width=440)
        figs.append(Figure(f"{uid}-{m}", title, svg, wide=False, caption=desc + " Dots: mean over replicates; "
                           "whiskers: 95% interval.", header=["Group", ev_name, ex_name, "Ratio", "95% interval"],
                           rows=table))
    return figs, notes


def _ratio(v: float | None) -> str:
    return f"{v:.2f}" if v is not None and math.isfinite(v) else "n/a"


def data_collected(metrics: dict, uid: str = "records") -> tuple[Figure | None, list[dict], list[list[str]]]:
    """Records per source on people who were not targets; the face-scan count when sources are absent."""
    notes, rows = [], []
    by = metrics.get("bystander_records_by_source")
    if isinstance(by, dict) and by:
        for src, v in by.items():
            e = estimate(v)
            rows.append(Row(str(src).replace("_", " ").capitalize(), e["mean"], e["lo"], e["hi"], color="#0072B2"))
    else:
        notes.append(missing_note("Records per data source", "bystander_records_by_source"))
        if "scans_of_non_targets" in metrics:
            e = estimate(metrics["scans_of_non_targets"])
            rows.append(Row("Face scans (biometric capture)", e["mean"], e["lo"], e["hi"], color="#0072B2"))
    extra = []
    for key in ("bystander_records_per_arrest", "scan_records_retained", "scans_of_citizens", "scans_of_non_targets"):
        if key in metrics and is_number(estimate(metrics[key])["mean"]):
            label, unit = _label_unit(key)
            e = estimate(metrics[key])
            extra.append([label, fmt(e["mean"], unit), fmt_interval(e, unit)])
    if not rows:
        return None, notes, extra
    svg = bar_chart(rows, axis_label="Records on people who were not targets (mean per replicate)", uid=uid,
                    title="Records collected on non-targets, by source",
                    desc="How many records each data source collected on people who were not targets.")
    fig = Figure(uid, "Records on people who were not targets, by source", svg,
                 caption="Each bar counts records a source collected on citizens, lawful residents and others who "
                         "were not the target of an operation.",
                 header=["Source", "Records", "95% interval"],
                 rows=[[r.label, fmt(r.mean), fmt_interval({"lo": r.lo, "hi": r.hi})] for r in rows])
    return fig, notes, extra


def metrics_table(metrics: dict) -> list[dict[str, Any]]:
    """Every metric in the summary, grouped by family (registry order), nested ones as indented sub-rows.

    Each family of :data:`scrutiny.metrics.FAMILIES` present opens with a ``{"group": title}`` row;
    metrics the registry does not know (from another version) come last, under "Other figures".
    """
    groups = [(title, [k for k, m in METRICS.items() if m.family == fam and k in metrics])
              for fam, title in FAMILIES.items()]
    groups.append(("Other figures", [k for k in metrics if k not in METRICS]))
    rows: list[dict[str, Any]] = []
    for title, keys in groups:
        if keys:
            rows.append({"group": title, "key": ""})
        for key in keys:
            rows += _metric_rows(key, metrics[key])
    return rows


def _metric_rows(key: str, value: Any) -> list[dict[str, Any]]:
    """The table rows of one metric: one row, or a header row and one sub-row per key."""
    label, unit = _label_unit(key)
    meta = METRICS.get(key)
    desc, bounded = (meta.description, meta.bounded) if meta else ("", False)
    if not (isinstance(value, dict) and "mean" not in value):
        e = estimate(value, bounded=bounded)
        shown, interval = fmt_estimate(e, unit)
        return [{"key": key, "label": label, "value": shown, "interval": interval,
                 "unit": unit, "description": desc, "sub": False}]
    head = {"key": key, "label": label, "value": "", "interval": "", "unit": unit, "description": desc, "sub": False}
    if (meta.by == "day") if meta else len(value) > 12:  # a series: shown by its own figure
        return [{**head, "value": f"{len(value)} values"}]
    rows = [head]
    for sub, v in value.items():
        if isinstance(v, dict) and "mean" not in v:
            continue
        e = estimate(v, bounded=bounded)
        shown, interval = fmt_estimate(e, unit)
        rows.append({"key": f"{key}.{sub}", "label": str(sub).replace("_", " "), "value": shown,
                     "interval": interval, "unit": "", "description": "", "sub": True})
    return rows

"""How far to trust a run: its figures beside what has been observed, and the inputs that decide them.

Three parts, each built from what the run carries and never from new simulation:

* **Against what has been observed**: each observed outcome packaged for the run's preset (the
  calibration targets, ``scrutiny/calibration/targets/<preset>.toml``, handed down through
  :mod:`scrutiny._observed`) beside the run's own figure for it, with the source and whether the
  figure lies inside, above or below the observed range.
* **The inputs that decide the result**: from sensitivity indices when the run comes with them
  (``sensitivity.json``), else from the one-at-a-time screen ``scrutiny demo`` runs over the
  documented unknowns (``screen/screen.json``), else a note saying how to get either.
* **Published facts and assumptions**: how many of the parameters that act rest on a published
  figure and how many are assumptions, and which kind the deciding inputs are.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np

from scrutiny._observed import observed_presets, observed_targets
from scrutiny.metrics import METRICS, NON_NEGATIVE, UNIT, mean_interval
from scrutiny.report._assumptions import assumptions_table
from scrutiny.report._charts import Figure, Row, bar_chart, tornado_chart
from scrutiny.report._data import RunData
from scrutiny.report._format import estimate, fmt, fmt_estimate, fmt_signed, is_number

__all__ = ["observed_comparison", "deciding_inputs", "facts_and_assumptions", "trust_section", "short_source"]

#: The metric whose drivers the trust section ranks first (the report's first headline).
FOCUS = "citizens_detained_per_1000_arrests"


def short_source(source: str) -> str:
    """The first source named in a target's source text (before the first parenthesis or semicolon).

    Examples:
        >>> short_source("ProPublica, 16 Oct 2025 (more than 170 held); Deportation Data Project (222,000)")
        'ProPublica, 16 Oct 2025'
    """
    for sep in (" (", ";"):
        source = source.split(sep, 1)[0]
    return source.strip()


def _registered_ratio(target: Any) -> str | None:
    """The registered metric that is exactly the target's ratio (same numerator and denominator), if any."""
    if target.metric is not None:  # a nested entry is named with a dot: care_avoided_share_by_status.no_status
        return target.metric if target.metric.partition(".")[0] in METRICS else None
    num, den = tuple(target.numerator), tuple(target.denominator)
    if len(num) == 1 and len(den) == 1:
        for name, m in METRICS.items():
            if (m.numerator, m.denominator) == (num[0], den[0]):
                return name
    return None


def _summed(data: RunData, names: tuple[str, ...]) -> np.ndarray:
    total = np.zeros(data.n_replicates)
    for name in names:
        head, _, tail = name.partition(".")
        v = data.values(head)
        total = total + (v[tail] if tail and isinstance(v, dict) else (sum(v.values()) if isinstance(v, dict) else v))
    return total


def _simulated(data: RunData, target: Any, metric: str | None) -> tuple[dict, float, str, str]:
    """The run's estimate of the target's ratio: ``(estimate, scale, unit, label)``."""
    head, _, key = (metric or "").partition(".")
    if metric is not None and head in data.metrics and (not key or key in (data.metrics[head] or {})):
        m = METRICS[head]
        scale = m.scale if target.metric is None else 1.0
        value = data.metrics[head][key] if key else data.metrics[head]
        return estimate(value, bounded=m.bounded), scale, m.unit, f"{m.label}: {key}" if key else m.label
    if target.numerator is None:  # a single metric this run does not have
        return estimate(None), 1.0, "", target.metric
    num, den = _summed(data, tuple(target.numerator)), _summed(data, tuple(target.denominator))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(den > 0, num / den, np.nan)
    binomial = target.count_model == "binomial"
    est = mean_interval(ratio, support=UNIT if binomial else NON_NEGATIVE)
    label = f"{' + '.join(target.numerator)} per {' + '.join(target.denominator)}"
    return estimate(est, bounded=binomial), 1.0, "share" if binomial else "", label


def _verdict(est: dict, lo: float, hi: float) -> tuple[str, str]:
    """``(key, words)``: where the simulated mean lies against the observed range ``[lo, hi]``."""
    m, e_lo, e_hi = est["mean"], est["lo"], est["hi"]
    if m is None:
        return "none", "not measured in this run"
    point = lo == hi
    if (point and e_lo is not None and e_lo <= lo <= e_hi) or (not point and lo <= m <= hi):
        return "inside", "consistent with the observed figure" if point else "inside the observed range"
    side = "above" if m > hi else "below"
    edge = hi if side == "above" else lo
    times = m / edge if side == "above" and edge > 0 else (edge / m if m > 0 else math.inf)
    reach = e_lo is not None and e_hi is not None and e_lo <= hi and e_hi >= lo
    words = f"{side} the observed {'figure' if point else 'range'}"
    if math.isfinite(times) and times >= 1.5:
        edge_name = "it" if point else ("its top" if side == "above" else "its bottom")
        words += f", {times:.2g} times {edge_name}"
    if reach:
        words += " (its interval reaches it)"
    return side, words


def observed_comparison(data: RunData, headlines: tuple[str, ...]) -> dict[str, Any]:
    """Each packaged observed outcome of the run's preset beside the run's figure for it.

    Returns:
        ``{"preset", "packaged" (presets with targets), "rows", "unmatched" (headline labels with no
        observed counterpart), "description"}``; ``rows`` is empty when the preset has none.
    """
    preset = data.scenario.name
    targets = observed_targets(preset)
    out: dict[str, Any] = {"preset": preset, "packaged": observed_presets(), "rows": [], "unmatched": [],
                           "description": "", "parameters": []}
    if targets is None:
        return out
    out["description"], out["parameters"] = targets.description, list(targets.parameters)
    for target in targets:
        metric = _registered_ratio(target)
        est, scale, unit, label = _simulated(data, target, metric)
        lo, hi = (scale * x for x in target.observed_band())
        key, words = _verdict(est, lo, hi)
        value, interval = fmt_estimate(est, unit)
        out["rows"].append({
            "name": target.name, "metric": metric, "label": label, "unit": unit, "headline": metric in headlines,
            "value": value, "interval": interval, "raw": est["mean"], "lo": lo, "hi": hi,
            "observed": _observed_text(target, scale, unit), "source": target.source,
            "short_source": short_source(target.source), "note": target.note, "fit": target.fit,
            "verdict": key, "verdict_text": words,
        })
    counts = Counter(r["label"] for r in out["rows"])
    for r in out["rows"]:
        if counts[r["label"]] > 1:  # two targets read one figure (against different evidence): say which is which
            r["label"] = f"{r['label']} ({r['name'].replace('_', ' ')})"
    out["rows"].sort(key=lambda r: (not r["headline"], headlines.index(r["metric"]) if r["headline"] else 0))
    matched = {r["metric"] for r in out["rows"]}
    out["unmatched"] = [METRICS[k].label if k in METRICS else k.replace("_", " ") for k in headlines
                        if k not in matched]
    return out


def _observed_text(target: Any, scale: float, unit: str) -> str:
    if target.observed is not None:
        k, n = target.observed.k, target.observed.n
        text = f"{fmt(scale * k / n, unit)} ({k:,.0f} of {n:,.0f})"
        if target.undercount is not None:
            lo, hi = target.observed_band()
            text += f"; an undercount, so {fmt(scale * lo, unit)} to {fmt(scale * hi, unit)}"
        return text
    lo, hi = target.band
    return f"{fmt(scale * lo, unit)} to {fmt(scale * hi, unit)}"


def _param_info(data: RunData) -> dict[str, dict]:
    return {r["name"]: r for r in assumptions_table(data.scenario)}


def _kind(info: dict | None) -> str:
    if info is None:
        return "not in this scenario"
    return "assumption" if info["assumption"] else "published"


def _sensitivity_inputs(sens: dict, info: dict[str, dict]) -> dict[str, Any] | None:
    """Ranked parameters from sensitivity indices, for the focus metric (or the first one given)."""
    indices = sens.get("indices", {})
    per_metric = indices if indices and all(isinstance(v, (dict, str)) and (isinstance(v, str) or not any(
        k in v for k in ("ST", "S1", "mu_star"))) for v in indices.values()) else None
    metric = sens.get("metric")
    if per_metric is not None:
        metric = FOCUS if isinstance(per_metric.get(FOCUS), dict) else next(
            (m for m, v in per_metric.items() if isinstance(v, dict)), None)
        indices = per_metric.get(metric, {}) if metric else {}
    if not isinstance(indices, dict) or not indices:
        return None
    key = "ST" if any("ST" in v for v in indices.values() if isinstance(v, dict)) else "mu_star"
    rows = []
    for name, v in indices.items():
        if not isinstance(v, dict) or not is_number(v.get(key)):
            continue
        lo, hi = v.get(f"{key}_lo"), v.get(f"{key}_hi")
        rows.append({"name": name, "value": float(v[key]), "lo": lo if is_number(lo) else None,
                     "hi": hi if is_number(hi) else None, "kind": _kind(info.get(name))})
    rows.sort(key=lambda r: -r["value"])
    what = "total Sobol index" if key == "ST" else "Morris μ*"
    svg = bar_chart([Row(r["name"], r["value"], r["lo"], r["hi"], color="#CC79A7" if r["kind"] == "assumption"
                         else "#0072B2") for r in rows],
                    axis_label=what, uid="trust-sens", title=f"Which inputs decide {metric or 'the result'}",
                    desc=f"The {what} of each input: the larger, the more of the figure's variation it explains.",
                    value_fmt=lambda x: f"{x:.2g}", label_w=280)
    fig = Figure("trust-sens", f"Which inputs decide the result ({what})", svg, wide=True,
                 caption=f"{what.capitalize()} for {METRICS[metric].label.lower() if metric in METRICS else metric}, "
                         "with its 95% bootstrap interval. Purple: an assumption; blue: a published figure.",
                 header=["Input", what, "95% interval", "Kind"],
                 rows=[[r["name"], f"{r['value']:.2g}", "" if r["lo"] is None else f"{r['lo']:.2g} to {r['hi']:.2g}",
                        r["kind"]] for r in rows])
    method = ((sens.get("provenance") or {}).get("method") or sens.get("method")
              or ("sobol" if key == "ST" else "morris"))
    return {"kind": "sensitivity", "figure": fig, "rows": rows, "metric": metric, "method": method,
            "based_on": _sensitivity_basis(sens, method)}


def _sensitivity_basis(sens: dict, method: str) -> str:
    prov = sens.get("provenance") or {}
    parts = [f"a {method.capitalize()} sensitivity analysis"]
    if prov.get("evaluations"):
        parts.append(f"of {prov['evaluations']:,} evaluations")
    if prov.get("replicates"):
        parts.append(f"averaging {prov['replicates']} replicate{'s' if prov['replicates'] != 1 else ''} each")
    return " ".join(parts) + " (sensitivity.json)"


def _screen_inputs(screen: dict, info: dict[str, dict]) -> dict[str, Any] | None:
    """The one-at-a-time screen: how far the focus figure moves when each unknown goes to its range's ends."""
    effects = (screen.get("effects") or {})
    metric = FOCUS if FOCUS in effects else next(iter(effects), None)
    if metric is None:
        return None
    unit = METRICS[metric].unit if metric in METRICS else ""
    centre = screen.get("centre", {}).get(metric, {})
    rows = []
    for e in effects[metric]:
        ends = {k: e.get(k) for k in ("lo", "hi")}
        rows.append({"name": e["param"], "kind": _kind(info.get(e["param"])), "swing": float(e.get("swing") or 0.0),
                     "ends": ends, "values": (e.get("lo_value"), e.get("hi_value"))})
    if not rows:
        return None
    trows = [(r["name"], (r["ends"]["lo"] or {}).get("mean"), (r["ends"]["hi"] or {}).get("mean"),
              f"{_show(r['values'][0])} to {_show(r['values'][1])}") for r in rows]
    svg = tornado_chart(trows, centre=centre.get("mean"), uid="trust-screen", value_fmt=lambda v: fmt(v, unit),
                        axis_label=(METRICS[metric].label if metric in METRICS else metric),
                        title="How far each documented unknown moves the figure",
                        desc="For each unknown, the figure with the unknown at the bottom (blue dot) and the top "
                             "(orange dot) of its documented range, the others as in this run (the vertical line).")
    table = []
    for r in rows:
        lo_e, hi_e = r["ends"]["lo"] or {}, r["ends"]["hi"] or {}
        table.append([r["name"], r["kind"], _show(r["values"][0]), _cell(lo_e, unit), _show(r["values"][1]),
                      _cell(hi_e, unit), fmt_signed(r["swing"], unit)])
    fig = Figure("trust-screen", "How far each documented unknown moves the result", svg, wide=True,
                 caption=f"{METRICS[metric].label if metric in METRICS else metric}: blue dot, the unknown at the "
                         "bottom of its documented range; orange dot, at the top; the line, every unknown as in "
                         f"this run ({fmt(centre.get('mean'), unit)} over the screen's own replicates, so it can "
                         "differ from the run's mean over more). Each dot is a mean over "
                         f"{(screen.get('provenance') or {}).get('replicates', '?')} replicates, paired with the line "
                         "on common random numbers.",
                 header=["Unknown", "Kind", "Bottom of range", "Figure there", "Top of range", "Figure there",
                         "Swing (top − bottom)"], rows=table)
    return {"kind": "screen", "figure": fig, "rows": rows, "metric": metric, "based_on": _screen_basis(screen)}


def _cell(e: dict, unit: str) -> str:
    if not e or e.get("mean") is None:
        return "n/a"
    value, interval = fmt_estimate(e, unit)
    return f"{value} ({interval})" if interval else value


def _show(v: Any) -> str:
    return "n/a" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def _screen_basis(screen: dict) -> str:
    prov = screen.get("provenance") or {}
    n = len(screen.get("params") or [])
    reps = prov.get("replicates", "?")
    size = ""
    if prov.get("n_people") and prov.get("n_days"):
        size = f" of {prov['n_people']:,} people x {prov['n_days']} days"
    return (f"a one-at-a-time screen run by scrutiny demo: each of {n} documented unknowns set in turn to the "
            f"bottom and the top of its documented range, the others as here, {reps} paired replicate"
            f"{'s' if reps != 1 else ''}{size} at each end")


def deciding_inputs(data: RunData, sensitivity: dict | None, screen: dict | None,
                    parameters: list[str]) -> dict[str, Any]:
    """The inputs that decide the result: from sensitivity indices, else the demo's screen, else a note."""
    info = _param_info(data)
    found = (_sensitivity_inputs(sensitivity, info) if sensitivity else None) or (
        _screen_inputs(screen, info) if screen else None)
    if found is not None:
        return found
    names = [p.partition("=")[0] for p in parameters]
    return {"kind": None, "unknowns": [{"name": n, "value": info[n]["value"] if n in info else "not in this scenario",
                                        "plausible": info[n]["plausible"] if n in info else "",
                                        "kind": _kind(info.get(n))} for n in names]}


def facts_and_assumptions(data: RunData, deciding: dict[str, Any]) -> dict[str, Any]:
    """How many acting parameters rest on a published figure, how many are assumptions, and the deciding ones'."""
    rows = [r for r in assumptions_table(data.scenario) if not r["neutral"]]
    n_assumption = sum(r["assumption"] for r in rows)
    top = [r for r in deciding.get("rows", [])][:3]
    return {"n_acting": len(rows), "n_assumption": n_assumption, "n_published": len(rows) - n_assumption,
            "top": top}


def trust_section(data: RunData, headlines: tuple[str, ...], *, sensitivity: dict | None = None,
                  screen: dict | None = None) -> dict[str, Any]:
    """Everything the "How far to trust this" section shows."""
    observed = observed_comparison(data, headlines)
    deciding = deciding_inputs(data, sensitivity if sensitivity is not None else data.sensitivity,
                               screen if screen is not None else data.screen, observed["parameters"])
    return {"observed": observed, "deciding": deciding, "facts": facts_and_assumptions(data, deciding),
            "interval": (data.provenance.get("interval") or "chance only")}

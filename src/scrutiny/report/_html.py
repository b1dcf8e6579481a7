"""A self-contained HTML report of a run: headline figures, the funnel and the assumptions table.

Everything is inline (CSS, SVG charts), so the file opens offline. All text coming from the
scenario is escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from scrutiny.codes import STATUS_LABELS, STATUSES
from scrutiny.metrics import FUNNEL_STAGES, METRICS, funnel_by_status
from scrutiny.scenario import field_value, iter_fields

__all__ = ["render_run", "assumptions_table", "HEADLINES"]

#: Headline metrics, each with a plain-language reading ({v} is the formatted value).
HEADLINES: tuple[tuple[str, str], ...] = (
    ("citizens_detained_per_1000_arrests", "For every 1,000 arrests, about {v} US citizens were detained."),
    ("lawful_residents_detained_per_1000_arrests",
     "For every 1,000 arrests, about {v} citizens or lawful residents were detained."),
    ("wrongful_share_of_detained", "{v} of the people detained had the right to be here."),
    ("false_match_share_of_detained", "{v} of detentions followed a false biometric match."),
    ("scans_of_non_targets", "{v} scans were of citizens and lawful residents."),
)


def _fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if unit in ("share", "share of their visits"):
        return f"{100 * value:.1f}%"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


def _value(metric: Any) -> tuple[float | None, float | None, float | None]:
    if isinstance(metric, dict):
        return metric.get("mean"), metric.get("lo"), metric.get("hi")
    return metric, None, None


def assumptions_table(scenario) -> list[dict[str, Any]]:
    """One row per scenario field: name, value, unit, allowed range, plausible range, source."""
    rows = []
    for name, info in iter_fields(type(scenario)):
        extra = info.json_schema_extra or {}
        lo = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
        hi = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
        value = field_value(scenario, name)
        rows.append({
            "name": name,
            "value": value if not isinstance(value, float) else f"{value:g}",
            "unit": extra.get("unit", ""),
            "allowed": "" if lo is None and hi is None else f"{'' if lo is None else f'{lo:g}'} – {'' if hi is None else f'{hi:g}'}",
            "plausible": " – ".join(f"{x:g}" for x in extra.get("plausible", [])),
            "source": extra.get("source", ""),
            "assumption": str(extra.get("source", "")).startswith("assumption"),
            "description": info.description or "",
            "default": value == info.default if not callable(info.default_factory) else True,
        })
    return rows


def _funnel(results) -> dict[str, dict[str, float]]:
    per = [funnel_by_status(r.events) for r in results.replicates]
    return {st: {s: float(np.mean([f[st][s] for f in per])) for s in STATUSES} for st in FUNNEL_STAGES}


def _env() -> Environment:
    env = Environment(loader=PackageLoader("scrutiny", "report/templates"), autoescape=select_autoescape(["html", "j2"]))
    env.filters["fmt"] = _fmt
    return env


def render_run(results, *, command: str | None = None, generated: str | None = None) -> str:
    """Render the HTML report of a :class:`~scrutiny.experiments.Results`.

    Args:
        results: The results to report.
        command: The command that reproduces the run (default: one built from the provenance).
        generated: Timestamp text (default: now, UTC).

    Returns:
        The HTML text.
    """
    summary = results.summary()
    prov, metrics = summary["provenance"], summary["metrics"]
    headlines = []
    for key, sentence in HEADLINES:
        v, lo, hi = _value(metrics[key])
        unit = METRICS[key].unit
        headlines.append({
            "label": METRICS[key].label, "value": _fmt(v, unit), "sentence": sentence.format(v=_fmt(v, unit)),
            "interval": None if lo is None or hi is None else f"{_fmt(lo, unit)} – {_fmt(hi, unit)}",
        })
    table = []
    for key, meta in METRICS.items():
        if key not in metrics or isinstance(metrics[key], dict) and "mean" not in metrics[key]:
            continue
        v, lo, hi = _value(metrics[key])
        table.append({"key": key, "label": meta.label, "unit": meta.unit, "value": _fmt(v, meta.unit),
                      "interval": "" if lo is None else f"{_fmt(lo, meta.unit)} – {_fmt(hi, meta.unit)}",
                      "description": meta.description})
    funnel = _funnel(results)
    top = max(1.0, max(sum(row.values()) for row in funnel.values()))
    reps = prov["replicates"]
    command = command or (f"scrutiny run scenario.toml --out OUT --replicates {reps} --seed {prov['seed']}")
    return _env().get_template("run.html.j2").render(
        title=f"Scrutiny report: {results.scenario.name}",
        scenario=results.scenario, prov=prov, headlines=headlines, table=table,
        funnel=funnel, stages=FUNNEL_STAGES, statuses=STATUSES, status_labels=STATUS_LABELS, funnel_top=top,
        assumptions=assumptions_table(results.scenario), command=command,
        generated=generated or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        world=results.replicates[0].world_info,
        palette=PALETTE,
    )


#: Okabe-Ito colour-blind-safe palette, one colour per true status.
PALETTE: tuple[str, ...] = ("#0072B2", "#56B4E9", "#009E73", "#F0E442", "#CC79A7", "#E69F00", "#D55E00")

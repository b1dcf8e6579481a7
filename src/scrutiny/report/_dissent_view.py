"""The report's "Chilling and dissent" section: visits avoided by place type, harms by status, protests.

Charts of the ``dissent`` family of metrics (:mod:`scrutiny.metrics._dissent`): visits avoided by
type of place, the school days, clinic visits and prenatal WIC enrolments lost and the protesters
identified by status, a table of what surveillance at protests recorded, and a sentence on what the
national rate of cell-site simulator deployments gives in this metro.
"""

from __future__ import annotations

from typing import Any

from scrutiny.metrics import METRICS
from scrutiny.report._charts import Figure, Row, bar_chart
from scrutiny.report._data import RunData
from scrutiny.report._format import estimate, fmt, fmt_interval, is_number
from scrutiny.report._run_view import SHORT_STATUS

__all__ = ["dissent_section", "PROTEST_TABLE"]

#: Protest figures in the section's table, in order.
PROTEST_TABLE: tuple[str, ...] = (
    "protest_attendance_lost", "protest_attendance_lost_share", "protesters_misidentified",
    "protester_records_retained", "phones_captured_at_protests", "school_days_lost_citizens_mixed_households",
)
_BY_STATUS: tuple[tuple[str, str, str], ...] = (
    ("school_days_lost", "School days lost", "#0072B2"),
    ("clinic_visits_avoided", "Clinic visits avoided", "#009E73"),
    ("benefit_enrolments_lost", "Prenatal WIC enrolments lost", "#E69F00"),
    ("protesters_identified", "Protesters identified", "#D55E00"),
)
_PLACES = {"clinic": "Clinics", "school": "Schools", "church": "Places of worship", "protest_site": "Protests"}


def _rows(by: dict, labels: dict[str, str], color: str) -> list[Row]:
    rows = []
    for key, value in by.items():
        e = estimate(value)
        rows.append(Row(labels.get(key, str(key).replace("_", " ").capitalize()), e["mean"], e["lo"], e["hi"],
                        color=color))
    return rows


def _figure(uid: str, title: str, rows: list[Row], axis: str, caption: str, first: str) -> Figure:
    svg = bar_chart(rows, axis_label=axis, uid=uid, title=title, desc=caption)
    return Figure(uid, title, svg, wide=False, caption=caption + " Bars: mean per replicate; whiskers: 95% interval.",
                  header=[first, "Mean", "95% interval"],
                  rows=[[r.label, fmt(r.mean), fmt_interval({"lo": r.lo, "hi": r.hi})] for r in rows])


def _cell_site_note(data: RunData) -> str:
    """What the national deployment rate gives in this metro over the run, and what protests add."""
    s = data.scenario
    cell = s.sources.cell
    if not cell.enabled:
        return "Cell-site simulators are switched off in this scenario."
    n_people = data.world_info.get("n_people", s.world.n_people)
    o = s.operations
    expected = cell.deployments_per_year_national / 365.0 * n_people / o.national_population * o.rel_local_intensity
    text = (f"At the national rate of cell-site simulator deployments ({fmt(cell.deployments_per_year_national)} a "
            f"year), scaled to this metro's share of the effort, about {fmt(expected * s.n_days)} deployments fall in "
            f"these {s.n_days} days, each capturing about {fmt(cell.phones_per_deployment)} phones")
    phones = data.metrics.get("phones_captured_at_protests")
    if phones is not None:
        text += (f"; deployments at protests captured {fmt(estimate(phones)['mean'])} phones on average, every one of "
                 "them a bystander's.")
    else:
        text += ". This scenario runs no protests, so at this scale the simulators barely register."
    return text


def dissent_section(data: RunData, uid: str = "dissent") -> dict[str, Any]:
    """The figures, table rows and sentences of the "Chilling and dissent" section (empty figures when absent)."""
    m = data.metrics
    labels = SHORT_STATUS
    figures = []
    by_place = m.get("visits_avoided_by_place_type")
    if isinstance(by_place, dict) and by_place:
        figures.append(_figure(f"{uid}-places", "Visits avoided, by place type", _rows(by_place, _PLACES, "#0072B2"),
                               "Visits avoided (mean per replicate)",
                               "Expected visits residents skipped because of visible enforcement: school days lost "
                               "(+22% absences, Dee 2025), protest attendance lost, and clinic and place-of-worship "
                               "visits avoided out of fear.", "Place type"))
    for key, title, color in _BY_STATUS:
        by = m.get(key)
        if isinstance(by, dict) and by:
            figures.append(_figure(f"{uid}-{key}", f"{title}, by status", _rows(by, labels, color),
                                   f"{title} (mean per replicate)", f"{title} over the run, by true status.", "Status"))
    table = []
    for key in PROTEST_TABLE:
        if key in m and is_number(estimate(m[key])["mean"]):
            e = estimate(m[key])
            unit = METRICS[key].unit
            table.append([METRICS[key].label, fmt(e["mean"], unit), fmt_interval(e, unit)])
    return {"figures": figures, "table": table, "cell_site": _cell_site_note(data),
            "protests": "protest_attendance_lost" in m}

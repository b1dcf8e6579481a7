"""The summary of one replicate: every headline metric, computed from the event log.

``METRICS`` is the registry: each metric's label, unit and properties (bounded in [0, 1],
higher-is-worse), which the report and the common metric tests iterate over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scrutiny.codes import (
    CITIZEN_STATUSES,
    EVENT_KINDS,
    GROUPS,
    OUTCOMES,
    PLACE_TYPES,
    PROTECTED_PLACE_TYPES,
    RECORD_STATUSES,
    REFERENCE_GROUP,
    REMOVABLE_RECORD_STATUSES,
    STATUSES,
    code,
    is_removable,
)
from scrutiny.events import EventLog
from scrutiny.metrics._biometric import BIOMETRIC_METRICS, biometric_summary
from scrutiny.metrics._core import (
    count,
    days_detained,
    event_key,
    gini,
    per_1000,
    rate_ratio_max,
    share,
    top_share,
    total_variation,
)

__all__ = ["Metric", "METRICS", "summarize", "funnel_by_status", "FUNNEL_STAGES"]

FUNNEL_STAGES: tuple[str, ...] = ("encountered", "scanned", "matched", "flagged", "detained", "removed")

_K = {k: i for i, k in enumerate(EVENT_KINDS)}


@dataclass(frozen=True, slots=True)
class Metric:
    """Description of one summary metric."""

    label: str
    unit: str
    description: str
    bounded: bool = False  # value lies in [0, 1]
    higher_is_worse: bool | None = None  # None: neither (a volume)


METRICS: dict[str, Metric] = {
    "arrests": Metric("Arrests", "arrests", "Detention events (people taken into custody).", higher_is_worse=None),
    "encounters": Metric("Encounters", "people", "People present at an operation.", higher_is_worse=None),
    "scans": Metric("Scans", "scans", "Biometric captures and 1:N searches.", higher_is_worse=None),
    "flagged": Metric("Flagged removable", "people", "Searches whose returned record shows a removable status."),
    "detained": Metric("People detained", "people", "Distinct people detained at least once."),
    "detained_by_status": Metric("Detentions by true status", "detentions", "Detention events by true legal status."),
    "citizens_detained_per_1000_arrests": Metric(
        "Citizens detained per 1,000 arrests", "per 1,000 arrests",
        "US citizens (by birth or naturalised) among detentions, per 1,000 arrests.", higher_is_worse=True),
    "lawful_residents_detained_per_1000_arrests": Metric(
        "Citizens and lawful residents detained per 1,000 arrests", "per 1,000 arrests",
        "Citizens, LPRs, visa holders and protected people among detentions, per 1,000 arrests.",
        higher_is_worse=True),
    "false_match_share_of_detained": Metric(
        "Share of detentions caused by a false match", "share",
        "Detentions whose search returned someone else's record.", bounded=True, higher_is_worse=True),
    "wrongful_share_of_detained": Metric(
        "Share of detentions that were wrongful", "share",
        "Detentions of citizens and lawful residents.", bounded=True, higher_is_worse=True),
    "ppv_flagged": Metric(
        "Precision of flags", "share", "Share of flagged people who really are removable.", bounded=True,
        higher_is_worse=False),
    "scans_of_non_targets": Metric(
        "Scans of people who are not removable", "scans", "Scans of citizens and lawful residents.",
        higher_is_worse=True),
    "wrongful_detention_days": Metric(
        "Days in detention, wrongly detained", "person-days",
        "Days citizens and lawful residents spent detained within the simulated window.", higher_is_worse=True),
    "citizens_removed": Metric(
        "Citizens and lawful residents removed", "people",
        "Wrongly detained people removed before they could prove their status.", higher_is_worse=True),
    "operations": Metric("Operations", "site visits", "Places visited by a team.", higher_is_worse=None),
    "ppv_place": Metric(
        "Operations that found anyone removable", "share", "Share of operations detaining at least one truly "
        "removable person.", bounded=True, higher_is_worse=False),
    "top_decile_place_share": Metric(
        "Operations in the top 10% of places", "share",
        "Share of operations at the most-visited 10% of the places visited at least once.", bounded=True,
        higher_is_worse=True),
    "top_decile_tract_share": Metric(
        "Operations in the top 10% of tracts", "share", "Share of operations in the most-visited 10% of all tracts.",
        bounded=True, higher_is_worse=True),
    "gini_operations_by_tract": Metric(
        "Gini of operations over tracts", "index 0-1", "Concentration of operations over all tracts.",
        bounded=True, higher_is_worse=True),
    "disparity_detained_citizens": Metric(
        "Disparity: citizens detained per citizen scanned", "ratio vs white men",
        "Largest ratio, over demographic groups, of citizens detained per citizen scanned, against white men "
        "(+0.5 continuity correction).", higher_is_worse=True),
    "gini_operations_by_place": Metric(
        "Gini of operations over places", "index 0-1",
        "Concentration of operations over the places visited at least once (0: each visited equally often; "
        "towards 1: a few places take most visits).", bounded=True, higher_is_worse=True),
    "allocation_divergence": Metric(
        "Divergence of operations from where removable people are", "share",
        "Total-variation distance between operations by tract over the run and removable people at large by "
        "home tract (averaged over the run): the share of operations that would have to move. Sampling noise "
        "alone gives a floor that falls with the number of operations; daily.csv has the series over a "
        "trailing week.", bounded=True, higher_is_worse=True),
    "operations_at_protected_places": Metric(
        "Operations at protected places", "site visits",
        "Operations at schools, clinics, churches, courthouses and protest sites.", higher_is_worse=True),
    "bystander_records_by_source": Metric(
        "Records on people who are not targets, by source", "records",
        "Records each data source delivered about people who are not removable (bulk records at the start, "
        "refreshed records, every plate read and captured phone not of a removable target, false tips).",
        higher_is_worse=True),
    "bystander_records_per_arrest": Metric(
        "Records on non-targets per arrest", "records per arrest",
        "All sources' records on people who are not removable, per arrest.", higher_is_worse=True),
    "leads_by_source": Metric(
        "Leads by source", "leads", "Person-at-place claims each source gave the targeting model.",
        higher_is_worse=None),
    "lead_precision_by_source": Metric(
        "Precision of leads, by source", "share",
        "Share of each source's leads that name a truly removable person at their home or day place.",
        bounded=True, higher_is_worse=False),
    "lost_visits_lawful_share": Metric(
        "Visits avoided by citizens and lawful residents", "share of their visits",
        "Expected clinic, school, church and protest visits that citizens and lawful residents skipped "
        "because of visible enforcement.", bounded=True, higher_is_worse=True),
    **{name: Metric(**spec) for name, spec in BIOMETRIC_METRICS.items()},
}


def _by(values: np.ndarray, names: tuple[str, ...], mask: np.ndarray) -> dict[str, float]:
    counts = np.bincount(values[mask].astype(np.int64), minlength=len(names))
    return {n: float(c) for n, c in zip(names, counts, strict=False)}


def summarize(
    events: EventLog, *, n_days: int, n_tracts: int, lost_visits=None, expected_visits=None,
    retention_days: float = math.inf, daily=None, sources: dict | None = None,
) -> dict:
    """Compute the summary metrics of one replicate from its event log.

    Args:
        events: The replicate's event log.
        n_days: Days simulated (detention days are censored there).
        n_tracts: Number of tracts (for tract concentration).
        lost_visits: Optional float64[types, statuses] expected visits avoided.
        expected_visits: Optional float64[types, statuses] visits expected without avoidance.
        retention_days: How long scan records are kept (``field.retention_days``).
        daily: Optional per-day series of the run (``RunOutput.daily``), for the effective FPIR by day.
        sources: Optional per-source tallies (``bystander_records``, ``leads``, ``good_leads``: {source: n})
            and ``removable_by_tract`` (removable people at large by tract, averaged over the run), as in
            :attr:`scrutiny.operations.RunOutput.sources`.

    Returns:
        ``{metric name: number or {key: number}}``.
    """
    m = _masks(events)
    _, per_place = np.unique(events["place"][m.ops], return_counts=True)
    per_tract = np.bincount(events["tract"][m.ops], minlength=n_tracts)
    out: dict = {
        **_collateral(events, m, n_days=n_days),
        **_concentration(events, m.ops, per_place, per_tract),
        "disparity_detained_citizens": _disparity(events, m),
        **_places(events, m.ops, per_place),
    }
    if sources is not None:
        out.update(_source_metrics(sources, out["arrests"], per_tract))
    if lost_visits is not None and expected_visits is not None:
        out.update(_chilling(lost_visits, expected_visits))
    out.update(biometric_summary(events, n_days=n_days, retention_days=retention_days, daily=daily))
    return out


@dataclass(frozen=True, slots=True)
class _Masks:
    """Boolean masks over the rows of an event log, shared by the parts of the summary."""

    det: np.ndarray  # detention events
    scan: np.ndarray
    match: np.ndarray
    ops: np.ndarray  # operation (site visit) events
    citizen: np.ndarray  # the person is a citizen (by birth or naturalised)
    lawful: np.ndarray  # the person is a citizen or lawful resident (not removable)
    flagged: np.ndarray  # a match whose returned record shows a removable status


def _masks(events: EventLog) -> _Masks:
    kind, status = events["kind"], events["status"]
    match = kind == _K["match"]
    return _Masks(
        det=kind == _K["detention"], scan=kind == _K["scan"], match=match, ops=kind == _K["operation"],
        citizen=np.isin(status, [code(STATUSES, s) for s in CITIZEN_STATUSES]),
        lawful=(status >= 0) & ~is_removable(np.maximum(status, 0)),
        flagged=_flagged(events, match),
    )


def _flagged(events: EventLog, match: np.ndarray) -> np.ndarray:
    """Match events whose returned record shows a removable status."""
    return match & np.isin(events["record"], [code(RECORD_STATUSES, s) for s in REMOVABLE_RECORD_STATUSES])


def _collateral(events: EventLog, m: _Masks, *, n_days: int) -> dict:
    """Volumes, and who was scanned, flagged, detained and removed (``arrests`` to ``citizens_removed``)."""
    kind, status = events["kind"], events["status"]
    arrests = count(m.det)
    return {
        "arrests": arrests,
        "encounters": count(kind == _K["encounter"]),
        "scans": count(m.scan),
        "flagged": count(m.flagged),
        "detained": float(np.unique(events["person"][m.det]).size),
        "detained_by_status": _by(status, STATUSES, m.det),
        "citizens_detained_per_1000_arrests": per_1000(count(m.det & m.citizen), arrests),
        "lawful_residents_detained_per_1000_arrests": per_1000(count(m.det & m.lawful), arrests),
        "false_match_share_of_detained": share(count(_false_match_detentions(events, m)), arrests),
        "wrongful_share_of_detained": share(count(m.det & m.lawful), arrests),
        "ppv_flagged": share(count(m.flagged & ~m.lawful), count(m.flagged)),
        "scans_of_non_targets": count(m.scan & m.lawful),
        "wrongful_detention_days": float(_detention_days(events, m.det, n_days)[m.lawful[m.det]].sum()),
        "citizens_removed": count((kind == _K["removal"]) & m.lawful),
    }


def _false_match_detentions(events: EventLog, m: _Masks) -> np.ndarray:
    """Per detention event: the same person's search that day returned someone else's record."""
    false_match = m.match & (events["outcome"] == code(OUTCOMES, "false_match"))
    det_keys = event_key(events["day"][m.det], events["person"][m.det])
    return np.isin(det_keys, event_key(events["day"][false_match], events["person"][false_match]))


def _detention_days(events: EventLog, det: np.ndarray, n_days: int) -> np.ndarray:
    """Per detention event: days detained until release or removal, censored at ``n_days``."""
    kind, day, person = events["kind"], events["day"], events["person"]
    ends = (kind == _K["release"]) | (kind == _K["removal"])
    return days_detained(day[det], person[det], day[ends], person[ends], n_days=n_days)


def _concentration(events: EventLog, ops: np.ndarray, per_place: np.ndarray, per_tract: np.ndarray) -> dict:
    """How productive and how concentrated operations were (``operations`` to ``gini_operations_by_tract``)."""
    found = events["outcome"][ops] == code(OUTCOMES, "found_removable")
    return {
        "operations": count(ops),
        "ppv_place": share(count(found), count(ops)),
        "top_decile_place_share": top_share(per_place),
        "top_decile_tract_share": top_share(per_tract),
        "gini_operations_by_tract": gini(per_tract),
    }


def _disparity(events: EventLog, m: _Masks) -> float:
    """Largest ratio over groups of citizens detained per citizen scanned, against the reference group."""
    cit_scan = np.bincount(events["group"][m.scan & m.citizen], minlength=len(GROUPS))
    cit_det = np.bincount(events["group"][m.det & m.citizen], minlength=len(GROUPS))
    return rate_ratio_max(cit_det, cit_scan, reference=code(GROUPS, REFERENCE_GROUP), min_exposed=20.0)


def _places(events: EventLog, ops: np.ndarray, per_place: np.ndarray) -> dict:
    """Where operations went by kind of place (``operations_by_place_type`` to protected places)."""
    protected = np.isin(events["place_kind"], [code(PLACE_TYPES, t) for t in PROTECTED_PLACE_TYPES])
    return {
        "operations_by_place_type": _by(events["place_kind"], PLACE_TYPES, ops),
        "gini_operations_by_place": gini(per_place),
        "operations_at_protected_places": count(ops & protected),
    }


def _chilling(lost_visits: np.ndarray, expected_visits: np.ndarray) -> dict:
    """Share of the visits citizens and lawful residents expected to make that they avoided."""
    lawful = ~is_removable(np.arange(len(STATUSES)))
    lost, expected = float(lost_visits[:, lawful].sum()), float(expected_visits[:, lawful].sum())
    return {"lost_visits_lawful_share": share(lost, expected)}


def _source_metrics(sources: dict, arrests: float, ops_per_tract: np.ndarray) -> dict:
    """Bystander records, leads and allocation divergence from the run's source tallies."""
    bystanders = {k: float(v) for k, v in sources["bystander_records"].items()}
    leads = {k: float(v) for k, v in sources["leads"].items()}
    out = {
        "bystander_records_by_source": bystanders,
        "bystander_records_per_arrest": share(sum(bystanders.values()), arrests),
        "leads_by_source": leads,
        "lead_precision_by_source": {k: share(float(sources["good_leads"][k]), n) for k, n in leads.items()},
    }
    if "removable_by_tract" in sources:
        out["allocation_divergence"] = total_variation(ops_per_tract, sources["removable_by_tract"])
    return out


def funnel_by_status(events: EventLog) -> dict[str, dict[str, float]]:
    """Counts at each stage of the funnel (encountered -> ... -> removed), by true status.

    Returns:
        ``{stage: {status: count}}`` with stages in :data:`FUNNEL_STAGES` order.
    """
    kind, status = events["kind"], events["status"]
    match = kind == _K["match"]
    flagged = _flagged(events, match)
    masks = {
        "encountered": kind == _K["encounter"],
        "scanned": kind == _K["scan"],
        "matched": match,
        "flagged": flagged,
        "detained": kind == _K["detention"],
        "removed": kind == _K["removal"],
    }
    return {stage: _by(status, STATUSES, m) for stage, m in masks.items()}

"""The summary of one replicate: every registered metric, computed from its event log and tallies.

``METRICS`` is the registry (:class:`~scrutiny.metrics.Metric` entries, in summary order): each
entry says what the metric means and carries its compute function, so :func:`summarize` is a loop
over it, and the report and the common metric tests iterate over it. This module defines the
core families (volumes, collateral harm, precision, concentration, data, chilling);
``_biometric.py`` defines the identification metrics.
"""

from __future__ import annotations

import math

import numpy as np

from scrutiny._sets import isin, unique
from scrutiny.codes import (
    GROUPS,
    OUTCOMES,
    REFERENCE_GROUP,
    code,
)
from scrutiny.events import EventLog
from scrutiny.metrics._biometric import BIOMETRIC_METRICS
from scrutiny.metrics._border import BORDER_METRICS
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
from scrutiny.metrics._dissent import DISSENT_METRICS
from scrutiny.metrics._grounding import GROUNDING_METRICS
from scrutiny.metrics._registry import Context, Metric
from scrutiny.metrics._services import SERVICES_METRICS
from scrutiny.metrics._views import _by

__all__ = ["METRICS", "summarize", "replicate_values"]

def _arrests(c: Context) -> float:
    return count(c.masks.det)


def _lawful_detained(c: Context) -> float:
    return count(c.masks.det & c.masks.lawful)


def _false_match_detentions(c: Context) -> float:
    """Detention events where the same person's search that day returned someone else's record."""
    ev, m = c.events, c.masks
    false_match = m.match & (ev["outcome"] == code(OUTCOMES, "false_match"))
    det_keys = event_key(ev["day"][m.det], ev["person"][m.det])
    return count(isin(det_keys, event_key(ev["day"][false_match], ev["person"][false_match])))


def _wrongful_detention_days(c: Context) -> float:
    """Days detained until release or removal (censored at ``n_days``), summed over wrongful detentions."""
    ev, det = c.events, c.masks.det
    day, person = ev["day"], ev["person"]
    ends = c.kind("release") | c.kind("removal")
    days = days_detained(day[det], person[det], day[ends], person[ends], n_days=c.n_days)
    return float(days[c.masks.lawful[det]].sum())


def _disparity(c: Context) -> float:
    """Largest ratio over groups of citizens detained per citizen scanned, against the reference group."""
    m, group = c.masks, c.events["group"]
    cit_scan = np.bincount(group[m.scan & m.citizen], minlength=len(GROUPS))
    cit_det = np.bincount(group[m.det & m.citizen], minlength=len(GROUPS))
    return rate_ratio_max(cit_det, cit_scan, reference=code(GROUPS, REFERENCE_GROUP), min_exposed=20.0)


def _ppv_place(c: Context) -> float:
    found = c.events["outcome"][c.masks.ops] == code(OUTCOMES, "found_removable")
    return share(count(found), count(c.masks.ops))


def _protected_operations(c: Context) -> float:
    kind = c.events["place_kind"]
    protected = np.where(kind >= 0, c.events.vocab.protected_place[np.maximum(kind, 0)], False)
    return count(c.masks.ops & protected)


def _bystanders(c: Context) -> dict[str, float]:
    return {k: float(v) for k, v in c.sources["bystander_records"].items()}


def _leads(c: Context) -> dict[str, float]:
    return {k: float(v) for k, v in c.sources["leads"].items()}


def _lead_precision(c: Context) -> dict[str, float]:
    return {k: share(float(c.sources["good_leads"][k]), n) for k, n in _leads(c).items()}


def _lost_visits_lawful_share(c: Context) -> float:
    """Share of the visits citizens and lawful residents expected to make that they avoided."""
    lawful = ~c.events.vocab.removable
    return share(float(c.lost_visits[:, lawful].sum()), float(c.expected_visits[:, lawful].sum()))


_VOLUMES: tuple[Metric, ...] = (
    Metric("arrests", "Arrests", "arrests", "Detention events (people taken into custody).", "volume",
           _arrests),
    Metric("encounters", "Encounters", "people", "People present at an operation.", "volume",
           lambda c: count(c.kind("encounter"))),
    Metric("scans", "Scans", "scans", "Biometric captures and 1:N searches.", "volume",
           lambda c: count(c.masks.scan)),
    Metric("flagged", "Flagged removable", "people", "People whose record (returned by a search, or their own "
           "for a named subject identified without a scan) shows a removable status.",
           "volume", lambda c: count(c.masks.flagged)),
    Metric("detained", "People detained", "people", "Distinct people detained at least once.", "volume",
           lambda c: float(unique(c.events["person"][c.masks.det]).size)),
    Metric("detained_by_status", "Detentions by true status", "detentions", "Detention events by true legal status.",
           "volume", lambda c: _by(c.events["status"], c.events.vocab.statuses, c.masks.det), by="status"),
)

_COLLATERAL: tuple[Metric, ...] = (
    Metric("citizens_detained", "Citizens detained", "detentions",
           "Detentions of citizens (by birth or naturalised).", "collateral",
           lambda c: count(c.masks.det & c.masks.citizen), higher_is_worse=True),
    Metric("lawful_residents_detained", "Citizens and lawful residents detained", "detentions",
           "Detentions of citizens and lawful residents (everyone not removable).", "collateral",
           _lawful_detained, higher_is_worse=True),
    Metric("citizens_detained_per_1000_arrests", "Citizens detained per 1,000 arrests", "per 1,000 arrests",
           "Citizens (by birth or naturalised) among detentions, per 1,000 arrests.", "collateral",
           lambda c: per_1000(count(c.masks.det & c.masks.citizen), _arrests(c)), higher_is_worse=True,
           numerator="citizens_detained", denominator="arrests", scale=1000.0, part_of_denominator=True),
    Metric("lawful_residents_detained_per_1000_arrests", "Citizens and lawful residents detained per 1,000 arrests",
           "per 1,000 arrests",
           "Citizens, LPRs, visa holders and protected people among detentions, per 1,000 arrests.", "collateral",
           lambda c: per_1000(_lawful_detained(c), _arrests(c)), higher_is_worse=True,
           numerator="lawful_residents_detained", denominator="arrests", scale=1000.0, part_of_denominator=True),
    Metric("false_match_share_of_detained", "Share of detentions caused by a false match", "share",
           "Detentions whose search returned someone else's record.", "collateral",
           lambda c: share(_false_match_detentions(c), _arrests(c)), bounded=True, higher_is_worse=True),
    Metric("wrongful_share_of_detained", "Share of detentions that were wrongful", "share",
           "Detentions of citizens and lawful residents.", "collateral",
           lambda c: share(_lawful_detained(c), _arrests(c)), bounded=True, higher_is_worse=True),
    Metric("ppv_flagged", "Precision of flags", "share", "Share of flagged people who really are removable.",
           "precision", lambda c: share(count(c.masks.flagged & ~c.masks.lawful), count(c.masks.flagged)),
           bounded=True, higher_is_worse=False),
    Metric("scans_of_non_targets", "Scans of people who are not removable", "scans",
           "Scans of citizens and lawful residents.", "collateral", lambda c: count(c.masks.scan & c.masks.lawful),
           higher_is_worse=True),
    Metric("wrongful_detention_days", "Days in detention, wrongly detained", "person-days",
           "Days citizens and lawful residents spent detained within the simulated window.", "collateral",
           _wrongful_detention_days, higher_is_worse=True),
    Metric("citizens_removed", "Citizens and lawful residents removed", "people",
           "Wrongly detained people removed before they could prove their status.", "collateral",
           lambda c: count(c.kind("removal") & c.masks.lawful), higher_is_worse=True),
)

_CONCENTRATION: tuple[Metric, ...] = (
    Metric("operations", "Operations", "site visits", "Places visited by a team.", "volume",
           lambda c: count(c.masks.ops)),
    Metric("ppv_place", "Operations that found anyone removable", "share",
           "Share of operations detaining at least one truly removable person.", "precision", _ppv_place,
           bounded=True, higher_is_worse=False),
    Metric("top_decile_place_share", "Operations in the top 10% of places", "share",
           "Share of operations at the most-visited 10% of the places visited at least once.", "concentration",
           lambda c: top_share(c.ops_per_place), bounded=True, higher_is_worse=True),
    Metric("top_decile_tract_share", "Operations in the top 10% of tracts", "share",
           "Share of operations in the most-visited 10% of all tracts.", "concentration",
           lambda c: top_share(c.ops_per_tract), bounded=True, higher_is_worse=True),
    Metric("gini_operations_by_tract", "Gini of operations over tracts", "index 0-1",
           "Concentration of operations over all tracts.", "concentration", lambda c: gini(c.ops_per_tract),
           bounded=True, higher_is_worse=True),
    Metric("disparity_detained_citizens", "Disparity: citizens detained per citizen scanned", "ratio vs white men",
           "Largest ratio, over demographic groups, of citizens detained per citizen scanned, against white men "
           "(+0.5 continuity correction).", "disparity", _disparity, higher_is_worse=True),
    Metric("operations_by_place_type", "Operations by type of place", "site visits",
           "Operations at each type of place (homes, workplaces, schools, clinics, churches, courthouses, "
           "protest sites).", "concentration",
           lambda c: _by(c.events["place_kind"], c.events.vocab.place_types, c.masks.ops), by="place_type"),
    Metric("gini_operations_by_place", "Gini of operations over places", "index 0-1",
           "Concentration of operations over the places visited at least once (0: each visited equally often; "
           "towards 1: a few places take most visits).", "concentration", lambda c: gini(c.ops_per_place),
           bounded=True, higher_is_worse=True),
    Metric("operations_at_protected_places", "Operations at protected places", "site visits",
           "Operations at schools, clinics, churches, courthouses and protest sites.", "concentration",
           _protected_operations, higher_is_worse=True),
)

_SOURCES: tuple[Metric, ...] = (
    Metric("bystander_records_by_source", "Records on people who are not targets, by source", "records",
           "Records each data source delivered about people who are not removable (bulk records at the start, "
           "refreshed records, every plate read and captured phone not of a removable target, false tips).",
           "data", _bystanders, requires=("sources",), by="source", higher_is_worse=True),
    Metric("bystander_records_per_arrest", "Records on non-targets per arrest", "records per arrest",
           "All sources' records on people who are not removable, per arrest.", "data",
           lambda c: share(sum(_bystanders(c).values()), _arrests(c)), requires=("sources",), higher_is_worse=True,
           numerator="bystander_records_by_source", denominator="arrests"),
    Metric("leads_by_source", "Leads by source", "leads", "Person-at-place claims each source gave the targeting "
           "model.", "data", _leads, requires=("sources",), by="source"),
    Metric("lead_precision_by_source", "Precision of leads, by source", "share",
           "Share of each source's leads that name a truly removable person at their home or day place.",
           "precision", _lead_precision, requires=("sources",), by="source", bounded=True, higher_is_worse=False),
    Metric("allocation_divergence", "Divergence of operations from where removable people are", "share",
           "Total-variation distance between operations by tract over the run and removable people at large by "
           "home tract (averaged over the run): the share of operations that would have to move. Sampling noise "
           "alone gives a floor that falls with the number of operations; daily.csv has the series over a "
           "trailing week.", "concentration",
           lambda c: total_variation(c.ops_per_tract, c.sources["removable_by_tract"]),
           requires=("sources.removable_by_tract",), bounded=True, higher_is_worse=True),
    Metric("lost_visits_lawful_share", "Visits avoided by citizens and lawful residents", "share of their visits",
           "Expected clinic, school, church and protest visits that citizens and lawful residents skipped "
           "because of visible enforcement.", "chilling", _lost_visits_lawful_share,
           requires=("lost_visits", "expected_visits"), bounded=True, higher_is_worse=True),
)


def _registry(*families: tuple[Metric, ...]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for metric in (m for family in families for m in family):
        if metric.name in out:
            raise ValueError(f"metric {metric.name!r} is registered twice")
        out[metric.name] = metric
    return out


#: Every summary metric, in the order of the summary. Add a metric by adding an entry to one of
#: the tuples above (or to a new family's tuple, listed here).
METRICS: dict[str, Metric] = _registry(_VOLUMES, _COLLATERAL, _CONCENTRATION, _SOURCES, BIOMETRIC_METRICS,
                                       GROUNDING_METRICS, BORDER_METRICS, DISSENT_METRICS, SERVICES_METRICS)


def summarize(
    events: EventLog, *, n_days: int, n_tracts: int, lost_visits=None, expected_visits=None,
    retention_days: float = math.inf, daily=None, sources: dict | None = None, dissent: dict | None = None,
) -> dict:
    """Compute every registered metric of one replicate whose inputs are given.

    Args:
        events: The replicate's event log.
        n_days: Days simulated (detention days are censored there).
        n_tracts: Number of tracts (for tract concentration).
        lost_visits: Optional float64[types, statuses] expected visits avoided.
        expected_visits: Optional float64[types, statuses] visits expected without avoidance.
        retention_days: How long scan records are kept (``field.retention_days``).
        daily: Optional per-day series of the run (``RunOutput.daily``), for the FPIR by day.
        sources: Optional per-source tallies (``bystander_records``, ``leads``, ``good_leads``: {source: n})
            and ``removable_by_tract`` (removable people at large by tract, averaged over the run), as in
            :attr:`scrutiny.operations.RunOutput.sources`.
        dissent: Optional chilling-and-dissent tallies (:attr:`scrutiny.operations.RunOutput.dissent`).

    Returns:
        ``{metric name: number or {key: number}}``, in :data:`METRICS` order; a metric whose
        :attr:`~scrutiny.metrics.Metric.requires` are not given is left out.
    """
    ctx = Context(events, n_days=n_days, n_tracts=n_tracts, retention_days=retention_days, sources=sources,
                  lost_visits=lost_visits, expected_visits=expected_visits, daily=daily,
                  dissent=dissent)
    return {name: m.compute(ctx) for name, m in METRICS.items() if all(ctx.has(need) for need in m.requires)}


def replicate_values(summaries: list[dict], name: str) -> np.ndarray | dict[str, np.ndarray]:
    """One metric's per-replicate values, from per-replicate summaries (NaN where a replicate lacks it).

    Args:
        summaries: Per-replicate summaries, in replicate order (``ReplicateResult.summary``, or the
            ``summary`` of each entry of ``replicates.json``).
        name: The metric.

    Returns:
        float64[replicates] for a number; ``{key: float64[replicates]}`` for a nested metric.

    Examples:
        >>> replicate_values([{"a": 1.0}, {"a": 3.0}, {}], "a").tolist()
        [1.0, 3.0, nan]
        >>> replicate_values([{"b": {"x": 1.0}}, {"b": {"x": 2.0}}], "b")["x"].tolist()
        [1.0, 2.0]
    """
    first = next((s[name] for s in summaries if s.get(name) is not None), None)
    if isinstance(first, dict):
        return {k: np.array([_number((s.get(name) or {}).get(k)) for s in summaries]) for k in first}
    return np.array([_number(s.get(name)) for s in summaries], dtype=np.float64)


def _number(value) -> float:
    return math.nan if value is None else float(value)

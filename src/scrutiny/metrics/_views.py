"""Derived views of one replicate's event log that are not single numbers.

The funnel by true status, counts per tract (for maps and Lorenz curves), the top-decile share of
operations day by day (the runaway chart), and per-group rates and rate ratios (the disparity
chart). The report draws them; computing them here keeps every reading of the event log in
:mod:`scrutiny.metrics`, with the same masks the summary metrics use.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import GROUPS, OUTCOMES, REFERENCE_GROUP, code
from scrutiny.events import EventLog
from scrutiny.metrics._registry import Context
from scrutiny.metrics._spread import counts_by, cumulative_top_share, rate_ratios

__all__ = ["FUNNEL_STAGES", "funnel_by_status", "tract_counts", "top_share_by_day", "group_rates"]

FUNNEL_STAGES: tuple[str, ...] = ("encountered", "scanned", "matched", "flagged", "detained", "removed")


def _by(values: np.ndarray, names: tuple[str, ...], mask: np.ndarray) -> dict[str, float]:
    counts = np.bincount(values[mask].astype(np.int64), minlength=len(names))
    return {n: float(c) for n, c in zip(names, counts, strict=False)}


def _context(events: EventLog, n_tracts: int = 0) -> Context:
    return Context(events, n_days=0, n_tracts=n_tracts)


def funnel_by_status(events: EventLog) -> dict[str, dict[str, float]]:
    """Counts at each stage of the funnel (encountered -> ... -> removed), by true status.

    Returns:
        ``{stage: {status: count}}`` with stages in :data:`FUNNEL_STAGES` order.
    """
    c = _context(events)
    masks = {
        "encountered": c.kind("encounter"),
        "scanned": c.masks.scan,
        "matched": c.masks.match,
        "flagged": c.masks.flagged,
        "detained": c.masks.det,
        "removed": c.kind("removal"),
    }
    return {stage: _by(events["status"], events.vocab.statuses, m) for stage, m in masks.items()}


def tract_counts(events: EventLog, n_tracts: int) -> dict[str, np.ndarray]:
    """Per tract: operations, detentions of citizens and lawful residents, and scans of them.

    Returns:
        ``{"operations", "wrongful", "scans_lawful"}``, each float64[n_tracts].
    """
    c = _context(events, n_tracts)
    tract, m = events["tract"], c.masks
    return {
        "operations": counts_by(tract[m.ops], size=n_tracts),
        "wrongful": counts_by(tract[m.det & m.lawful], size=n_tracts),
        "scans_lawful": counts_by(tract[m.scan & m.lawful], size=n_tracts),
    }


def top_share_by_day(events: EventLog, *, n_days: int, n_tracts: int, fraction: float = 0.1) -> np.ndarray:
    """Share of operations so far in the most-visited ``fraction`` of tracts, day by day (float64[n_days]).

    Its last value is the summary's ``top_decile_tract_share`` (when there were operations).
    """
    ops = _context(events, n_tracts).masks.ops
    return cumulative_top_share(events["day"][ops], events["tract"][ops], n_days=n_days, n_units=n_tracts,
                                fraction=fraction)


def group_rates(events: EventLog, *, min_exposed: float = 20.0) -> dict[str, dict[str, np.ndarray]]:
    """Per demographic group: events, people exposed, and the rate ratio against the reference group.

    Two measures: ``"false_match"`` (false matches per scan) and ``"wrongful"`` (citizens and
    lawful residents detained per one of them scanned). Ratios use a +0.5 continuity correction
    and are NaN for groups with fewer than ``min_exposed`` exposed.

    Returns:
        ``{measure: {"events", "exposed", "ratio"}}``, each float64[groups] in :data:`GROUPS` order.
    """
    c = _context(events)
    group, m = events["group"], c.masks
    false_match = m.match & (events["outcome"] == code(OUTCOMES, "false_match"))
    pairs = {
        "false_match": (counts_by(group[false_match], size=len(GROUPS)), counts_by(group[m.scan], size=len(GROUPS))),
        "wrongful": (counts_by(group[m.det & m.lawful], size=len(GROUPS)),
                     counts_by(group[m.scan & m.lawful], size=len(GROUPS))),
    }
    ref = code(GROUPS, REFERENCE_GROUP)
    return {k: {"events": ev, "exposed": ex, "ratio": rate_ratios(ev, ex, reference=ref, min_exposed=min_exposed)}
            for k, (ev, ex) in pairs.items()}

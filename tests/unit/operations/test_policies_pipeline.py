"""Policies through the daily loop: quota pressure, named-only scanning, no-op arms, release delays, retention."""

import numpy as np
import pytest
from conftest import small

from scrutiny.codes import CITIZEN_STATUSES, EVENT_KINDS, OUTCOMES, STATUSES, code
from scrutiny.metrics import summarize
from scrutiny.operations import QuotaPressure, simulate
from scrutiny.scenario import OperationsParams

K = {k: i for i, k in enumerate(EVENT_KINDS)}
FALSE_MATCH = code(OUTCOMES, "false_match")


def false_matches_per_scan(events) -> float:
    fm = ((events["kind"] == K["match"]) & (events["outcome"] == FALSE_MATCH)).sum()
    return fm / max(1, (events["kind"] == K["scan"]).sum())


def test_pressure_level_rises_when_behind_and_falls_when_met():
    qp = QuotaPressure(OperationsParams(quota_pressure="more_sites", max_pressure_level=2), quota=3.0)
    levels = []
    for arrests in (0, 0, 0, 5, 5, 5):
        qp.update(arrests)
        levels.append(qp.level)
    assert levels == [1, 2, 2, 1, 0, 0]
    qp.level = 2
    assert qp.capacity(4) == 6 and qp.threshold(9.6) == 9.6 and not qp.widen
    assert QuotaPressure(OperationsParams(quota_pressure="lower_threshold"), quota=float("inf")).level == 0


@pytest.mark.parametrize("seed", range(3))
def test_lower_threshold_is_tracked_and_never_lowers_false_matches(seed):
    """Per-scan false matches can only rise when thresholds step down (4 levels x 0.25 decades: FPIR
    0.39 -> up to 0.99 for the reference group), a margin far beyond run-to-run noise. The quota is set
    out of reach (about 18 arrests a day for one site a day), so pressure builds whatever the seed."""
    unreachable = {"operations.rel_local_intensity": 100.0, "field.scan_policy": "everyone",
                   "operations.quota_pressure": []}
    none = simulate(small(seed=seed, **unreachable))
    low = simulate(small(seed=seed, **{**unreachable, "operations.quota_pressure": "lower_threshold"}))
    th, tau = low.daily["threshold"], low.world_info["operating_threshold"]
    assert th[0] == tau and th.min() >= tau - 4 * 0.25 - 1e-12 and th.min() < tau
    assert np.all(np.diff(low.daily["fpir_reference"][np.argsort(th)]) <= 1e-15), "a lower threshold, a higher FPIR"
    assert np.all(none.daily["threshold"] == tau)
    assert false_matches_per_scan(low.events) >= false_matches_per_scan(none.events)


NO_PRESSURE = {"operations.quota_pressure": [], "field.scan_policy": "everyone",
               "field.decision": [{"name": "agent_discretion", "p_act": 1.0}]}  # act on every flag


@pytest.mark.parametrize("arm", [
    {"operations.quota_pressure": "lower_threshold", "operations.threshold_step": 0.0},
    {"operations.quota_pressure": "more_sites", "operations.rel_capacity_step": 0.0},
    {"operations.quota_pressure": "scan_wider"},  # everyone is scanned already
    {"field.decision": {"name": "human_review", "p_rejects_false": 0.0, "p_rejects_true": 0.0}},
    {"field.retention_days": 30.0},
    {"field.searched_galleries": ["mugshot", "visa", "enforcement", "traveller"]},
], ids=["step-0", "capacity-step-0", "scan-wider-when-everyone", "review-nothing", "retention", "gallery-order"])
def test_an_arm_that_changes_nothing_reproduces_the_run_exactly(arm):
    a, b = simulate(small(seed=3, **NO_PRESSURE)), simulate(small(seed=3, **{**NO_PRESSURE, **arm}))
    for col in a.events:
        assert np.array_equal(a.events[col], b.events[col]), col
    assert np.array_equal(a.daily["arrests"], b.daily["arrests"])


def test_more_sites_visits_more_places_when_behind():
    a = simulate(small(seed=1, **{"operations.quota_pressure": []}))
    b = simulate(small(seed=1, **{"operations.quota_pressure": "more_sites", "operations.rel_capacity_step": 1.0}))
    assert b.daily["sites"].sum() > a.daily["sites"].sum()


def test_named_only_scans_only_named_subjects_and_scan_wider_widens():
    s = small(seed=2, **{"field.scan_policy": "named_only"})
    e = simulate(s).events
    scans, enc = (e["kind"] == K["scan"]).sum(), (e["kind"] == K["encounter"]).sum()
    assert 0 < scans < enc / 5, "only the named subjects present are scanned"
    wide = simulate(small(seed=2, **{"field.scan_policy": "named_only", "operations.quota_pressure": "scan_wider",
                                     "operations.rel_local_intensity": 100.0}))
    assert (wide.events["kind"] == K["scan"]).sum() > scans


def test_own_record_errors_are_released_more_slowly():
    """Same uniforms, a longer mean delay: every release day under record errors is at least as late."""
    from scrutiny.events import EventBuffer
    from scrutiny.operations import Detention
    from scrutiny.rng import Streams
    from scrutiny.world import build_world

    s = small()
    world = build_world(s.world, Streams(0, 0))
    lawful = np.flatnonzero(np.isin(world.people.status, [0, 1, 2, 3, 4]))[:500]
    ends = []
    for error in (False, True):
        ti_free = np.zeros(world.people.n, dtype=np.int32)
        Detention(s.operations, 10_000, Streams(0, 0)).detain(
            EventBuffer(), 0, lawful, world.people.home[lawful], world, ti_free,
            own_record_error=np.full(lawful.size, error))
        ends.append(ti_free[lawful].astype(np.int64))
    assert np.all(ends[1] >= ends[0]) and ends[1].mean() > 2 * ends[0].mean()


def test_retention_limits_records_held_but_not_the_run():
    out = simulate(small(seed=4))
    e = out.events
    full = summarize(e, n_days=out.n_days, n_tracts=out.world_info["n_tracts"], daily=out.daily)
    short = summarize(e, n_days=out.n_days, n_tracts=out.world_info["n_tracts"], retention_days=10.0)
    scans = e["kind"] == K["scan"]
    assert full["scan_records_retained"] == scans.sum()
    assert short["scan_records_retained"] == (scans & (e["day"] >= out.n_days - 10)).sum()
    citizens = np.isin(e["status"], [code(STATUSES, c) for c in CITIZEN_STATUSES])
    assert full["scans_of_citizens"] == (scans & citizens).sum() > 0
    assert len(full["fpir_reference_by_day"]) == out.n_days

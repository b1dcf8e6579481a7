import json
import math

import numpy as np
import pytest
from conftest import small

from scrutiny.codes import EVENT_KINDS, GROUPS, RECORD_STATUSES, STATUSES
from scrutiny.experiments import run
from scrutiny.field import Matcher
from scrutiny.operations import capacity_and_quota, simulate
from scrutiny.scenario import SOURCES
from scrutiny.sources import SOURCE_NAMES

K = {k: i for i, k in enumerate(EVENT_KINDS)}


def only_false_matches(**extra):
    return small(**{
        "field.galleries.enforcement": {
            "size": 2e7, "p_enrolled": {s: 0.0 for s in STATUSES},
            "record_mix": {s: (1.0 if s == "final_order" else 0.0) for s in RECORD_STATUSES},
        },
        "field.searched_galleries": ["enforcement"],
        "operations.quota_enabled": False,
        "operations.sites_per_day_per_100k": 40.0,
        "operations.triggers": ["site_visit"],
        "field.scan_policy": "everyone",
        "field.decision": "match_is_definitive",
        **extra,
    })


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_closed_form_false_flags_through_the_pipeline(seed):
    """One gallery, nobody in it, every record removable: flags = sum over scans of FPIR_g(N), +-4.5 sd."""
    s = only_false_matches(seed=seed)
    out = simulate(s)
    e = out.events
    scans = e["kind"] == K["scan"]
    flags = (e["kind"] == K["match"]).sum()
    _, fpir_group = Matcher.build(s.field, enrolment=np.zeros(1, bool), own_record=np.zeros(1, np.int8),
                                  group=np.zeros(1, np.int8), status=np.zeros(1, np.int8)).rates()
    p = fpir_group[e["group"][scans]]
    assert scans.sum() > 2000, "the check needs enough scans to mean something"
    assert abs(flags - p.sum()) < 4.5 * math.sqrt((p * (1 - p)).sum())


def test_stricter_threshold_lowers_false_match_rate():
    rates = []
    for tau in (9.0, 9.6, 10.6):
        e = simulate(small(**{"field.threshold": tau})).events
        scans = (e["kind"] == K["scan"]).sum()
        fm = ((e["kind"] == K["match"]) & (e["outcome"] == 7)).sum()  # OUTCOMES index of false_match
        rates.append(fm / scans)
    assert rates[0] >= rates[1] >= rates[2], f"false-match rate per scan must not rise with the threshold: {rates}"


def test_same_seed_bit_identical():
    a, b = run(small(), replicates=2), run(small(), replicates=2)
    assert json.dumps(a.summary(), sort_keys=True) == json.dumps(b.summary(), sort_keys=True)
    for col in a.event_log:
        assert np.array_equal(a.event_log[col], b.event_log[col]), col


def test_different_seed_differs():
    a, b = run(small(seed=1), replicates=1), run(small(seed=2), replicates=1)
    assert a.summary()["metrics"] != b.summary()["metrics"]


def test_the_quota_is_a_floor_not_a_cap():
    """Without a quota teams do their ordinary workload every day; a quota only adds sites while behind it."""
    s = small(**{"operations.quota_enabled": False})
    out = simulate(s)
    capacity, quota = capacity_and_quota(s, s.world.n_people)
    assert quota == float("inf") and np.all(out.daily["pressure_level"] == 0)
    assert capacity == 1.0 and np.all(out.daily["sites"] == capacity), "an integer workload is done exactly, every day"
    pushed = small(**{"operations.rel_local_intensity": 100.0, "operations.rel_capacity_step": 1.0,
                      "operations.max_pressure_level": 3})
    k, q = capacity_and_quota(pushed, pushed.world.n_people)
    out = simulate(pushed)
    level = out.daily["pressure_level"]  # the level each day worked under
    assert k == 20.0 and level[0] == 0 and np.array_equal(out.daily["sites"], k * (1 + level)), "sites = k (1 + L)"
    assert out.daily["sites"].max() == k * 4
    arrests_all = np.bincount(out.events["day"][out.events["kind"] == K["detention"]], minlength=pushed.n_days)
    met = arrests_all >= q
    assert np.array_equal(out.daily["quota_met"], met.astype(float)), "quota_met records each day's arrests >= quota"
    assert out.daily["pressure_level"].max() == 3, "a month of missed quotas reaches the top level"


def test_a_fractional_workload_is_rounded_by_a_daily_draw():
    """Half a site a day on average: each day 0 or 1 sites (all 30 days alike has probability 2 x 2^-30)."""
    s = small(**{"operations.quota_enabled": False, "operations.rel_local_intensity": 2.5})
    assert capacity_and_quota(s, s.world.n_people)[0] == 0.5
    sites = simulate(s).daily["sites"]
    assert set(np.unique(sites)) == {0.0, 1.0}


def test_nobody_is_encountered_while_detained():
    e = simulate(small()).events
    det = np.flatnonzero(e["kind"] == K["detention"])
    ends = (e["kind"] == K["release"]) | (e["kind"] == K["removal"])
    enc = e["kind"] == K["encounter"]
    for i in det[:200]:
        person, t = e["person"][i], e["day"][i]
        later_end = np.flatnonzero(ends & (e["person"] == person) & (e["day"] > t))
        until = e["day"][later_end[0]] if later_end.size else 10**6
        seen = enc & (e["person"] == person) & (e["day"] > t) & (e["day"] < until)
        assert not seen.any(), "a detained person cannot be present anywhere"


ALL_SOURCES_OFF = {f"sources.{k}.enabled": False for k in SOURCES.names()}
ALL_SOURCES_OFF.update({f"sources.agency.{k}.enabled": False for k in ("health", "school", "tax")})


def test_every_source_off_falls_back_to_priors_and_completes():
    s = small(**ALL_SOURCES_OFF)
    out = simulate(s)
    assert sum(out.sources["leads"].values()) == 0 and sum(out.sources["records"].values()) == 0
    assert out.daily["active_pins"].max() == 0, "no source, no lead"
    ops = out.events["kind"] == K["operation"]
    assert ops.sum() >= s.n_days, "targeting falls back to priors: teams still go out every day"


@pytest.mark.parametrize("policy", ["probability_matching", "thompson", "feedback_corrected", "random", "warrant_only"])
def test_every_policy_runs_and_reports_concentration(policy):
    from scrutiny.metrics import summarize

    out = simulate(small(**{"targeting.policy": policy}))
    m = summarize(out.events, n_days=out.n_days, n_tracts=out.world_info["n_tracts"], sources=out.sources)
    assert m["operations"] > 0 and 0 <= m["allocation_divergence"] <= 1 and 0 <= m["gini_operations_by_place"] <= 1
    if policy == "warrant_only":
        assert (out.events["place_kind"][out.events["kind"] == K["operation"]] == 0).all(), "addresses only"


def test_warrant_only_without_final_orders_does_nothing():
    out = simulate(small(**{"targeting.policy": "warrant_only", "world.p_final_order": 0.0}))
    assert (out.events["kind"] == K["operation"]).sum() == 0, "no named person with a final order, no operation"


def test_leads_keep_arriving_after_the_first_day():
    out = simulate(small())
    assert (out.daily["leads_new"][1:] > 0).mean() > 0.9, "sources yield a daily flow of leads"
    assert (np.diff(out.daily["removable_at_large"]) <= 0).all(), "removable people at large only decrease"
    assert np.isfinite(out.daily["allocation_divergence"]).all()


def test_summary_has_required_metrics(small_results):
    m = small_results.summary()["metrics"]
    for key in ("arrests", "encounters", "scans", "flagged", "detained", "detained_by_status",
                "citizens_detained_per_1000_arrests", "lawful_residents_detained_per_1000_arrests",
                "false_match_share_of_detained", "ppv_flagged", "top_decile_place_share",
                "disparity_detained_citizens", "bystander_records_by_source", "bystander_records_per_arrest",
                "gini_operations_by_place", "allocation_divergence", "operations_at_protected_places", "ppv_place"):
        assert key in m, key
    assert set(m["detained_by_status"]) == set(STATUSES)
    assert set(m["bystander_records_by_source"]) == set(SOURCE_NAMES)
    assert set(m["arrests"]) >= {"mean", "lo", "hi"}, "with replicates > 1 each metric has mean, lo, hi"
    assert len(GROUPS) == 8

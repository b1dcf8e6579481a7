"""The views the report draws agree with the summary metrics of the same replicate."""

import numpy as np
import pytest

from scrutiny.codes import GROUPS, STATUSES, is_removable
from scrutiny.metrics import funnel_by_status, group_rates, top_share_by_day, tract_counts

LAWFUL = [s for i, s in enumerate(STATUSES) if not is_removable(np.array([i]))[0]]


@pytest.fixture(scope="module")
def replicate(small_results):
    rep = small_results.replicates[0]
    return rep, rep.world_info["n_tracts"]


def test_tract_counts_add_up_to_the_summary(replicate):
    rep, n = replicate
    t = tract_counts(rep.events, n)
    assert all(v.shape == (n,) for v in t.values())
    assert t["operations"].sum() == rep.summary["operations"]
    assert t["wrongful"].sum() == sum(rep.summary["detained_by_status"][s] for s in LAWFUL)
    assert t["scans_lawful"].sum() == rep.summary["scans_of_non_targets"]


def test_runaway_curve_ends_at_the_top_decile_tract_share(replicate, small_results):
    rep, n = replicate
    curve = top_share_by_day(rep.events, n_days=small_results.scenario.n_days, n_tracts=n)
    assert curve[-1] == pytest.approx(rep.summary["top_decile_tract_share"], rel=1e-12)
    assert np.all((curve[np.isfinite(curve)] >= 0) & (curve[np.isfinite(curve)] <= 1))


def test_group_rates_match_the_false_match_rate_by_group(replicate):
    rep, _ = replicate
    fm = group_rates(rep.events)["false_match"]
    for i, g in enumerate(GROUPS):
        want = rep.summary["false_match_rate_by_group"][g]
        got = fm["events"][i] / fm["exposed"][i] if fm["exposed"][i] else np.nan
        assert got == pytest.approx(want, nan_ok=True), g
    ref = GROUPS.index("white_man")
    if fm["exposed"][ref] >= 20:  # ratios need at least 20 people scanned in the reference group
        assert fm["ratio"][ref] == pytest.approx(1.0), "the reference group's ratio is 1"
    else:
        assert np.isnan(fm["ratio"]).all(), "no reference, no ratio"


def test_funnel_detained_is_detained_by_status(replicate):
    rep, _ = replicate
    assert funnel_by_status(rep.events)["detained"] == rep.summary["detained_by_status"]

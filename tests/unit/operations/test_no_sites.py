"""A day whose capacity rounds to no site is skipped: the run is the same to the bit as ranking places to pick none."""

import pytest
from tests.conftest import assert_same_run, small

from scrutiny.operations import simulate
from scrutiny.operations._site_visit import SiteVisit
from scrutiny.operations._triggers import TriggerDay
from scrutiny.scenario import load_scenario


def _every_step(self, t: int) -> TriggerDay:
    """SiteVisit.day as it was before the shortcut: steps 1 to 4 even with no site to visit."""
    selection = self.select_sites(t)
    scan = self.scan_present(t, selection.sites)
    visits = self.operate(t, selection.sites, scan)
    self.feed_back(t, selection, visits)
    self.record_daily(t, visits)
    return TriggerDay(visits.sites, visits.detained)


HALF = {"operations.sites_per_day_per_100k": 0.1}  # half a site a day at 20,000 people and intensity 5
RUNS = {
    "us-interior, half the days without a site": small(**HALF, n_days=60),
    "quota pressure: more sites, lower threshold, wider scans": small(
        **HALF, n_days=60, **{"operations.quota_pressure": ["more_sites", "lower_threshold", "scan_wider"]}),
    "thompson": small(**HALF, n_days=40, **{"targeting.policy": "thompson"}),
    "feedback_corrected, thinning": small(**HALF, n_days=40, **{"targeting.policy": "feedback_corrected"}),
    "feedback decays, reports feed back": small(**HALF, n_days=40, **{"targeting.feedback_decay": 0.05,
                                                                      "targeting.report_weight": 0.5}),
    "uk-hostile-environment": load_scenario(preset="uk-hostile-environment",
                                            overrides={"world.n_people": 20_000, "n_days": 60}),
    "us-border-zone": load_scenario(preset="us-border-zone", overrides={"world.n_people": 20_000, "n_days": 40}),
}


@pytest.mark.parametrize("s", RUNS.values(), ids=RUNS.keys())
def test_a_run_with_days_without_a_site_is_the_same_to_the_bit(monkeypatch, s):
    fast = simulate(s)
    assert (fast.daily["sites"] == 0).any() and (fast.daily["sites"] > 0).any()  # both kinds of day happen
    monkeypatch.setattr(SiteVisit, "day", _every_step)
    assert_same_run(fast, simulate(s))

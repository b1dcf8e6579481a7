"""Protests: attendance chilled by fear and expected surveillance; what surveillance there records (truth checks)."""

import numpy as np
import pytest
from tests.conftest import small

from scrutiny.operations import simulate

TRIGGERS = ["site_visit", "custody_transfer"]


def protests(seed: int = 0, **block):
    """A small scenario with frequent surveilled protests; ``block`` sets fields of the protests trigger."""
    return {"operations.triggers": [*TRIGGERS, {"name": "protests", **block}], "world.places.p_protest_day": 0.5,
            "world.places.p_attend_protest": 0.01, "seed": seed}


def run(seed: int = 0, *, block=None, **overrides):
    return simulate(small(**protests(seed, **(block or {})), **overrides))


@pytest.mark.parametrize("seed", [0, 1])
def test_without_surveillance_or_fear_sensitivity_attendance_does_not_fall(seed):
    out = run(seed, block={"surveillance": False, "rel_fear_sensitivity": 0.0})
    p = out.dissent["protest"]
    assert p["would_attend"].sum() > 100, "protests happened and people wanted to attend"
    assert p["lost"].sum() == 0, "no surveillance and no sensitivity to fear: no attendance lost"
    assert out.daily["expected_surveillance"].max() == 0.0


@pytest.mark.parametrize("seed", [0, 1])
def test_without_surveillance_attendance_falls_only_with_fear(seed):
    off = run(seed, block={"surveillance": False})
    assert off.dissent["protest"]["lost"].sum() > 0, "fear of the surge's operations keeps some at home"
    assert off.daily["expected_surveillance"].max() == 0.0, "nothing surveilled, nothing expected"
    no_fear = run(seed, block={"surveillance": False}, **{"behavior.enabled": False})
    assert no_fear.dissent["protest"]["lost"].sum() == 0, "with no fear, attendance does not fall"


def test_expected_surveillance_adds_to_fear_never_subtracts():
    off, on = run(2, block={"surveillance": False}), run(2)
    lost_off, lost_on = off.dissent["protest"]["lost"], on.dissent["protest"]["lost"]
    assert (lost_on >= lost_off).all() and lost_on.sum() > lost_off.sum(), "same draws; surveillance only adds"
    surv_only = run(2, **{"behavior.enabled": False})
    assert surv_only.dissent["protest"]["lost"].sum() > 0, "with no fear, expected surveillance alone deters"


def test_cell_site_simulator_records_every_phone_present_as_a_bystander():
    everyone = {"p_phone": 1.0}
    on, off = run(3, block=everyone), run(3, block={**everyone, "cell_site_at_protests": False})
    attended = on.daily["protest_attendance"][on.daily["protest_events"] > 0].sum()
    assert attended > 0
    assert on.dissent["protest"]["phones_captured"] == attended, "n phones present: n captures"
    cell = list(on.sources["bystander_records"]).index("cell")
    extra = list(on.sources["bystander_records"].values())[cell] - list(off.sources["bystander_records"].values())[cell]
    assert extra == attended, "every captured phone is a bystander record of the cell source"


def test_identified_protesters_follow_the_matcher_and_the_plates():
    out = run(4, block={"p_face_scan": 1.0, "p_plate_read": 0.0})
    p = out.dissent["protest"]
    scans = out.daily["protesters_scanned"].sum()
    assert scans == out.daily["protest_attendance"].sum(), "everyone attending is scanned"
    assert 0 < p["identified"].sum() <= scans and p["records_retained"] == scans, "15-year retention keeps all"
    none = run(4, block={"p_face_scan": 0.0, "p_plate_read": 0.0})
    assert none.dissent["protest"]["identified"].sum() == 0


def test_protests_that_feed_nothing_back_leave_enforcement_unchanged():
    """No protests called by operations, no raids at protests, no leads: the run is exactly as without protests."""
    overrides = {k: v for k, v in protests(5).items() if k != "operations.triggers"}
    overrides["targeting.excluded_place_types"] = ["protest_site"]
    base = simulate(small(**overrides, **{"operations.triggers": TRIGGERS}))
    quiet = run(5, block={"p_protest_after_operations": 0.0, "identified_to_leads": False},
                **{"targeting.excluded_place_types": ["protest_site"]})
    for name in ("arrests", "sites", "scans", "false_matches", "mean_fear"):
        assert np.array_equal(base.daily[name], quiet.daily[name]), f"{name} changed"
    assert np.array_equal(base.events["person"], quiet.events["person"])


def test_a_run_with_protests_computes_every_registered_metric():
    from scrutiny.experiments import run as run_replicates
    from scrutiny.metrics import METRICS
    from scrutiny.metrics._border import BORDER_METRICS

    summary = run_replicates(small(**protests(6), n_days=10), replicates=1).replicates[0].summary
    from scrutiny.operations import STATUS_CHECK_SERIES

    border = {m.name for m in BORDER_METRICS}  # only where the border triggers run
    checks = {f"daily.{k}" for k in STATUS_CHECK_SERIES}
    border |= {k for k, m in METRICS.items() if checks & set(m.requires)}  # only where status checks run
    assert set(METRICS) - border <= set(summary), f"missing {set(METRICS) - border - set(summary)}"
    assert set(summary["protesters_identified"]) == set(summary["school_days_lost"]), "both keyed by status"


def test_a_raid_at_a_protest_finds_its_attendees():
    from scrutiny.operations._loop import _setup

    r = _setup(small(**protests(7), **{"behavior.enabled": False}), 0)
    protest = next(tr for tr in r.triggers if tr.p.name == "protests")
    day = int(np.flatnonzero(r.protest_days.any(axis=0))[0])
    j = int(np.flatnonzero(r.protest_days[:, day])[0])
    _, present = r.presence.at(protest.sites[[j]], day, r.ti_free, r.chilling.fear)
    assert present.size > 0 and np.array_equal(np.sort(present), np.sort(protest.attendees(day, j)))


def test_identified_attendees_with_a_removable_record_enter_the_lead_book_where_the_scenario_says():
    from scrutiny.operations._loop import _setup

    block = {"p_face_scan": 1.0, "p_plate_read": 1.0, "rel_attend_undocumented": 5.0, "rel_attend_lawful": 5.0}
    runs = {}
    for leads in (False, True):
        r = _setup(small(**protests(8, **block, identified_to_leads=leads), **{"behavior.enabled": False}), 0)
        day = int(np.flatnonzero(r.protest_days.any(axis=0))[0])
        for t in range(day + 1):
            r.step(t)
        runs[leads] = r
    on, off = runs[True], runs[False]
    protest = next(tr for tr in on.triggers if tr.p.name == "protests")
    who = np.flatnonzero(protest.identified & on.world.vocab.shows_removable(on.own_record) & (on.ti_free <= day))
    assert who.size > 0, "some identified attendees have a record showing a removable status"
    assert (on.book.best_place(who, day) >= 0).all(), "each has a pin in the lead book"
    assert on.book.n_active > off.book.n_active, "more pins than without identified_to_leads"

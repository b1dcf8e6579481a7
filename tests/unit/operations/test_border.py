"""The border zone: checkpoints, plate-reader corridors and traveller face comparison (issue 15's truth checks)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scrutiny.codes import EVENT_KINDS, GROUPS, OUTCOMES
from scrutiny.experiments import load_arms
from scrutiny.field import fpir
from scrutiny.metrics import BORDER_METRICS
from scrutiny.operations import simulate
from scrutiny.scenario import list_presets, load_scenario

_SEC, _PHOTO, _DET = (EVENT_KINDS.index(k) for k in ("secondary", "traveller_photo", "detention"))
_FALSE = OUTCOMES.index("false_match")
#: A small border run with the checkpoints only, and nothing but the referral rule sending to secondary.
RULE_ONLY = {
    "world.n_people": 20_000, "n_days": 30, "operations.triggers": ["checkpoint"],
    "operations.triggers.checkpoint.p_contraband": 0.0, "operations.triggers.checkpoint.plate_readers_per_corridor": 0,
}
CITIZENS_ONLY = {"world.composition": "shares", "world.status_shares": {
    "citizen_birth": 1.0, "naturalised": 0.0, "lpr": 0.0, "visa": 0.0, "protected": 0.0, "unauthorised": 0.0,
    "final_order": 0.0}}


def border(**overrides):
    return load_scenario(preset="us-border-zone", overrides=overrides)


def _referral_rates(out) -> tuple[np.ndarray, np.ndarray]:
    e = out.events
    sec = (e["kind"] == _SEC) & (e["context"] >= 0)
    referred = np.bincount(e["group"][sec], minlength=len(GROUPS)).astype(float)
    stops = np.array([out.daily[f"checkpoint_stops_{g}"].sum() for g in GROUPS])
    return referred, stops


def test_preset_and_its_safeguards_load():
    assert "us-border-zone" in list_presets()
    arms = load_arms(None, preset="us-border-zone")
    names = {a.name for a in arms}
    assert {"no_appearance_referral", "plate_reads_30_days", "checkpoints_within_25_miles",
            "manifest_galleries_only", "ports_full_gallery"} <= names, names


@pytest.mark.parametrize("seed", [0, 1])
def test_citizens_only_traffic_no_apprehension_every_stop_a_citizen_stop(seed):
    """Truth check: with every traveller a citizen, nobody is apprehended and every stop is a citizen stop.

    False matches return no actionable record here (false_match_actionable_share 0): a citizen detained on a
    stranger's record would be a wrongful detention, a different figure.
    """
    s = border(**CITIZENS_ONLY, **{"seed": seed, "world.n_people": 10_000, "n_days": 20,
                                   "field.false_match_actionable_share": 0.0,
                                   "operations.triggers": ["checkpoint", "port_of_entry"]})
    out = simulate(s)
    stops = out.daily["checkpoint_stops"].sum()
    assert stops > 500, "the checkpoints should stop hundreds of vehicles"
    assert out.daily["checkpoint_stops_citizen"].sum() == stops, "every stop should be a citizen stop"
    assert int((out.events["kind"] == _DET).sum()) == 0, "nobody should be apprehended"


def test_random_referral_is_equal_across_groups():
    """Truth check: referral at random gives every group the same rate (within 4.5 binomial standard errors)."""
    p = 0.2
    out = simulate(border(**RULE_ONLY, **{"operations.triggers.checkpoint.referral": "random",
                                          "operations.triggers.checkpoint.p_referral": p}))
    referred, stops = _referral_rates(out)
    ok = stops >= 200
    assert ok.sum() >= 2
    z = (referred[ok] - p * stops[ok]) / np.sqrt(stops[ok] * p * (1 - p))
    assert np.all(np.abs(z) < 4.5), f"referral rates by group should all be {p}: z = {z}"


def test_appearance_referral_follows_the_configured_ratio():
    """Truth check: referral by appearance gives Hispanic travellers rel x the white rate (4.5 s.e. on log ratio)."""
    out = simulate(border(**RULE_ONLY, **{"operations.triggers.checkpoint.referral": "appearance",
                                          "operations.triggers.checkpoint.p_referral": 0.1}))
    referred, stops = _referral_rates(out)
    for h, w in ((GROUPS.index("hispanic_man"), GROUPS.index("white_man")),
                 (GROUPS.index("hispanic_woman"), GROUPS.index("white_woman"))):
        ratio = (referred[h] / stops[h]) / (referred[w] / stops[w])
        se = math.sqrt(1 / referred[h] - 1 / stops[h] + 1 / referred[w] - 1 / stops[w])
        assert abs(math.log(ratio) - math.log(3.0)) < 4.5 * se, f"ratio {ratio:.2f} should be 3 (s.e. of log {se:.3f})"


def _port_run(gallery: str, seed: int = 0):
    fmr, m = 1e-4, 300
    s = border(**{"seed": seed, "world.n_people": 20_000, "n_days": 30, "operations.triggers": ["port_of_entry"],
                  "operations.triggers.port_of_entry.fmr": fmr, "operations.triggers.port_of_entry.manifest_size": m,
                  "operations.triggers.port_of_entry.gallery": gallery})
    out = simulate(s)
    e = out.events
    photo = e["kind"] == _PHOTO
    rel = np.array([s.field.rel_fmr_group[g] for g in GROUPS])
    return e["group"][photo], e["outcome"][photo] == _FALSE, rel * fmr, m


def test_manifest_gallery_gives_the_fpir_of_its_size():
    """Truth check: a manifest of m images gives FPIR(m) = 1 - (1 - FMR_g)^m, not FPIR(2e8) (4.5 s.e.)."""
    group, false, fmr_g, m = _port_run("manifest")
    p = fpir(np.minimum(fmr_g, 1.0), m)[group]
    expected, sd = p.sum(), math.sqrt((p * (1 - p)).sum())
    assert abs(false.sum() - expected) < 4.5 * sd, f"{false.sum()} false matches; closed form {expected:.1f}+-{sd:.1f}"
    assert float(fpir(fmr_g[0], 2e8)) > 0.99 > false.mean() * 10, "the full gallery's FPIR is another world"


def test_full_gallery_gives_the_fpir_of_2e8():
    group, false, fmr_g, _ = _port_run("full")
    assert false.mean() > 0.99, "at FMR 1e-4 over 2e8 images every traveller matches a stranger"


def test_checkpoints_closed_reproduce_the_baseline_bit_for_bit():
    """A checkpoint trigger with no checkpoint operating and no readers changes no other event or series."""
    base_over = {"world.n_people": 8_000, "n_days": 10, "operations.triggers": ["site_visit", "custody_transfer"]}
    base = simulate(border(**base_over))
    off = simulate(border(**{**base_over, "operations.triggers": [
        {"name": "checkpoint", "max_miles_inland": 0.0, "plate_readers_per_corridor": 0}, "site_visit",
        "custody_transfer"]}))
    assert all(np.array_equal(base.events[c], off.events[c]) for c in base.events)
    assert all(np.array_equal(base.daily[k], off.daily[k], equal_nan=True) for k in base.daily)
    assert off.daily["checkpoint_stops"].sum() == 0


def test_border_metrics_in_a_border_run():
    from scrutiny.experiments import run

    r = run(border(**{"world.n_people": 10_000, "n_days": 20}), replicates=1)
    m = r.summary()["metrics"]
    assert {b.name for b in BORDER_METRICS} <= set(m), "a border run computes every border metric"
    rep = r.replicates[0].summary
    for b in BORDER_METRICS:
        if b.numerator:
            want = b.scale * rep[b.numerator] / rep[b.denominator] if rep[b.denominator] > 0 else math.nan
            assert rep[b.name] == pytest.approx(want, rel=1e-12, nan_ok=True), b.name
    assert m["traveller_records_retained"] > 0
    by_group = m["secondary_referrals_by_group"]
    assert set(by_group) == set(GROUPS)


def test_closing_note_says_which_checkpoint_figures_are_reproduced():
    from scrutiny.metrics import border_note

    def arm(apprehensions, share):
        return {"metrics": {"apprehensions_per_checkpoint_year": {"mean": apprehensions, "lo": 0.0, "hi": 1e9},
                            "seizure_citizen_only_share": {"mean": share, "lo": 0.0, "hi": 1.0}}}

    summary = {"provenance": {"baseline_arm": "baseline"}, "arms": {"baseline": arm(400.0, 0.92)}}
    note = border_note(summary).splitlines()
    assert len(note) == 3 and "does NOT reproduce people apprehended" in note[1], note
    assert "baseline reproduces share of drug-seizure events" in note[2], note
    assert border_note({"provenance": {"baseline_arm": "b"}, "arms": {"b": {"metrics": {}}}}) == ""


def test_a_border_run_is_deterministic():
    s = border(**{"world.n_people": 6_000, "n_days": 8, "seed": 3})
    a, b = simulate(s), simulate(s)
    assert all(np.array_equal(a.events[c], b.events[c]) for c in a.events), "same seed, different events"
    assert all(np.array_equal(a.daily[k], b.daily[k], equal_nan=True) for k in a.daily), "different series"

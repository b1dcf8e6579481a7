"""The UK's digital hostile environment: the issue's truth checks, and the Digital Sanctuary safeguards.

Truth checks (issue 13):

* a status check whose digital failure rate is f, on lawful residents only and with no
  discrimination, refuses f of checks (binomial tolerance, 4.5 standard errors); with the offline
  fallback proof honoured (the ``offline_fallback`` arm's rule), none;
* with every sharing flow off, enforcement's leads come only from the remaining sources, and the
  run completes;
* discrimination set to zero removes the group difference in refusals among citizens of the same
  status (4.5 standard errors of the difference), while the mystery-shopping value opens it.
"""

import numpy as np
import pytest
from test_status_check import lawful_digital

from scrutiny.codes import EVENT_KINDS, OUTCOMES, RACES
from scrutiny.experiments import load_arms
from scrutiny.operations import simulate
from scrutiny.scenario import load_scenario

CHECK, REPORT = EVENT_KINDS.index("status_check"), EVENT_KINDS.index("report")
REFUSED, DOUBT = OUTCOMES.index("service_refused"), OUTCOMES.index("refused_doubt")
PRESET = "uk-hostile-environment"


def uk(**overrides):
    """The preset on 20,000 people over 60 days."""
    return load_scenario(preset=PRESET, overrides={"world.n_people": 20_000, "n_days": 60, **overrides})


@pytest.mark.parametrize("f", [0.05, 0.3])
def test_the_offline_fallback_proof_refuses_nobody_where_the_digital_check_refuses_f(f):
    plain = simulate(lawful_digital(f)).events
    rule = {"name": "offline_proof"}
    fallback = simulate(lawful_digital(f, **{"operations.triggers": [
        {"name": "status_check", "p_digital_fails": f, "decision": [rule]}]})).events
    checks, checks_fb = plain["kind"] == CHECK, fallback["kind"] == CHECK
    n = int(checks.sum())
    refused = int((checks & (plain["outcome"] == REFUSED)).sum())
    assert n > 5_000 and abs(refused / n - f) < 4.5 * np.sqrt(f * (1 - f) / n), (refused / n, f, n)
    assert checks_fb.sum() == n  # the same people checked (common random numbers)
    assert not (checks_fb & np.isin(fallback["outcome"], [REFUSED, DOUBT])).any()
    cleared = OUTCOMES.index("cleared_documents")
    assert int((checks_fb & (fallback["outcome"] == cleared)).sum()) == refused


def test_the_packaged_offline_fallback_arm_ends_every_refusal_for_a_digital_failure():
    arms = load_arms(None, preset=PRESET)
    arm = next(a for a in arms if a.name == "offline_fallback")
    often = {"operations.triggers.status_check.p_digital_fails": 0.3}
    base, fb = uk(**often), uk(**often, **arm.overrides)
    e, g = simulate(base).events, simulate(fb).events
    vocab = e.vocab
    digital = vocab.digital_only[np.maximum(e["status"], 0)] & vocab.is_lawful(e["status"])
    failed = (e["kind"] == CHECK) & (e["outcome"] == REFUSED) & digital
    failed_fb = (g["kind"] == CHECK) & (g["outcome"] == REFUSED)
    assert failed.sum() > 20
    # Only a wrong own record (a settled resident never recorded, a lawful status recorded as expired)
    # can still fail a lawful person's check: it has no valid proof to show.
    wrong_record = vocab.shows_removable(g["record"])
    assert not (failed_fb & vocab.is_lawful(g["status"]) & ~wrong_record).any()


def test_with_every_sharing_flow_off_leads_come_only_from_the_other_sources():
    on = simulate(uk())
    off = simulate(uk(**{"sources.service_reports.enabled": False}))
    assert on.sources["leads"]["service_reports"] > 0 and (on.events["kind"] == REPORT).sum() > 0
    assert off.sources["leads"]["service_reports"] == 0 and off.sources["records"]["service_reports"] == 0
    assert (off.events["kind"] == REPORT).sum() == 0
    others = {k: v for k, v in off.sources["leads"].items() if k != "service_reports"}
    assert sum(others.values()) > 0
    s = uk()
    enabled = {name for name in others if getattr(getattr(s.sources, name, None), "enabled", False)}
    assert {k for k, v in others.items() if v > 0} <= enabled
    assert off.n_days == 60 and len(off.daily["status_checks"]) == 60  # the run completes
    # The checks themselves go on unchanged (common random numbers): only what is shared differs.
    c_on, c_off = on.events["kind"] == CHECK, off.events["kind"] == CHECK
    assert np.array_equal(on.events["person"][c_on][:500], off.events["person"][c_off][:500])


def test_the_health_and_education_firewall_stops_their_reports_and_traces_only():
    blocked = ["gp_registration", "hospital", "school_admission"]
    fw = simulate(uk(**{"sources.service_reports.blocked_points": blocked,
                        "sources.service_reports.traces_per_year_national": {"gp_registration": 8866.0}}))
    e = fw.events
    reports = e["kind"] == REPORT
    assert reports.sum() > 0
    vocab = e.vocab
    blocked_codes = [list(vocab.service_points).index(b) for b in blocked]
    assert not np.isin(e["context"][reports], blocked_codes).any()
    # No trace is answered (gp_registration is blocked): what is shared is the reports (delivered the next day).
    assert 0 < fw.sources["records"]["service_reports"] <= reports.sum()


def _refusal_rates(s) -> dict[str, tuple[int, int]]:
    """Citizens by birth at the landlord: (refusals on doubt, checks) for white and ethnic-minority people."""
    e = simulate(s).events
    vocab = e.vocab
    landlord = list(vocab.service_points).index("landlord")
    sel = (e["kind"] == CHECK) & (e["context"] == landlord) & (e["status"] == vocab.code("british_birth"))
    white = e["group"] // 2 == RACES.index("white")
    out = {}
    for name, mask in (("white", sel & white), ("minority", sel & ~white)):
        out[name] = (int((mask & (e["outcome"] == DOUBT)).sum()), int(mask.sum()))
    return out


def _z(rates: dict[str, tuple[int, int]]) -> float:
    (kw, nw), (km, nm) = rates["white"], rates["minority"]
    pw, pm = kw / nw, km / nm
    pooled = (kw + km) / (nw + nm)
    return (pm - pw) / np.sqrt(pooled * (1 - pooled) * (1 / nw + 1 / nm))


def _landlord_only(extra: float, seed: int = 0):
    """The preset with only the landlord's check, frequent, and every citizen without a passport to show.

    With ``p_no_passport`` 1 each check of a citizen is refused on doubt independently, with probability
    ``p_doubt_no_passport`` (+ ``extra`` for an ethnic-minority citizen): the refusal counts are binomial.
    """
    landlord = {"label": "Tenancy (right to rent)", "users": "adults", "per_person_per_year": 6.0}
    trigger = {"name": "status_check", "service_points": ["landlord"], "p_no_passport": 1.0,
               "p_doubt_no_passport": {"landlord": 0.2}, "p_doubt_minority_extra": {"landlord": extra}}
    return uk(**{"jurisdiction": {"base": "uk", "service_points": {"landlord": landlord}},
                 "operations.triggers": [trigger, "site_visit"], "seed": seed})


def test_no_discrimination_no_group_difference_among_citizens_of_the_same_status():
    r_fair, r_biased = _refusal_rates(_landlord_only(0.0)), _refusal_rates(_landlord_only(0.15))
    assert min(n for _, n in r_fair.values()) > 1_000, r_fair
    assert abs(_z(r_fair)) < 4.5, r_fair
    assert _z(r_biased) > 4.5, r_biased
    # White citizens are refused alike in both (their draws are common): the difference is the minority's.
    assert r_fair["white"] == r_biased["white"]


def test_a_uk_run_computes_every_registered_metric():
    from scrutiny.experiments._run import replicate_summary
    from scrutiny.metrics import BORDER_METRICS, METRICS

    s = uk()
    summary = replicate_summary(s, simulate(s))
    protest = {k for k, m in METRICS.items() if "dissent.protest" in m.requires}  # no protests trigger either
    assert set(summary) == set(METRICS) - {m.name for m in BORDER_METRICS} - protest  # nor the border triggers
    assert summary["status_checks"] > 1_000 and summary["lawful_refused_service_total"] > 0
    assert set(summary["lawful_refused_service"]) == set(s.jurisdiction.service_points)
    per = summary["records_shared_per_enforcement_outcome"]
    want = summary["records_shared"] / summary["arrests"] if summary["arrests"] else float("nan")
    assert per == pytest.approx(want, nan_ok=True)
    # The preset's observed figures (its calibration targets) all name metrics a UK run computes.
    from scrutiny.calibration import check_metrics, default_targets_path, load_targets

    check_metrics(load_targets(default_targets_path(PRESET)), summary)


def test_a_uk_comparison_is_stored_reread_and_reported(tmp_path):
    """Parts, the store and the report name the events' statuses with the run's own jurisdiction (not the US)."""
    from scrutiny.experiments import compare
    from scrutiny.report import load_folder

    s = uk(**{"world.n_people": 3000, "n_days": 10})
    arms = {"offline_fallback": {"overrides": {"operations.triggers.status_check.decision": ["offline_proof"]}}}
    compare(s, arms, replicates=1, out=tmp_path / "uk")
    data = load_folder(tmp_path / "uk")
    log = data.arms["baseline"].events[0]
    assert log.vocab.statuses[0] == "british_birth" and (log["kind"] == CHECK).sum() > 0
    html = (tmp_path / "uk" / "arms" / "baseline" / "report.html").read_text()
    assert "Settled status" in html and "Everyday status checks" in (tmp_path / "uk" / "report.html").read_text()

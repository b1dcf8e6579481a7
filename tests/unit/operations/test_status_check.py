"""The status-check trigger: everyday checks at service points, on a jurisdiction that has them.

Truth checks: with only lawful residents whose proof is digital only, a digital failure rate f
refuses a share f of checks (binomial tolerance); an offline fallback proof honoured refuses none;
reports reach enforcement only while the service_reports source is on.
"""

import numpy as np
import pytest

from scrutiny.codes import EVENT_KINDS, OUTCOMES
from scrutiny.operations import simulate
from scrutiny.scenario import load_scenario

CHECK, REPORT = EVENT_KINDS.index("status_check"), EVENT_KINDS.index("report")
REFUSED = OUTCOMES.index("service_refused")
STATUSES = ["citizen_birth", "naturalised", "lpr", "visa", "protected", "unauthorised", "final_order"]


def lawful_digital(f: float, **extra):
    """A US-like jurisdiction where LPRs hold a digital-only status and rent through a landlord check."""
    jurisdiction = {
        "base": "us",
        "statuses": {
            **{s: {"label": s, "citizen": s in ("citizen_birth", "naturalised"), "native": s == "citizen_birth",
                   "record": "none" if s == "citizen_birth" else "always", "removable": s in ("unauthorised",
                   "final_order")} for s in STATUSES},
            "lpr": {"label": "settled, digital only", "digital_only": True},
        },
        "service_points": {"landlord": {"label": "Landlord", "users": "lawful_non_citizens",
                                        "per_person_per_year": 36.5}},
    }
    shares = {s: (1.0 if s == "lpr" else 0.0) for s in STATUSES}
    shares["citizen_birth"] = 0.0
    overrides = {
        "jurisdiction": jurisdiction, "world.composition": "shares", "world.status_shares": shares,
        "world.n_people": 20_000, "n_days": 10, "seed": 4,
        "operations.triggers": [{"name": "status_check", "p_digital_fails": f}],
        "sources.admin.p_lawful_recorded_expired": 0.0, "sources.admin.p_merged_identity": 0.0,
        "sources.admin.p_unrecorded": {},
        **extra,
    }
    return load_scenario(overrides=overrides)


@pytest.mark.parametrize("f", [0.05, 0.3])
def test_digital_failure_refuses_its_share_of_lawful_checks(f):
    e = simulate(lawful_digital(f)).events
    checks = e["kind"] == CHECK
    n = int(checks.sum())
    refused = int((checks & (e["outcome"] == REFUSED)).sum())
    assert n > 5_000, n
    assert abs(refused / n - f) < 4.5 * np.sqrt(f * (1 - f) / n), (refused / n, f, n)


def test_an_offline_proof_honoured_refuses_nobody():
    docs = {"name": "documents_honoured", "p_carries_documents": {s: 1.0 for s in STATUSES}}
    s = lawful_digital(0.3, **{"operations.triggers": [{"name": "status_check", "p_digital_fails": 0.3,
                                                         "decision": [docs]}]})
    e = simulate(s).events
    checks = e["kind"] == CHECK
    assert checks.sum() > 5_000 and not (checks & (e["outcome"] == REFUSED)).any()


def test_reports_reach_enforcement_only_with_the_sharing_flow_on():
    on = simulate(lawful_digital(0.3))
    off = simulate(lawful_digital(0.3, **{"sources.service_reports.enabled": False}))
    assert (on.events["kind"] == REPORT).sum() > 0 and (off.events["kind"] == REPORT).sum() == 0
    assert on.sources["leads"]["service_reports"] > 0 and off.sources["leads"]["service_reports"] == 0
    check_on, check_off = on.events["kind"] == CHECK, off.events["kind"] == CHECK
    assert np.array_equal(on.events["person"][check_on][:100], off.events["person"][check_off][:100])


def test_checks_whose_reports_are_not_shared_leave_the_site_visits_bit_for_bit():
    base = lawful_digital(0.3, **{"operations.triggers": ["site_visit"], "sources.service_reports.enabled": False})
    both = lawful_digital(0.3, **{"operations.triggers": ["site_visit", "status_check"],
                                  "sources.service_reports.enabled": False})
    a, b = simulate(base).events, simulate(both).events
    keep = b["kind"] != CHECK
    assert (~keep).sum() > 0
    for col in a:
        assert np.array_equal(a[col], b[col][keep]), col

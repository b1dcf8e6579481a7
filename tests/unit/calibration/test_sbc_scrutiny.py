"""Simulation-based calibration with Scrutiny itself: targets simulated at known parameter values are recovered.

Twenty truths ``field.threshold*`` are drawn from the prior (uniform on [9, 12]); for each, Scrutiny (2,000 people,
5 days) simulates the observed count: citizens (by birth or naturalised) among the people detained. Rejection ABC
then keeps the 60 nearest of 400 prior draws (the same draws for every trial, simulated once) by the binomial
deviance, and we check whether the 90% posterior interval covers the truth.
"""

import numpy as np
import pytest
from conftest import tiny as _tiny

from scrutiny.calibration import ScrutinySimulator, Settings, load_targets, make_prior, run_abc
from scrutiny.calibration._smc import candidate


def tiny(**overrides):
    """A tiny scenario where field.threshold acts strongly: a fixed threshold, everyone present scanned.

    These tests exercise the calibration machinery, so they calibrate a parameter with a large,
    monotone effect (under the default operating-point rule the threshold is set by target_fpir).
    """
    fixed = {"field.threshold_rule": "fixed", "field.scan_policy": "everyone", "field.decision": "match_is_definitive",
             "field.false_match_actionable_share": 0.3}
    return _tiny(**{**fixed, **overrides})

PRIOR = make_prior(["field.threshold=9:12"])
CITIZENS = ["detained_by_status.citizen_birth", "detained_by_status.naturalised"]


class Cached:
    """Simulates each candidate once (candidates are keyed by their replicate keys; every trial proposes the same)."""

    def __init__(self, simulate) -> None:
        self.simulate, self.known = simulate, {}

    def __call__(self, candidates):
        todo = [c for c in candidates if c.keys not in self.known]
        for c, reps in zip(todo, self.simulate(todo) if todo else [], strict=True):
            self.known[c.keys] = reps
        return [self.known[c.keys] for c in candidates]


@pytest.mark.slow
def test_threshold_is_recovered_with_calibrated_90_percent_intervals():
    # 20 trials; calibrated intervals cover Binomial(20, 0.9) times; we require >= 13 (P(<= 12) = 0.0004). The
    # interval comes from 60 accepted draws, whose empirical 5-95% range covers a little less than 90% even for
    # exact posterior draws (about 0.89), and a tolerance above zero widens the posterior (more coverage), so
    # 13 keeps the false-alarm probability near 0.1%. The posterior must also be informative.
    base = tiny(**{"world.n_people": 2000, "n_days": 5, "seed": 5})
    sim = Cached(ScrutinySimulator(base))
    truths = [candidate(PRIOR, 900, j, PRIOR.from_unit(np.random.default_rng([99, j]).random(1)), 1) for j in range(20)]
    observed = sim(truths)
    settings = Settings(method="rejection", n_particles=60, rejection_quantile=0.15)
    covered, widths = 0, []
    for truth, reps in zip(truths, observed, strict=True):
        k = sum(reps[0]["detained_by_status"][m.split(".")[1]] for m in CITIZENS)
        n = reps[0]["arrests"]
        assert n > 0, "every truth detains someone at this size"
        targets = load_targets({"targets": {"citizens": {"numerator": CITIZENS, "denominator": "arrests",
                                                         "observed": {"k": k, "n": n}, "source": "simulated"}}})
        post = run_abc(PRIOR, targets, sim, seed=5, settings=settings).final
        x = PRIOR.to_x(post.z)[:, 0]
        lo, hi = np.quantile(x, [0.05, 0.95])
        covered += lo <= truth.values["field.threshold"] <= hi
        widths.append(hi - lo)
    assert covered >= 13, f"90% intervals covered the true threshold in {covered} of 20 trials"
    assert np.mean(widths) < 0.75 * 2.7, f"the posterior is informative: mean 90% width {np.mean(widths):.2f} of 2.7"

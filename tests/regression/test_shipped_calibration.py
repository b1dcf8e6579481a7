"""The shipped calibration: us-interior takes its unknowns from it, and lands inside every fitted band.

The preset's four unknowns are the posterior medians of src/scrutiny/calibration/shipped/us-interior.json
(rounded to three significant figures), the summary names the packaged targets file by its SHA-256 (a
changed targets file needs a new calibration), and a run of the preset at 10^5 people x 90 days is
consistent with every fitted target's observed band.

Tolerance of the band check: three replicates' counts are pooled (about 900 arrests) and the pooled
rate's exact 99.9% interval (Clopper-Pearson for a binomial target, Garwood for a Poisson one) must
overlap the band. A model inside the band fails this with probability below 0.1%, whatever the seed;
a model whose rate sits a factor of 3 outside it fails it almost surely at these counts.
"""

import hashlib

import numpy as np
import pytest
from scipy import stats

from scrutiny.calibration import default_targets_path, load_targets
from scrutiny.calibration._ship import shipped_summary
from scrutiny.scenario import load_scenario

ALPHA = 0.001


def _preset_value(s, dotted: str) -> float:
    """A dotted field of the loaded preset, looking through a named component's block or a decision list."""
    node = s
    for part in dotted.split("."):
        if isinstance(node, tuple):  # a list of decision rules: the one with this name
            node = next(rule for rule in node if rule.name == part)
        else:
            node = getattr(node, part)
    return float(node)


def test_the_preset_takes_the_shipped_posterior_medians():
    shipped = shipped_summary("us-interior")
    assert shipped is not None, "us-interior ships a calibration"
    s = load_scenario(preset="us-interior")
    for name, median in shipped["overrides"].items():
        assert _preset_value(s, name) == pytest.approx(median, rel=5e-3), name
        post = shipped["posterior"][name]
        assert post["q05"] <= median <= post["q95"], name


def test_the_shipped_calibration_names_the_targets_it_was_fitted_to():
    shipped = shipped_summary("us-interior")
    digest = hashlib.sha256(default_targets_path("us-interior").read_bytes()).hexdigest()
    assert shipped["provenance"]["targets_file_sha256"] == digest, "the targets changed: calibrate and ship again"
    assert shipped["provenance"]["seed"] is not None and shipped["provenance"]["scrutiny_version"]


def _interval(k: float, n: float, model: str) -> tuple[float, float]:
    """Exact two-sided (1 - ALPHA) interval of a rate k/n: Clopper-Pearson (binomial) or Garwood (Poisson)."""
    if model == "poisson":
        lo = stats.chi2.ppf(ALPHA / 2, 2 * k) / 2 if k > 0 else 0.0
        hi = stats.chi2.ppf(1 - ALPHA / 2, 2 * k + 2) / 2
        return lo / n, hi / n
    lo = stats.beta.ppf(ALPHA / 2, k, n - k + 1) if k > 0 else 0.0
    hi = stats.beta.ppf(1 - ALPHA / 2, k + 1, n - k) if k < n else 1.0
    return lo, hi


def _count(summary: dict, name: str) -> float:
    metric, _, key = name.partition(".")
    value = summary[metric]
    return float(value[key] if key else (sum(value.values()) if isinstance(value, dict) else value))


@pytest.mark.slow
def test_the_shipped_preset_lands_inside_every_fitted_band():
    from scrutiny.experiments import run

    results = run(load_scenario(preset="us-interior"), replicates=3)
    reps = [r.summary for r in results.replicates]
    fitted = [t for t in load_targets(default_targets_path("us-interior")) if t.fit and t.metric is None]
    assert fitted, "the packaged targets fit at least one ratio"
    for t in fitted:
        k = sum(_count(r, m) for r in reps for m in t.numerator)
        n = sum(_count(r, m) for r in reps for m in t.denominator)
        assert n > 0, f"{t.name}: no denominator"
        lo, hi = _interval(k, n, t.count_model)
        band = t.observed_band()
        assert lo <= band[1] and hi >= band[0], (
            f"{t.name}: simulated {k:g} of {n:g} ({k / n:.4g}, 99.9% interval {lo:.4g}-{hi:.4g}) "
            f"against the observed band {band[0]:.4g}-{band[1]:.4g}")
        assert np.isfinite(lo) and np.isfinite(hi)

import math

import numpy as np
import pytest
from conftest import tiny

from scrutiny.errors import ConfigError
from scrutiny.experiments import Dimension, sensitivity
from scrutiny.experiments._sensitivity import indices_of

#: Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: analytical first-order and total Sobol indices.
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
DIMS = [Dimension(f"x{i}", "float", lo=-math.pi, hi=math.pi) for i in (1, 2, 3)]


def ishigami(v: dict) -> float:
    return math.sin(v["x1"]) + 7.0 * math.sin(v["x2"]) ** 2 + 0.1 * v["x3"] ** 4 * math.sin(v["x1"])


@pytest.mark.parametrize("seed", [1, 42])
def test_sobol_indices_of_ishigami_match_the_analytical_values(seed):
    idx = indices_of("sobol", DIMS, 2048, seed, ishigami)
    for name in S1:
        # Tolerance: 4.5 standard errors (SALib's 95% bootstrap half-width is 1.96 SE), at least 0.02.
        for key, truth in (("S1", S1[name]), ("ST", ST[name])):
            half = (idx[name][f"{key}_hi"] - idx[name][f"{key}_lo"]) / 2
            tol = max(0.02, 4.5 * half / 1.96)
            assert abs(idx[name][key] - truth) < tol, f"{name} {key}: {idx[name][key]:.4f} vs {truth} (tol {tol:.3f})"


def test_morris_elementary_effects_of_a_linear_model_are_exact():
    dims = [Dimension("a", "float", lo=0.0, hi=2.0), Dimension("b", "float", lo=10.0, hi=20.0),
            Dimension("c", "float", lo=0.0, hi=1.0)]
    idx = indices_of("morris", dims, 8, 3, lambda v: 3.0 * v["a"] - 0.5 * v["b"])
    # An effect is the change over the whole range: 3 * 2 = 6 for a, 0.5 * 10 = 5 for b, 0 for c.
    assert idx["a"]["mu_star"] == pytest.approx(6.0) and idx["b"]["mu_star"] == pytest.approx(5.0)
    assert idx["b"]["mu"] == pytest.approx(-5.0) and idx["c"]["mu_star"] == 0.0


def test_sobol_needs_a_power_of_two():
    with pytest.raises(ConfigError, match="power of 2"):
        indices_of("sobol", DIMS, 100, 1, ishigami)


def test_scenario_sensitivity_through_the_same_adapter(tmp_path):
    res = sensitivity(tiny(), ["field.threshold=8:11", "field.rel_gallery_size"], method="morris", n=3,
                      metrics=["scans", "arrests"], out=tmp_path)
    assert len(res.values) == 3 * 3, "Morris: n trajectories x (d + 1) evaluations"
    idx = res.indices["arrests"]
    assert set(idx) == {"field.threshold", "field.rel_gallery_size"}
    assert all(np.isfinite(v["mu_star"]) for v in idx.values())
    assert res.ranking("arrests")[0] in idx
    for name in ("sensitivity.json", "indices.csv", "samples.csv", "results.duckdb"):
        assert (tmp_path / name).is_file(), name


def test_unknown_metric_is_refused():
    with pytest.raises(ConfigError, match="citizens_detaned"):
        sensitivity(tiny(), ["field.threshold"], method="morris", n=2, metrics=["citizens_detaned"])

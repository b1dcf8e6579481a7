"""Using a posterior: run, compare and sweep draw parameter sets from it, replicate by replicate, for every arm."""

import json

import numpy as np
import pytest
from conftest import tiny as _tiny

from scrutiny.calibration import calibrate, load_posterior
from scrutiny.calibration._ship import write_shipped_summary
from scrutiny.errors import InputError
from scrutiny.experiments import compare, run, sweep


def tiny(**overrides):
    """A tiny scenario where field.threshold acts strongly: a fixed threshold, everyone present scanned.

    These tests exercise the calibration machinery, so they calibrate a parameter with a large,
    monotone effect (under the default operating-point rule the threshold is set by target_fpir).
    """
    fixed = {"field.threshold_rule": "fixed", "field.scan_policy": "everyone", "field.decision": "match_is_definitive",
             "field.false_match_actionable_share": 0.3}
    return _tiny(**{**fixed, **overrides})

TARGETS = {"targets": {"citizens": {
    "numerator": "detained_by_status.citizen_birth", "denominator": "detained", "observed": {"k": 1, "n": 10},
    "source": "illustration"}}}


@pytest.fixture(scope="module")
def posterior_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("calib")
    calibrate(tiny(), TARGETS, ["field.threshold=9:12", "field.rel_gallery_size"], out=out, method="rejection",
              n_particles=8, rejection_quantile=0.5, n_predictive=3)
    return out


def test_draws_depend_only_on_seed_and_replicate(posterior_dir):
    post = load_posterior(posterior_dir)
    draws = [post.overrides(11, r) for r in range(6)]
    assert draws == [post.overrides(11, r) for r in range(6)], "the same seed and replicate give the same draw"
    assert len({d["field.threshold"] for d in draws}) > 1, "replicates see different posterior draws"
    thresholds = set(post.values[:, 0].tolist())
    assert all(d["field.threshold"] in thresholds for d in draws), "every draw is a posterior particle"


def test_an_arm_identical_to_baseline_differs_by_exactly_zero(posterior_dir):
    s = tiny()
    draws = load_posterior(posterior_dir).draws(s.seed)
    c = compare(s, {"same": {"overrides": {}}, "strict": {"overrides": {"field.threshold": 12.0}}}, replicates=3,
                draws=draws)
    summary = c.summary()
    assert all(d["mean"] == 0 and d["hi"] == 0 for d in summary["differences"]["same"].values()), "pairs stay paired"
    prov = summary["provenance"]
    assert prov["interval"] == "chance and posterior uncertainty"
    assert prov["draws"]["by_replicate"] == [draws.overrides_of(r) for r in range(3)]
    assert prov["draws"]["calibration_sha256"] == load_posterior(posterior_dir).calibration_sha256
    base = [r.summary["arrests"] for r in c.results["baseline"].replicates]
    plain = [r.summary["arrests"] for r in run(s, replicates=3).replicates]
    assert base != plain, "replicates ran with posterior draws, not the scenario's own values"


def test_run_and_sweep_record_the_kind_of_interval(posterior_dir, tmp_path):
    s = tiny()
    draws = load_posterior(posterior_dir).draws(s.seed)
    assert run(s, replicates=2).summary()["provenance"]["interval"] == "chance only"
    r = run(s, replicates=2, draws=draws)
    assert r.summary()["provenance"]["interval"] == "chance and posterior uncertainty"
    r.write(tmp_path / "run")
    html = (tmp_path / "run" / "report.html").read_text()
    assert "drawn from the calibrated posterior" in html and f"--posterior {posterior_dir}" in html
    sw = sweep(s, {"fields": {"operations.rel_local_intensity": [2.0, 8.0]}}, replicates=2, draws=draws)
    assert sw.summary()["provenance"]["interval"] == "chance and posterior uncertainty"


def test_calibration_outputs_and_shipped_summary(posterior_dir, tmp_path):
    summary = json.loads((posterior_dir / "calibration.json").read_text())
    assert set(summary["parameters"]["field.threshold"]) >= {"q05", "q50", "q95"}
    assert {"epsilon", "ess", "acceptance_rate"} <= set(summary["generations"][0])
    assert set(summary["targets"]["citizens"]) >= {"observed", "predictive", "source"}
    html = (posterior_dir / "report.html").read_text()
    assert "<script" not in html and "Pair plot" in html and "citizens" in html and html.count("<svg") >= 4
    shipped = json.loads(write_shipped_summary(posterior_dir, dest=tmp_path / "ship.json").read_text())
    assert set(shipped["overrides"]) == {"field.threshold", "field.rel_gallery_size"}
    assert shipped["provenance"]["seed"] == 11 and len(shipped["provenance"]["calibration_sha256"]) == 64
    assert np.isclose(shipped["overrides"]["field.threshold"], summary["parameters"]["field.threshold"]["q50"])


def test_a_folder_that_is_not_a_calibration_is_refused(tmp_path):
    with pytest.raises(InputError, match="calibration.json is missing"):
        load_posterior(tmp_path)

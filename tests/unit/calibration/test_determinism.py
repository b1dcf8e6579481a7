"""The same calibration gives the same posterior whatever the number of workers, and after a kill and a rerun."""

from pathlib import Path

import pytest
from calibration_helpers import BinomialToy, Interrupted, KilledAfter, count_targets, uniform_prior
from conftest import tiny as _tiny

from scrutiny.calibration import Settings, calibrate, calibrate_model
from scrutiny.errors import ConfigError


def tiny(**overrides):
    """A tiny scenario where field.threshold acts strongly: a fixed threshold, everyone present scanned.

    These tests exercise the calibration machinery, so they calibrate a parameter with a large,
    monotone effect (under the default operating-point rule the threshold is set by target_fpir).
    """
    fixed = {"field.threshold_rule": "fixed", "field.scan_policy": "everyone", "field.decision": "match_is_definitive",
             "field.false_match_actionable_share": 0.3}
    return _tiny(**{**fixed, **overrides})

TARGETS = {"targets": {
    "citizens": {"numerator": ["detained_by_status.citizen_birth", "detained_by_status.naturalised"],
                 "denominator": "detained", "observed": {"k": 2, "n": 20}, "source": "illustration"},
    "scans_per_arrest": {"numerator": "scans", "denominator": "arrests", "band": [5.0, 40.0],
                         "count_model": "poisson", "source": "illustration"},
}}
PARAMS = ["field.threshold=9:12", "field.rel_gallery_size"]
OPTIONS = {"n_particles": 12, "n_predictive": 4}


def scenario():
    return tiny(**{"world.n_people": 2000, "n_days": 4})


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("particles.parquet", "calibration.json")}


@pytest.fixture(scope="module")
def straight(tmp_path_factory) -> Path:
    """Two generations in one go, in this process."""
    out = tmp_path_factory.mktemp("straight")
    calibrate(scenario(), TARGETS, PARAMS, out=out, max_generations=2, **OPTIONS)
    return out


def test_writes_particles_summary_and_report(straight):
    assert {"particles.parquet", "calibration.json", "report.html", "results.duckdb"} <= {p.name for p in
                                                                                          straight.iterdir()}
    assert sorted(p.name for p in (straight / "generations").iterdir()) == ["g000.parquet", "g001.parquet"]


def test_a_two_worker_cluster_gives_the_same_posterior(straight, tmp_path, dask_cluster):
    # Two Dask worker processes (the local process pool runs the same tasks through the same executor; a cluster
    # that is already up avoids starting a pool for every batch of this small test).
    calibrate(scenario(), TARGETS, PARAMS, out=tmp_path, max_generations=2, scheduler=dask_cluster.scheduler_address,
              **OPTIONS)
    assert outputs(tmp_path) == outputs(straight), "particles and calibration.json are bit-identical"


def test_one_generation_then_a_second_equals_two_straight(straight, tmp_path):
    calibrate(scenario(), TARGETS, PARAMS, out=tmp_path, max_generations=1, **OPTIONS)
    calibrate(scenario(), TARGETS, PARAMS, out=tmp_path, max_generations=2, **OPTIONS)
    assert outputs(tmp_path) == outputs(straight)


def test_a_folder_with_other_settings_is_refused(straight):
    with pytest.raises(ConfigError, match="differing in"):
        calibrate(scenario(), TARGETS, ["field.threshold=9:11"], out=straight, max_generations=2, **OPTIONS)


def test_a_kill_in_the_middle_of_a_generation_loses_nothing(tmp_path):
    settings = Settings(n_particles=50, max_generations=4, n_predictive=10)
    args = (uniform_prior(), count_targets(12, 40))
    clean = calibrate_model(BinomialToy(40), *args, seed=4, settings=settings, out=tmp_path / "clean", check=False)
    with pytest.raises(Interrupted):
        calibrate_model(KilledAfter(BinomialToy(40), 3), *args, seed=4, settings=settings, out=tmp_path / "killed",
                        check=False)
    assert (tmp_path / "killed" / "generations" / "g000.parquet").is_file(), "finished generations were kept"
    again = calibrate_model(BinomialToy(40), *args, seed=4, settings=settings, out=tmp_path / "killed", check=False)
    assert again.run.resumed_from >= 1, "the rerun continued after the generations already written"
    assert outputs(tmp_path / "killed") == outputs(tmp_path / "clean")
    assert again.summary() == clean.summary()

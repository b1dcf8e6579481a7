import numpy as np
import pytest
from conftest import tiny

from scrutiny.errors import ConfigError
from scrutiny.experiments import load_design, sweep
from scrutiny.experiments._design import lhs_unit, parse_cli_param
from scrutiny.experiments._sweep import design_points
from scrutiny.rng import stream


def test_grid_takes_every_combination_first_field_slowest():
    spec = load_design({"fields": {"field.threshold": {"lo": 9.0, "hi": 10.0, "n": 2}, "n_days": [3, 4, 5]}})
    pts = design_points(spec["dims"], "grid", None, 1)
    assert len(pts) == 6
    assert pts[:3] == [{"field.threshold": 9.0, "n_days": d} for d in (3, 4, 5)]


def test_log_grid_and_integer_rounding():
    spec = load_design({"fields": {"field.rel_gallery_size": {"lo": 0.01, "hi": 1.0, "n": 3, "log": True},
                                   "world.n_people": {"lo": 1000, "hi": 2001, "n": 2}}})
    pts = design_points(spec["dims"], "grid", None, 1)
    assert [p["field.rel_gallery_size"] for p in pts[::2]] == pytest.approx([0.01, 0.1, 1.0])
    assert {p["world.n_people"] for p in pts} == {1000, 2001} and isinstance(pts[0]["world.n_people"], int)


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_latin_hypercube_has_one_point_per_stratum_on_every_axis(seed):
    u = lhs_unit(10, 3, stream(seed, 0, "experiments.design"))
    for j in range(3):
        assert sorted((u[:, j] * 10).astype(int).tolist()) == list(range(10)), f"axis {j}"


def test_lhs_points_lie_in_range_and_are_reproducible():
    design = {"method": "lhs", "samples": 8, "fields": {"field.threshold": {"lo": 8.0, "hi": 11.0}}}
    spec = load_design(design)
    a = design_points(spec["dims"], "lhs", 8, 3)
    assert a == design_points(spec["dims"], "lhs", 8, 3), "same seed, same design"
    assert all(8.0 <= p["field.threshold"] <= 11.0 for p in a)


@pytest.mark.parametrize(
    ("design", "expected"),
    [
        ({"fields": {"field.treshold": [9.0]}}, ["field.treshold", "Did you mean 'field.threshold'"]),
        ({"method": "sobol", "fields": {"n_days": [3]}}, ["'grid' or 'lhs'", "sobol"]),
        ({"fields": {"field.threshold": {"lo": 9.0, "hi": 10.0}}}, ["need n", "field.threshold"]),
        ({"method": "lhs", "fields": {"n_days": [3, 4]}}, ["samples"]),
        ({"method": "lhs", "samples": 4, "fields": {"n_days": [3, 4]}}, ["ranges", "n_days"]),
        ({"fields": {"field.capture": {"lo": 1, "hi": 2, "n": 2}}}, ["field.capture", "not numeric"]),
        ({"fields": {"field.threshold": {"lo": 11.0, "hi": 9.0, "n": 2}}}, ["lo < hi"]),
        ({"fields": {"n_days": [3]}, "repeats": 2}, ["repeats"]),
    ],
    ids=["unknown-field", "bad-method", "grid-range-without-n", "lhs-without-samples", "lhs-list", "non-numeric",
         "lo-above-hi", "unknown-key"],
)
def test_bad_designs_are_refused_up_front(design, expected):
    with pytest.raises(ConfigError) as info:
        load_design(design)
    for text in expected:
        assert text in str(info.value), f"{text!r} should be in: {info.value}"


def test_invalid_point_names_the_point_field_and_value():
    with pytest.raises(ConfigError) as info:
        sweep(tiny(), {"fields": {"field.threshold": [9.0, 25.0]}})
    assert "point 1" in str(info.value) and "field.threshold" in str(info.value) and "25.0" in str(info.value)


def test_sweep_points_share_common_random_numbers():
    sw = sweep(tiny(), {"replicates": 2, "fields": {"field.threshold": [9.6, 9.6]}})
    t = sw.table()
    a, b = t[t.point == 0].drop(columns="point"), t[t.point == 1].drop(columns="point")
    same = np.array_equal(a.to_numpy(float), b.to_numpy(float), equal_nan=True)
    assert same, "identical points give identical replicates"


def test_sweep_writes_points_and_replicates(tmp_path):
    sw = sweep(tiny(), {"fields": {"field.threshold": [9.0, 11.0]}}, replicates=2, out=tmp_path)
    assert len(sw.table()) == 4
    head = (tmp_path / "points.csv").read_text().splitlines()[0]
    assert "field.threshold" in head and "arrests_mean" in head and "arrests_lo" in head
    assert (tmp_path / "sweep.json").is_file() and (tmp_path / "results.duckdb").is_file()


def test_sensitivity_param_syntax():
    d = parse_cli_param("field.threshold=8:11")
    assert (d.lo, d.hi, d.log) == (8.0, 11.0, False)
    assert parse_cli_param("field.rel_gallery_size=0.005:1.5:lin").log is False
    assert parse_cli_param("sources.admin.p_address_current").lo == pytest.approx(0.04)
    with pytest.raises(ConfigError, match="plausible"):
        parse_cli_param("n_days")

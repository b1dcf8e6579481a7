"""Targets files: validated like a scenario (errors name the target and the field); metrics checked at run time."""

import pytest

from scrutiny.calibration import check_metrics, default_targets_path, load_targets, metric_names, metric_value
from scrutiny.errors import ConfigError

COUNT = {"numerator": "a", "denominator": "b", "observed": {"k": 3, "n": 10}, "source": "a report"}


def targets(**spec):
    return {"targets": {"t1": {**COUNT, **spec}}}


def error_of(data) -> str:
    with pytest.raises(ConfigError) as exc:
        load_targets(data)
    return str(exc.value)


def test_packaged_us_interior_file_is_valid_and_sourced():
    t = load_targets(default_targets_path("us-interior"))
    assert len(t) >= 4 and all(x.source.strip() for x in t), "every packaged target names its public source"
    assert len(t.parameters) >= 4, "the packaged file names at least four unknowns"
    held = t.targets["citizens_held_2025"]
    assert (held.observed.k, held.observed.n, held.undercount) == (170, 222000, (1.0, 10.0))
    from scrutiny.metrics import METRICS
    from scrutiny.scenario import iter_fields

    unknown = {m for x in t for m in x.metrics()} - set(METRICS)
    assert not unknown, f"packaged targets name metrics that do not exist: {unknown}"
    fields = {name for name, _ in iter_fields()}
    names = {p.split("=")[0] for p in t.parameters}
    assert names <= fields, f"packaged parameters that are not scenario fields: {names - fields}"
    assert any(x.fit for x in t) and not all(x.fit for x in t), "fitted targets and checks"


def test_misspelt_key_names_target_field_and_suggestion():
    msg = error_of({"targets": {"t1": {**COUNT, "numerater": "a"}}})
    assert "targets.t1.numerater" in msg and "Did you mean 'numerator'" in msg


def test_both_observed_and_band_is_refused_naming_the_target():
    assert "targets.t1" in error_of(targets(band=[0.1, 0.2])) and "exactly one" in error_of(targets(band=[0.1, 0.2]))


def test_k_above_n_and_missing_source_name_their_fields():
    assert "targets.t1: observed k (11) cannot exceed n (10)" in error_of(targets(observed={"k": 11, "n": 10}))
    assert "targets.t1.observed.n" in error_of(targets(observed={"k": 0, "n": 0}))
    spec = dict(COUNT)
    del spec["source"]
    assert "targets.t1.source" in error_of({"targets": {"t1": spec}})
    assert "targets.t1.source" in error_of(targets(source="  "))


def test_bad_bands_and_undercounts_are_refused():
    band = {"numerator": "a", "denominator": "b", "band": [0.2, 2.0], "source": "s"}
    assert "poisson" in error_of({"targets": {"t1": band}}), "a binomial band is a share in [0, 1]"
    assert "undercount" in error_of({"targets": {"t1": {**band, "count_model": "poisson", "undercount": [1, 2]}}})
    assert "lo <= hi" in error_of(targets(undercount=[3, 1]))
    assert "band" in error_of({"targets": {"t1": {"metric": "m", "band": [0.5, 0.4], "source": "s"}}})


def test_metric_names_are_checked_against_a_summary_with_did_you_mean():
    t = load_targets({"targets": {"held": {**COUNT, "numerator": "arrestz", "denominator": "detained_by_status.lpr"}}})
    summary = {"arrests": 3.0, "detained_by_status": {"lpr": 1.0, "citizen_birth": 0.0}}
    with pytest.raises(ConfigError) as exc:
        check_metrics(t, summary)
    assert "target 'held'" in str(exc.value) and "'arrestz'" in str(exc.value) and "Did you mean 'arrests'" in str(
        exc.value)
    assert metric_value(summary, "detained_by_status.lpr") == 1.0
    assert metric_names(summary) == ["arrests", "detained_by_status.lpr", "detained_by_status.citizen_birth"]


def test_observed_ranges_of_shares_and_rates_contain_the_observed_rate():
    from scrutiny.calibration._calibrate import _observed_range

    t = load_targets({"targets": {
        "share": {**COUNT, "undercount": [1, 10]},
        "rate": {**COUNT, "observed": {"k": 682, "n": 298}, "count_model": "poisson"}}})
    share, rate = _observed_range(t.targets["share"]), _observed_range(t.targets["rate"])
    assert share["lo"] < 0.3 < share["hi"] <= 1.0 and share["hi"] > 0.3 * 2, "the undercount stretches the top"
    assert 2.0 < rate["lo"] < 682 / 298 < rate["hi"] < 2.6, f"a Poisson rate may exceed one: {rate}"

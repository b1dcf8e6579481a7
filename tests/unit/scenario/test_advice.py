"""A value that is allowed but looks like a mistake is loaded with a warning that says what the field means."""

import warnings

import pytest

from scrutiny.errors import ScenarioWarning
from scrutiny.scenario import list_presets, load_scenario


def _warnings(**kw) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_scenario(**kw)
    return [str(w.message) for w in caught if issubclass(w.category, ScenarioWarning)]


def test_a_rate_typed_into_the_decades_threshold_is_called_out():
    found = _warnings(overrides={"field.threshold_rule": "fixed", "field.threshold": 0.000001})
    assert len(found) == 1, found
    text = found[0]
    assert "field.threshold = 1e-06 lies far outside its documented range, 8 to 11" in text
    assert "10**-threshold" in text, "the warning says what the field means"
    assert "threshold on this scale is -log10 of it: 6" in text


def test_a_threshold_under_a_target_fpir_rule_has_no_effect_and_says_what_does():
    found = _warnings(overrides={"field.threshold": 10.6})
    assert found == ["field.threshold = 10.6 has no effect: it acts only under field.threshold_rule = 'fixed', and "
                     "this scenario has 'target_fpir'. Under 'target_fpir' the field that does this job is "
                     "field.target_fpir (now 0.003); or set field.threshold_rule = 'fixed'."]


def test_ordinary_values_presets_and_safeguards_load_silently():
    assert _warnings(overrides={"field.target_fpir": 0.0003, "world.n_people": 5000, "n_days": 5}) == []
    assert _warnings(overrides={"field.threshold_rule": "fixed", "field.threshold": 10.6}) == []
    for preset in list_presets():
        assert _warnings(preset=preset) == [], preset


def test_a_scenario_file_is_advised_too(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[field]\nthreshold_rule = "fixed"\nthreshold = 0.001\n')
    found = _warnings(source=path)
    assert len(found) == 1 and "field.threshold = 0.001" in found[0]


def test_the_command_line_prints_one_line_per_warning(tmp_path, capsys):
    from scrutiny.cli import main

    status = main(["run", "--set", "world.n_people=3000", "--set", "n_days=2", "--set", "field.threshold=0.000001",
                   "--replicates", "1", "--quiet", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 0
    lines = [ln for ln in err.splitlines() if ln.startswith("scrutiny: warning: field.threshold")]
    assert len(lines) == 2 and "Traceback" not in err and "ScenarioWarning" not in err, err


@pytest.mark.parametrize("value,far", [(1e-6, True), (5.5, False), (14.5, True), (11.5, False)])
def test_far_means_more_than_the_range_width_away(value, far):
    from scrutiny.scenario._advice import far_outside

    assert far_outside(value, (8.0, 11.0)) is far

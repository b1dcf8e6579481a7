import pytest
from conftest import tiny

from scrutiny.errors import ConfigError
from scrutiny.experiments import default_arms_path, load_arms
from scrutiny.experiments._arms import arm_scenarios


def test_default_arms_load_and_validate_with_baseline_first():
    arms = load_arms(None)
    names = [a.name for a in arms]
    assert names[0] == "baseline" and arms[0].overrides == {}, "the baseline arm comes first, with no overrides"
    assert {"threshold_strict", "protected_places", "no_quota"} <= set(names), names
    scenarios = arm_scenarios(tiny(), arms)
    assert scenarios["threshold_strict"].field.target_fpir == 0.0003
    assert scenarios["no_quota"].operations.quota_enabled is False
    assert default_arms_path().is_file()


def test_a_preset_with_its_own_safeguards_uses_them():
    from scrutiny.scenario import load_scenario

    assert default_arms_path("us-interior-dragnet").name == "us-interior-dragnet.toml"
    arms = load_arms(None, preset="us-interior-dragnet")
    strict = arm_scenarios(load_scenario(preset="us-interior-dragnet"), arms)["threshold_strict"]
    assert strict.field.threshold == 10.6 and strict.field.threshold_rule == "fixed"


def test_arm_without_change_keeps_the_baseline_config_hash():
    s = tiny()
    out = arm_scenarios(s, load_arms({"same": {"overrides": {"field.threshold": s.field.threshold}}}))
    assert out["same"].config_hash() == out["baseline"].config_hash() == s.config_hash()


@pytest.mark.parametrize(
    ("arms", "expected"),
    [
        ({"strict": {"overrides": {"field.treshold": 10.6}}}, ["'strict'", "field.treshold", "10.6", "threshold"]),
        ({"strict": {"overrides": {"field.threshold": 99.0}}}, ["'strict'", "field.threshold", "99.0", "20"]),
        ({"odd": {"overrides": {"targeting.excluded_place_types": ["spa"]}}},
         ["'odd'", "excluded_place_types", "spa", "school"]),
        ({"reseed": {"overrides": {"seed": 3}}}, ["'reseed'", "seed", "common random numbers"]),
        ({"bad name!": {"overrides": {}}}, ["'bad name!'", "folder"]),
        ({"baseline": {"overrides": {"field.threshold": 10.0}}}, ["'baseline'", "cannot have overrides"]),
        ({"x": {"overides": {}}}, ["'x'", "overides", "allowed"]),
    ],
    ids=["misspelt-field", "out-of-range", "bad-enum", "seed", "bad-name", "baseline-overrides", "bad-key"],
)
def test_bad_arms_fail_up_front_naming_arm_field_and_value(arms, expected):
    with pytest.raises(ConfigError) as info:
        arm_scenarios(tiny(), load_arms(arms))
    for text in expected:
        assert text in str(info.value), f"{text!r} should be named in: {info.value}"


def test_arms_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "arms.toml"
    bad.write_text("[arms.x]\noverrides = { 'field.threshold' = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_arms(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_arms(tmp_path / "missing.toml")
    other = tmp_path / "other.toml"
    other.write_text("[safeguards.x]\ndescription = 'y'\n")
    with pytest.raises(ConfigError, match=r"\[arms.NAME\]"):
        load_arms(other)

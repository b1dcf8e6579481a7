import subprocess
import sys

import pytest
from pydantic import ValidationError

from scrutiny.errors import ConfigError, ResourceError
from scrutiny.experiments._resources import check_memory
from scrutiny.scenario import Scenario, dump_toml, list_presets, load_scenario


def test_default_is_us_interior():
    s = load_scenario()
    assert s.name == "us-interior" and "us-interior" in list_presets()


def test_misspelt_key_names_dotted_field_and_suggests(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[field]\ntreshold = 10.0\n")
    with pytest.raises(ConfigError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "field.treshold" in msg and "unknown field" in msg and "Did you mean 'threshold'?" in msg


def test_wrong_type_names_field_and_value():
    with pytest.raises(ConfigError) as err:
        load_scenario({"world": {"n_people": "lots"}})
    assert "world.n_people" in str(err.value) and "'lots'" in str(err.value)


def test_out_of_range_names_field_value_and_bound():
    with pytest.raises(ConfigError) as err:
        load_scenario({"field": {"threshold": 35.0}})
    msg = str(err.value)
    assert "field.threshold" in msg and "35" in msg and "less than or equal to 20" in msg


def test_bad_enum_lists_allowed_values():
    with pytest.raises(ConfigError) as err:
        load_scenario({"targeting": {"policy": "densest"}})
    assert "targeting.policy" in str(err.value) and "'dense_first'" in str(err.value)


def test_bad_mix_names_key():
    with pytest.raises(ConfigError) as err:
        mix = {"naturalised": 0.5, "lpr": 0.5, "visa": 0.1, "unauthorised": 0.1}
        load_scenario({"world": {"foreign_born_mix": mix}})
    assert "world.foreign_born_mix" in str(err.value) and "sum to 1" in str(err.value)


def test_every_error_is_reported_at_once():
    with pytest.raises(ConfigError) as err:
        load_scenario({"n_days": 0, "field": {"gallery_size": -1}})
    assert "n_days" in str(err.value) and "field.gallery_size" in str(err.value)


def test_toml_round_trip(tmp_path):
    s = load_scenario(overrides={"field.threshold": 10.5, "targeting.excluded_place_types": ["school"]})
    path = tmp_path / "s.toml"
    path.write_text(dump_toml(s))
    assert load_scenario(path) == s


def test_scenarios_are_immutable():
    s = Scenario()
    with pytest.raises(ValidationError, match="frozen"):
        s.field.threshold = 1.0  # type: ignore[misc]


def test_config_hash_ignores_seed_only():
    a = Scenario()
    assert a.config_hash() == a.model_copy(update={"seed": 1}).config_hash()
    assert a.config_hash() != load_scenario(overrides={"field.threshold": 10.0}).config_hash()


def test_memory_refusal_gives_estimate():
    s = load_scenario(overrides={"world.n_people": 1_900_000_000})
    with pytest.raises(ResourceError, match=r"needs about [0-9.]+ GiB"):
        check_memory(s)


def test_cli_bad_scenario_exits_2_without_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[targeting]\npolicy = 'densest'\n")
    proc = subprocess.run([sys.executable, "-m", "scrutiny", "run", str(path), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "targeting.policy" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists(), "nothing is written when the scenario is invalid"

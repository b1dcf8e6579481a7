"""Scenario, arms and design files that cannot be read stop with one message naming the file."""

import pytest

from scrutiny.errors import ConfigError, brief
from scrutiny.experiments import load_arms, load_design
from scrutiny.scenario import load_scenario

BAD_BYTES = {
    "latin-1": ("name = 'café'\n".encode("latin-1"), r"not UTF-8 text: byte 0xe9 on line 1, column 12.*Latin-1"),
    "utf-16": ("name = 'café'\n".encode("utf-16"), r"is UTF-16 \(little-endian\) text.*Save it as UTF-8"),
    "utf-16 without a mark": ("name = 'x'\n".encode("utf-16-le"), r"NUL byte on line 1.*UTF-16"),
    "stray byte": (b"seed = 3\nname = 'x'\n\x9d\n", r"byte 0x9d on line 3, column 1"),
}


@pytest.mark.parametrize("case", BAD_BYTES, ids=list(BAD_BYTES))
def test_scenario_not_in_utf8_names_file_byte_and_line(tmp_path, case):
    raw, expected = BAD_BYTES[case]
    path = tmp_path / "s.toml"
    path.write_bytes(raw)
    with pytest.raises(ConfigError, match=expected) as err:
        load_scenario(path)
    assert str(path) in str(err.value), "the message names the file"


def test_utf8_with_byte_order_mark_is_read():
    assert load_scenario({"name": "café"}).name == "café"


def test_scenario_file_with_bom_is_read(tmp_path):
    (tmp_path / "s.toml").write_bytes("name = 'café'\n".encode("utf-8-sig"))
    assert load_scenario(tmp_path / "s.toml").name == "café"


@pytest.mark.parametrize("text", ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 5000 + "1" + "}" * 5000,
                                  "[" + ".".join(["a"] * 5000) + "]\nx = 1\n"], ids=["arrays", "inline", "tables"])
def test_thousands_deep_nesting_is_refused_not_a_recursion_error(tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=r"deep.toml.*(too deeply|more than 20 levels)"):
        load_scenario(path)


def test_deep_mapping_from_python_is_refused():
    deep = node = {}
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(ConfigError, match=r"more than 20 levels deep at 'world\.x\.x"):
        load_scenario({"world": deep})


def test_folder_given_as_scenario_file(tmp_path):
    with pytest.raises(ConfigError, match=r"Scenario file '.*' is a folder, not a file"):
        load_scenario(tmp_path)


def test_arms_and_design_files_in_latin1_name_the_file(tmp_path):
    (tmp_path / "arms.toml").write_bytes("[arms.café]\noverrides = {}\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"Arms file '.*arms.toml' is not UTF-8"):
        load_arms(tmp_path / "arms.toml")
    (tmp_path / "design.toml").write_bytes('[fields]\n"field.threshold" = [9.0] # é\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"Design file '.*design.toml' is not UTF-8"):
        load_design(tmp_path / "design.toml")


def test_large_bad_values_are_cut_in_messages(tmp_path):
    huge = list(range(200_000))
    with pytest.raises(ConfigError) as err:
        load_scenario({"field": {"threshold": huge}})
    assert "field.threshold" in str(err.value) and len(str(err.value)) < 1000, "a huge value is not echoed whole"
    with pytest.raises(ConfigError) as err:
        load_arms({"x": {"overrides": {"field.threshold": 1.0}, "description": huge}})
    assert "'description' must be text" in str(err.value) and len(str(err.value)) < 1000


def test_brief_keeps_short_values_and_says_how_long_a_cut_one_was():
    assert brief([1, 2]) == "[1, 2]"
    cut = brief("y" * 10_000, limit=50)
    assert len(cut) < 100 and "10,002 characters" in cut


def test_unknown_preset_named_in_a_file_names_the_file(tmp_path):
    (tmp_path / "s.toml").write_text("preset = 'nope'\n")
    with pytest.raises(ConfigError, match=r"Scenario file '.*s.toml': Unknown preset 'nope'"):
        load_scenario(tmp_path / "s.toml")


def test_design_bound_too_large_for_a_float_is_refused_not_an_overflow(tmp_path):
    (tmp_path / "design.toml").write_text('[fields]\n"field.threshold" = { lo = 1, hi = ' + "9" * 400 + ", n = 2 }\n")
    with pytest.raises(ConfigError, match=r"design.toml: field.threshold.hi must be a finite number; got 999"):
        load_design(tmp_path / "design.toml")

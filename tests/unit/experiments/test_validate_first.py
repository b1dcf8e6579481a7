"""Every arm and design point is validated, input files included, before any output is created."""

import pytest
from conftest import tiny

from scrutiny.errors import InputError
from scrutiny.experiments import compare, sweep


def test_bad_geography_in_one_arm_leaves_no_store_behind(tmp_path):
    arms = {"ok": {"overrides": {"field.threshold": 10.6}},
            "elsewhere": {"overrides": {"world.geography": str(tmp_path / "no-such-folder")}}}
    with pytest.raises(InputError, match=r"Arm 'elsewhere': world.geography: '.*no-such-folder' is not a folder"):
        compare(tiny(), arms, replicates=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists(), "neither parts/ nor the catalog were created"


def test_bad_geography_at_one_design_point_leaves_no_store_behind(tmp_path):
    (tmp_path / "geo").mkdir()
    (tmp_path / "geo" / "tract_aggregates.csv").write_text("")
    (tmp_path / "geo" / "tracts.geojson").write_text("[]")
    design = {"fields": {"world.geography": ["synthetic", str(tmp_path / "geo")]}}
    with pytest.raises(InputError, match=r"Design point 1: .*tract_aggregates.csv: the file is empty"):
        sweep(tiny(), design, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_score_file_in_one_arm_is_refused_before_output(tmp_path):
    (tmp_path / "scores.csv").write_text("group,kind,score\n")
    arms = {"empirical": {"overrides": {"field.matcher": "empirical", "field.score_file": str(tmp_path / "scores.csv"),
                                        "field.threshold": 10.0}}}
    with pytest.raises(InputError, match=r"Arm 'empirical': .*scores.csv: needs at least 50 'genuine' rows"):
        compare(tiny(), arms, replicates=1, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()

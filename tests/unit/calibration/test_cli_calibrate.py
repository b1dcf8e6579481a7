"""The command line: scrutiny calibrate writes a posterior; run and compare take it with --posterior."""

import json

from scrutiny.cli import main

SCENARIO = ('seed = 3\nn_days = 3\n[world]\nn_people = 2000\n'
            '[operations]\nsites_per_day_per_100k = 10.0\n'
            '[field]\nthreshold_rule = "fixed"\nscan_policy = "everyone"\ndecision = ["match_is_definitive"]\n')
TARGETS = """
description = "illustration"
parameters = ["field.threshold=9:12"]
[targets.citizens]
numerator = "detained_by_status.citizen_birth"
denominator = "detained"
observed = { k = 1, n = 10 }
source = "illustration"
"""


def test_calibrate_then_compare_and_run_under_the_posterior(tmp_path, capsys):
    (tmp_path / "s.toml").write_text(SCENARIO)
    (tmp_path / "t.toml").write_text(TARGETS)
    calib = tmp_path / "calib"
    assert main(["calibrate", str(tmp_path / "s.toml"), "--targets", str(tmp_path / "t.toml"), "--method", "rejection",
                 "--particles", "6", "--predictive", "2", "--out", str(calib)]) == 0
    assert "field.threshold" in capsys.readouterr().err, "the posterior is printed"
    assert {"calibration.json", "particles.parquet", "report.html"} <= {p.name for p in calib.iterdir()}
    arms = tmp_path / "arms.toml"
    arms.write_text('[arms.same]\noverrides = {}\n')
    cmp = tmp_path / "cmp"
    assert main(["compare", str(tmp_path / "s.toml"), "--arms", str(arms), "--replicates", "2", "--posterior",
                 str(calib), "--out", str(cmp), "--quiet"]) == 0
    prov = json.loads((cmp / "comparison.json").read_text())["provenance"]
    assert prov["interval"] == "chance and posterior uncertainty" and prov["draws"]["parameters"] == ["field.threshold"]
    assert main(["run", str(tmp_path / "s.toml"), "--posterior", str(calib), "--out", str(tmp_path / "run"),
                 "--replicates", "2", "--quiet"]) == 0


def test_calibrate_names_the_target_and_the_unknown_metric(tmp_path, capsys):
    (tmp_path / "t.toml").write_text(TARGETS.replace('denominator = "detained"', 'denominator = "detaind"'))
    code = main(["calibrate", "--set", "world.n_people=2000", "--set", "n_days=2", "--targets",
                 str(tmp_path / "t.toml"), "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "target 'citizens'" in err and "'detaind'" in err and "Did you mean 'detained'" in err, err


def test_calibrate_refuses_an_unknown_parameter_with_the_closest_name(tmp_path, capsys):
    (tmp_path / "t.toml").write_text(TARGETS)
    code = main(["calibrate", "--targets", str(tmp_path / "t.toml"), "--params", "field.treshold", "--out",
                 str(tmp_path / "o"), "--quiet"])
    assert code == 2 and "Did you mean 'field.threshold'" in capsys.readouterr().err

import json
import subprocess
import sys

SCENARIO = "seed = 3\nn_days = 5\n[world]\nn_people = 3000\n"


def scrutiny(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "scrutiny", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_cli_compare_writes_report_json_arms_and_store(tmp_path):
    (tmp_path / "s.toml").write_text(SCENARIO)
    (tmp_path / "arms.toml").write_text(
        '[arms.strict]\ndescription = "stricter"\noverrides = { "field.threshold" = 10.6 }\n'
    )
    out = tmp_path / "out"
    proc = scrutiny("compare", tmp_path / "s.toml", "--arms", tmp_path / "arms.toml", "--replicates", 2, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "threshold" in proc.stderr or "strict" in proc.stderr, "a metric x arm table is printed"
    summary = json.loads((out / "comparison.json").read_text())
    assert summary["provenance"]["arms"] == ["baseline", "strict"] and summary["provenance"]["replicates"] == 2
    for path in ("report.html", "results.duckdb", "arms/strict/summary.json", "parts/strict/r00001.parquet"):
        assert (out / path).is_file(), path


def test_cli_compare_bad_arm_exits_2_naming_arm_field_and_value(tmp_path):
    (tmp_path / "arms.toml").write_text('[arms.loose]\noverrides = { "field.threshold" = -1.0 }\n')
    proc = scrutiny("compare", "--arms", tmp_path / "arms.toml", "--replicates", 1, "--out", tmp_path / "o", "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert "'loose'" in proc.stderr and "field.threshold" in proc.stderr and "-1.0" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists(), "nothing is run or written before the arms are valid"


def test_cli_demo_runs_the_default_safeguards(tmp_path):
    proc = scrutiny("demo", "--out", tmp_path / "demo", "--replicates", 1, "--workers", 1, "--quiet")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((tmp_path / "demo" / "comparison.json").read_text())
    assert summary["provenance"]["arms"][:2] == ["baseline", "threshold_strict"]
    html = (tmp_path / "demo" / "report.html").read_text()
    screen = json.loads((tmp_path / "demo" / "screen" / "screen.json").read_text())
    assert [p["name"] for p in screen["params"]] == ["field.target_fpir", "field.false_match_actionable_share",
                                                     "field.decision.agent_discretion.p_act",
                                                     "field.scan_policy.p_questioned"], "the calibration's unknowns"
    assert screen["provenance"]["replicates"] == 1, "no more replicates than the comparison's"
    assert 'data-figure="trust-screen"' in html, "the report shows the demo's screen"


def test_cli_sweep_and_sensitivity(tmp_path):
    (tmp_path / "s.toml").write_text(SCENARIO)
    (tmp_path / "d.toml").write_text('replicates = 1\n[fields]\n"field.threshold" = [9.0, 11.0]\n')
    proc = scrutiny("sweep", tmp_path / "s.toml", "--design", tmp_path / "d.toml", "--out", tmp_path / "sw", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert len((tmp_path / "sw" / "points.csv").read_text().splitlines()) == 3
    assert 'data-figure="sweep-tradeoff"' in (tmp_path / "sw" / "report.html").read_text(), "a sweep writes a report"
    proc = scrutiny("sensitivity", tmp_path / "s.toml", "--method", "morris", "--n", 2, "--params", "field.threshold",
                    "field.rel_gallery_size=0.005:1.5:log", "--metrics", "scans", "--out", tmp_path / "se")
    assert proc.returncode == 0, proc.stderr
    assert "field.rel_gallery_size" in proc.stderr and "mu_star" in proc.stderr, "the ranking is printed"
    data = json.loads((tmp_path / "se" / "sensitivity.json").read_text())
    assert data["params"][1]["log"] is True
    assert set(data["ranking"]["scans"]) == {"field.threshold", "field.rel_gallery_size"}

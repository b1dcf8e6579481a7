import json
import subprocess
import sys


def test_cli_run_writes_three_files(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "scrutiny", "run", "--preset", "us-interior", "--out", str(out), "--replicates", "2",
         "--seed", "7", "--set", "world.n_people=10000", "--set", "n_days=10", "--quiet"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("summary.json", "events.parquet", "report.html", "scenario.toml"):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["provenance"]["seed"] == 7 and summary["provenance"]["replicates"] == 2
    assert set(summary["provenance"]) >= {"scrutiny_version", "config_hash", "seed", "replicates"}
    assert not list(out.glob(".incomplete-*")), "no temporary files are left behind"


def test_cli_rerun_from_written_scenario_reproduces_summary(tmp_path):
    args = ["--quiet", "--set", "world.n_people=8000", "--set", "n_days=8"]
    first = subprocess.run(
        [sys.executable, "-m", "scrutiny", "run", "--out", str(tmp_path / "a"), *args], capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    second = subprocess.run([sys.executable, "-m", "scrutiny", "run", str(tmp_path / "a" / "scenario.toml"),
                             "--out", str(tmp_path / "b"), "--quiet"], capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "a" / "summary.json").read_bytes() == (tmp_path / "b" / "summary.json").read_bytes()

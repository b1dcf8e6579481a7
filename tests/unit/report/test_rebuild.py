import json
import os
import subprocess
import sys

import pytest

from scrutiny.errors import InputError
from scrutiny.report import load_folder, rebuild_report


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "scrutiny", "report", *map(str, args)], capture_output=True, text=True)


def test_cli_report_rebuilds_a_run_without_rerunning(run_dir):
    report = run_dir / "report.html"
    report.write_text("stale")
    events_before = (run_dir / "events.parquet").stat().st_mtime_ns
    proc = _cli(run_dir)
    assert proc.returncode == 0, proc.stderr
    assert "Headline figures" in report.read_text() and "wrote" in proc.stderr
    assert (run_dir / "events.parquet").stat().st_mtime_ns == events_before, "the run's files are not touched"
    assert not list(run_dir.glob(".incomplete-*")), "no temporary files are left behind"


def test_cli_report_detects_a_comparison(comparison_dir, tmp_path):
    out = tmp_path / "cmp.html"
    proc = _cli(comparison_dir, "--out", out)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text()
    assert 'id="safeguards"' in html and "threshold_strict" in html


def test_missing_file_is_named(run_dir, tmp_path):
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("summary.json", "scenario.toml", "daily.csv"):
        (partial / name).write_bytes((run_dir / name).read_bytes())
    proc = _cli(partial)
    assert proc.returncode == 2
    assert "events.parquet" in proc.stderr and "replicates.json" in proc.stderr and "Traceback" not in proc.stderr


def test_not_a_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is not a folder"):
        rebuild_report(tmp_path / "nothing-here")


def test_comparison_with_a_missing_arm_is_named(comparison_dir, tmp_path):
    import shutil

    dst = tmp_path / "c"
    shutil.copytree(comparison_dir, dst)
    shutil.rmtree(dst / "arms" / "protected_places")
    with pytest.raises(InputError, match="protected_places"):
        load_folder(dst)


def test_damaged_summary_is_an_input_error(run_dir, tmp_path):
    import shutil

    dst = tmp_path / "r"
    shutil.copytree(run_dir, dst)
    (dst / "summary.json").write_text("{not json")
    with pytest.raises(InputError, match="summary.json"):
        rebuild_report(dst)


def test_failed_rebuild_keeps_the_old_report(run_dir, tmp_path):
    import shutil

    dst = tmp_path / "r"
    shutil.copytree(run_dir, dst)
    before = (dst / "report.html").read_bytes()
    os.remove(dst / "tracts.csv")
    with pytest.raises(InputError, match="tracts.csv"):
        rebuild_report(dst)
    assert (dst / "report.html").read_bytes() == before
    assert json.loads((dst / "summary.json").read_text())["provenance"]["replicates"] == 2

"""The results store: resumable after a kill, nothing lost or duplicated, provenance recorded."""

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import tiny
from test_backends import store_content

from scrutiny.errors import ConfigError
from scrutiny.experiments import compare, sweep

ARMS = {"strict": {"overrides": {"field.threshold": 10.6}}}


def catalog(folder, sql):
    con = duckdb.connect(str(folder / "results.duckdb"))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_catalog_records_provenance(tmp_path):
    compare(tiny(), ARMS, replicates=2, out=tmp_path)
    rows = catalog(tmp_path, "SELECT task_id, arm, replicate, seed, config_hash, scrutiny_version, wall_s FROM tasks "
                             "ORDER BY task_id")
    assert [r[0] for r in rows] == ["baseline/r00000", "baseline/r00001", "strict/r00000", "strict/r00001"]
    assert all(r[3] == 11 and len(r[4]) == 16 and r[5] and r[6] > 0 for r in rows), rows
    assert rows[0][4] != rows[2][4], "each arm records its own configuration hash"


def test_part_without_catalog_row_is_registered_not_redone(tmp_path):
    compare(tiny(), ARMS, replicates=2, out=tmp_path)
    part = tmp_path / "parts" / "strict" / "r00001.parquet"
    before = part.stat().st_mtime_ns
    catalog(tmp_path, "DELETE FROM tasks WHERE task_id = 'strict/r00001'")
    catalog(tmp_path, "DELETE FROM metrics WHERE task_id = 'strict/r00001'")
    compare(tiny(), ARMS, replicates=2, out=tmp_path)
    assert part.stat().st_mtime_ns == before, "the part a kill left behind is reused"
    rows = catalog(tmp_path, "SELECT wall_s FROM tasks WHERE task_id = 'strict/r00001'")
    assert rows == [(None,)], "re-registered from its own metadata (its wall time is unknown)"
    assert catalog(tmp_path, "SELECT count(*) FROM metrics WHERE task_id = 'strict/r00001'")[0][0] > 10


def test_catalog_row_without_part_is_redone_identically(tmp_path):
    compare(tiny(), ARMS, replicates=2, out=tmp_path)
    part = tmp_path / "parts" / "baseline" / "r00000.parquet"
    data = part.read_bytes()
    part.unlink()
    compare(tiny(), ARMS, replicates=2, out=tmp_path)
    assert part.read_bytes() == data


def test_store_of_another_experiment_is_refused(tmp_path):
    compare(tiny(), ARMS, replicates=1, out=tmp_path)
    with pytest.raises(ConfigError, match=r"strict/r00000.*another output folder"):
        compare(tiny(), {"strict": {"overrides": {"field.threshold": 11.0}}}, replicates=1, out=tmp_path)
    with pytest.raises(ConfigError, match="'compare' experiment"):
        sweep(tiny(), {"fields": {"field.threshold": [9.0]}}, out=tmp_path)


DESIGN = """
method = "grid"
replicates = 2
[fields]
"field.threshold" = { lo = 9.0, hi = 11.0, n = 6 }
"operations.rel_local_intensity" = [2.0, 8.0]
"""
#: 24 tasks of about 0.05 s each: long enough to kill the run part-way.
SCENARIO = "seed = 5\nn_days = 25\n[world]\nn_people = 15000\n"


def test_killed_and_resumed_sweep_equals_an_uninterrupted_one(tmp_path):
    (tmp_path / "design.toml").write_text(DESIGN)
    (tmp_path / "scenario.toml").write_text(SCENARIO)
    killed = tmp_path / "killed"
    cmd = [sys.executable, "-m", "scrutiny", "sweep", str(tmp_path / "scenario.toml"), "--design",
           str(tmp_path / "design.toml"), "--out", str(killed), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(killed.glob("parts/*/*.parquet"))) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    n_before = len(list(killed.glob("parts/*/*.parquet")))
    assert proc.returncode == -signal.SIGKILL and 4 <= n_before < 24, f"killed part-way ({n_before} parts)"

    resumed = sweep(tmp_path / "scenario.toml", tmp_path / "design.toml", out=killed)
    whole = sweep(tmp_path / "scenario.toml", tmp_path / "design.toml", out=tmp_path / "whole")
    assert resumed.table().equals(whole.table())
    got, want = store_content(killed), store_content(tmp_path / "whole")
    assert got == want, "same parts, same catalog rows and metrics: nothing lost, nothing duplicated"
    ids = catalog(killed, "SELECT task_id, count(*) FROM tasks GROUP BY task_id HAVING count(*) > 1")
    assert ids == [] and len(got["tasks"]) == 24
    assert not list(killed.glob("parts/**/.*.tmp")), "temporary files are cleaned up"


def test_more_replicates_reuse_the_ones_already_there(tmp_path):
    compare(tiny(), ARMS, replicates=1, out=tmp_path)
    part = tmp_path / "parts" / "strict" / "r00000.parquet"
    before = part.stat().st_mtime_ns
    c = compare(tiny(), ARMS, replicates=2, out=tmp_path)
    assert part.stat().st_mtime_ns == before and len(c.results["strict"].replicates) == 2
    assert catalog(tmp_path, "SELECT count(*) FROM tasks")[0][0] == 4


def test_sweep_keeps_event_logs_only_when_asked(tmp_path):
    sweep(tiny(), {"fields": {"field.threshold": [9.6]}}, replicates=1, out=tmp_path / "no")
    sweep(tiny(), {"fields": {"field.threshold": [9.6]}}, replicates=1, out=tmp_path / "yes", events=True)
    assert catalog(tmp_path / "no", "SELECT n_events FROM tasks") == [(0,)]
    assert catalog(tmp_path / "yes", "SELECT n_events FROM tasks")[0][0] > 0

"""Results do not depend on the number of workers or the backend: stores are identical."""

from pathlib import Path

import duckdb
import pytest
from conftest import tiny

from scrutiny.experiments import compare

ARMS = {
    "strict": {"overrides": {"field.threshold": 10.6}},
    "no_quota": {"overrides": {"operations.quota_enabled": False}},
}
#: Columns that record when and how fast a task ran: the only ones allowed to differ.
TIMING = ("wall_s", "finished_at")


def store_content(folder: Path) -> dict:
    parts = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("parts/**/*.parquet"))}
    con = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
    cols = [c[0] for c in con.execute("DESCRIBE tasks").fetchall() if c[0] not in TIMING]
    tasks = con.execute(f"SELECT {', '.join(cols)} FROM tasks ORDER BY task_id").fetchall()
    metrics = con.execute("SELECT * FROM metrics ORDER BY task_id, metric, key").fetchall()
    con.close()
    return {"parts": parts, "tasks": tasks, "metrics": metrics}


@pytest.fixture(scope="module")
def serial_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    compare(tiny(), ARMS, replicates=2, workers=1, out=out)
    return store_content(out)


def test_serial_store_has_one_part_per_task(serial_store):
    assert len(serial_store["parts"]) == 3 * 2 and len(serial_store["tasks"]) == 6


def test_two_workers_give_an_identical_store(serial_store, tmp_path):
    compare(tiny(), ARMS, replicates=2, workers=2, out=tmp_path)
    got = store_content(tmp_path)
    assert got["parts"] == serial_store["parts"], "parts must be byte-identical"
    assert got["tasks"] == serial_store["tasks"] and got["metrics"] == serial_store["metrics"]


def test_dask_local_cluster_gives_an_identical_store(serial_store, tmp_path, dask_cluster):
    compare(tiny(), ARMS, replicates=2, scheduler=dask_cluster.scheduler_address, out=tmp_path)
    got = store_content(tmp_path)
    assert got["parts"] == serial_store["parts"], "parts must be byte-identical"
    assert got["tasks"] == serial_store["tasks"] and got["metrics"] == serial_store["metrics"]

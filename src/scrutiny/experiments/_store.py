"""The results store: one Parquet part per finished task and a DuckDB catalog with provenance.

Layout of a store folder ``DIR``::

    DIR/results.duckdb          catalog: tables experiment, tasks, metrics, points
    DIR/parts/<label>/rNNNNN.parquet   one part per finished task (see :mod:`._task`)

A part is written to a temporary file and renamed into place, then its catalog row and metrics
are inserted in one transaction. Only the driver process writes; workers hand parts back. On
restart, a task is skipped when its catalog row and part exist and match the task's
configuration hash and seed; a part left without a catalog row (a kill between the two writes)
is registered from its own metadata; temporary files are removed. So a killed run, restarted
with the same command, loses and duplicates nothing.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from pathlib import Path
from typing import Any

from scrutiny._io import write_file_atomic
from scrutiny.errors import ConfigError, InputError
from scrutiny.experiments._task import Task, TaskOutput, decode_part

__all__ = ["Store", "CATALOG"]

#: File name of the DuckDB catalog inside a store folder.
CATALOG = "results.duckdb"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS experiment (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE TABLE IF NOT EXISTS tasks (task_id VARCHAR PRIMARY KEY, kind VARCHAR, arm VARCHAR, point INTEGER, "
    "replicate INTEGER, seed BIGINT, config_hash VARCHAR, scrutiny_version VARCHAR, part VARCHAR, "
    "n_events BIGINT, wall_s DOUBLE, finished_at TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS metrics (task_id VARCHAR, arm VARCHAR, point INTEGER, replicate INTEGER, "
    "metric VARCHAR, key VARCHAR, value DOUBLE)",
    "CREATE TABLE IF NOT EXISTS points (point INTEGER, field VARCHAR, value DOUBLE, value_json VARCHAR)",
)


def _metric_rows(task_id: str, arm, point, replicate: int, summary: dict) -> list[tuple]:
    rows = []
    for metric, value in summary.items():
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for key, v in items:
            v = float(v)
            rows.append((task_id, arm, point, replicate, metric, key, v if math.isfinite(v) else None))
    return rows


def _metric_table(rows: list[tuple]):
    import pyarrow as pa

    names = ("task_id", "arm", "point", "replicate", "metric", "key", "value")
    types = (pa.string(), pa.string(), pa.int32(), pa.int32(), pa.string(), pa.string(), pa.float64())
    return pa.table([pa.array(col, type=t) for col, t in zip(zip(*rows, strict=True), types, strict=True)],
                    names=list(names))


class Store:
    """A results store folder; open it with the experiment's kind (``compare``, ``sweep``, ...).

    Args:
        folder: The store folder (created if missing).
        kind: What the store holds; a folder already holding another kind is refused.

    Raises:
        ConfigError: If the folder holds another kind of experiment.
        InputError: If the catalog cannot be opened (for example, another process is writing it).
    """

    def __init__(self, folder: str | Path, kind: str) -> None:
        import duckdb

        self.folder = Path(folder)
        self.kind = kind
        (self.folder / "parts").mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.folder / CATALOG))
        except duckdb.Error as exc:
            raise InputError(
                f"Cannot open the results catalog {str(self.folder / CATALOG)!r}: {exc}. Is another scrutiny "
                "command writing to the same --out folder?"
            ) from None
        for sql in _SCHEMA:
            self.con.execute(sql)
        row = self.con.execute("SELECT value FROM experiment WHERE key = 'kind'").fetchone()
        if row is None:
            self.con.execute("INSERT INTO experiment VALUES ('kind', ?)", [kind])
        elif row[0] != kind:
            raise ConfigError(
                f"{str(self.folder)!r} already holds the results of a {row[0]!r} experiment, not {kind!r}; "
                "use another output folder."
            )
        for tmp in self.folder.glob("parts/**/.*.tmp"):
            tmp.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the catalog."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def set_meta(self, key: str, value: Any) -> None:
        """Record a JSON value in the ``experiment`` table (design, arms, provenance)."""
        self.con.execute("INSERT OR REPLACE INTO experiment VALUES (?, ?)", [key, json.dumps(value, sort_keys=True)])

    def set_points(self, points: list[dict[str, Any]]) -> None:
        """Record a design's points (``point``, ``field``, numeric value and JSON value)."""
        rows = [(i, f, float(v) if isinstance(v, (int, float)) else None, json.dumps(v))
                for i, pt in enumerate(points) for f, v in pt.items()]
        self.con.execute("BEGIN")
        self.con.execute("DELETE FROM points")
        if rows:
            self.con.executemany("INSERT INTO points VALUES (?, ?, ?, ?)", rows)
        self.con.execute("COMMIT")

    def part_path(self, task: Task) -> Path:
        """Where the task's part lives."""
        return self.folder / "parts" / f"{task.task_id}.parquet"

    def _check(self, task: Task, config_hash: str, seed: int) -> None:
        want = task.scenario.config_hash()
        if config_hash != want or int(seed) != task.scenario.seed:
            raise ConfigError(
                f"{str(self.folder)!r} already holds task {task.task_id} with configuration hash {config_hash} and "
                f"seed {seed}, but this command would compute hash {want} and seed {task.scenario.seed}. "
                "Use another output folder, or delete this one to start again."
            )

    def finished(self, tasks: list[Task]) -> set[str]:
        """Return the ids of ``tasks`` already done (registering orphan parts); check they match."""
        rows = {r[0]: r[1:] for r in self.con.execute("SELECT task_id, config_hash, seed FROM tasks").fetchall()}
        done = set()
        for task in tasks:
            path = self.part_path(task)
            if task.task_id in rows:
                self._check(task, *rows[task.task_id])
                if path.is_file():
                    done.add(task.task_id)
                else:  # catalog row without its part: forget it and redo the task
                    self._delete(task.task_id)
            elif path.is_file():
                prov = decode_part(str(path), events=False)["provenance"]
                self._check(task, prov["config_hash"], prov["seed"])
                self.add(task, TaskOutput(task.task_id, path.read_bytes(), math.nan), write_part=False)
                done.add(task.task_id)
        return done

    def _delete(self, task_id: str) -> None:
        self.con.execute("BEGIN")
        self.con.execute("DELETE FROM tasks WHERE task_id = ?", [task_id])
        self.con.execute("DELETE FROM metrics WHERE task_id = ?", [task_id])
        self.con.execute("COMMIT")

    def add(self, task: Task, output: TaskOutput, *, write_part: bool = True) -> None:
        """Write a finished task's part (atomically), then its catalog row and metrics."""
        path = self.part_path(task)
        if write_part:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file_atomic(path, output.part, fsync=True)
        payload = decode_part(output.part, events=False)
        prov = payload["provenance"]
        n_events = _n_rows(output.part)
        row = (task.task_id, self.kind, task.arm, task.point, task.replicate, prov["seed"], prov["config_hash"],
               prov["scrutiny_version"], str(path.relative_to(self.folder)), n_events,
               None if math.isnan(output.wall_s) else output.wall_s, _dt.datetime.now())
        self.con.execute("BEGIN")
        self.con.execute("DELETE FROM tasks WHERE task_id = ?", [task.task_id])
        self.con.execute("DELETE FROM metrics WHERE task_id = ?", [task.task_id])
        self.con.execute("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        metric_rows = _metric_rows(task.task_id, task.arm, task.point, task.replicate, payload["summary"])
        if metric_rows:  # one Arrow insert: executemany costs about 1 ms a row in DuckDB
            self.con.register("_task_metrics", _metric_table(metric_rows))
            self.con.execute("INSERT INTO metrics SELECT * FROM _task_metrics")
            self.con.unregister("_task_metrics")
        self.con.execute("COMMIT")

    def read(self, task: Task, *, events: bool = True) -> dict:
        """Decode a finished task's part (see :func:`decode_part`)."""
        path = self.part_path(task)
        if not path.is_file():
            raise InputError(f"The part of task {task.task_id} is missing from {str(self.folder)!r}.")
        return decode_part(str(path), events=events)


def _n_rows(part: bytes) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(pa.BufferReader(part)).metadata.num_rows)

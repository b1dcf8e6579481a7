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

Damage is repaired, and said (a :class:`~scrutiny.errors.RecoveryWarning`): a part that is
truncated, empty or not Parquet is deleted and its task computed again; a catalog that cannot be
read is moved aside to ``results.duckdb.damaged-<time>`` and rebuilt from the parts, which carry
their own provenance and metrics. A catalog held open by another process is not touched: the
message gives that process's id.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any

from scrutiny._io import write_file_atomic
from scrutiny.errors import ConfigError, InputError, RecoveryWarning, brief
from scrutiny.experiments._task import Task, TaskOutput, decode_part, task_vocab

__all__ = ["Store", "CATALOG", "DamagedPart"]

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


#: Columns of each catalog table; a catalog whose tables lack them is treated as damaged.
_COLUMNS = {
    "experiment": "key, value",
    "tasks": "task_id, kind, arm, point, replicate, seed, config_hash, scrutiny_version, part, n_events, wall_s, "
             "finished_at",
    "metrics": "task_id, arm, point, replicate, metric, key, value",
    "points": "point, field, value, value_json",
}


class DamagedPart(InputError):
    """A part that cannot be read (truncated, emptied, overwritten): its task has to be computed again."""

    def __init__(self, message: str, why: str) -> None:
        super().__init__(message)
        self.why = why


def _why_unreadable(path: Path, exc: BaseException) -> str:
    try:
        if path.stat().st_size == 0:
            return "the file is empty"
    except OSError:
        pass
    return f"it cannot be read: {brief(str(exc).strip() or type(exc).__name__, 160)}"


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
        self.folder = Path(folder)
        self.kind = kind
        try:
            (self.folder / "parts").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"Cannot create the results store {str(self.folder)!r}: {exc.strerror or exc}.") from None
        self.con = self._open()
        row = self.con.execute("SELECT value FROM experiment WHERE key = 'kind'").fetchone()
        if row is None:
            self._check_parts_fit(kind)
            self.con.execute("INSERT INTO experiment VALUES ('kind', ?)", [kind])
        elif row[0] != kind:
            self.con.close()
            raise ConfigError(
                f"{str(self.folder)!r} already holds the results of a {row[0]!r} experiment, not {kind!r}; "
                "use another output folder."
            )
        for tmp in self.folder.glob("parts/**/.*.tmp"):
            tmp.unlink(missing_ok=True)

    def _check_parts_fit(self, kind: str) -> None:
        """A new (or rebuilt) catalog: refuse parts already there that another kind of experiment wrote.

        A comparison's parts sit in one folder per arm; a sweep's or sensitivity analysis's in one
        per design point (``pNNNNN``).
        """
        labels = {part.parent.name for part in self.folder.glob("parts/*/*.parquet")}
        points = kind != "compare"
        foreign = sorted(x for x in labels if bool(re.fullmatch(r"p\d{5}", x)) != points)
        if foreign:
            self.con.close()
            raise ConfigError(
                f"{str(self.folder)!r} holds parts of another kind of experiment than {kind!r} (parts/{foreign[0]}/) "
                "and no catalog that says which; use another output folder."
            )

    def _open(self):
        """Connect to the catalog with its tables in place; rebuild a damaged one, explain a locked one."""
        import duckdb

        path = self.folder / CATALOG
        try:
            return _connect(path)
        except duckdb.Error as exc:
            text = str(exc)
            if "lock" in text.lower():
                pid = re.search(r"PID (\d+)", text)
                holder = f"process {pid.group(1)}" if pid else "another process"
                raise InputError(
                    f"The results catalog {str(path)!r} is open in {holder}: another scrutiny command (or a DuckDB "
                    "session) is using the same --out folder. Wait for it to finish or stop it, then run this "
                    "command again; do not delete the catalog while it is open."
                ) from None
            if not path.exists():
                raise InputError(f"Cannot create the results catalog {str(path)!r}: {brief(text, 200)}") from None
            damaged = path.with_name(f"{CATALOG}.damaged-{_dt.datetime.now():%Y%m%d-%H%M%S-%f}")
            try:
                os.replace(path, damaged)
                wal = path.with_name(CATALOG + ".wal")
                if wal.exists():
                    os.replace(wal, damaged.with_name(damaged.name + ".wal"))
                con = _connect(path)
            except (OSError, duckdb.Error) as again:
                raise InputError(
                    f"The results catalog {str(path)!r} is damaged ({brief(text, 200)}) and could not be rebuilt "
                    f"({brief(str(again), 200)}). Delete {str(path)!r} (and {str(path)!r}.wal if present) and run "
                    f"the same command again: finished tasks are registered again from their parts in "
                    f"{str(self.folder / 'parts')!r}."
                ) from None
            n_parts = sum(1 for _ in self.folder.glob("parts/*/*.parquet"))
            warnings.warn(
                f"The results catalog {str(path)!r} could not be read ({brief(text, 200)}). It was moved to "
                f"{str(damaged)!r} and is being rebuilt from the {n_parts} part(s) in {str(self.folder / 'parts')!r}: "
                f"finished tasks are registered from their own metadata, not computed again. Delete "
                f"{str(damaged)!r} once you no longer need it.",
                RecoveryWarning, stacklevel=3,
            )
            return con

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
        """Return the ids of ``tasks`` already done (registering orphan parts); check they match.

        A part that cannot be read is deleted, with its catalog row, and its task left to be
        computed again; a :class:`~scrutiny.errors.RecoveryWarning` says so.
        """
        rows = {r[0]: r[1:] for r in self.con.execute("SELECT task_id, config_hash, seed FROM tasks").fetchall()}
        done = set()
        for task in tasks:
            path = self.part_path(task)
            prov = self._provenance(task) if path.is_file() else None
            if task.task_id in rows:
                self._check(task, *rows[task.task_id])
                if prov is not None:
                    done.add(task.task_id)
                else:  # catalog row without a (readable) part: forget it and redo the task
                    self._delete(task.task_id)
            elif prov is not None:
                self._check(task, prov["config_hash"], prov["seed"])
                self.add(task, TaskOutput(task.task_id, path.read_bytes(), math.nan), write_part=False)
                done.add(task.task_id)
        return done

    def _provenance(self, task: Task) -> dict | None:
        """The provenance in a task's part, or ``None`` (after deleting the part) if it cannot be read."""
        path = self.part_path(task)
        try:
            prov = decode_part(str(path), events=False)["provenance"]
            missing = [k for k in ("config_hash", "seed") if k not in prov]
            if missing:
                raise KeyError(f"its provenance lacks {missing}")
            return prov
        except Exception as exc:  # pyarrow, json and key errors: a damaged file raises any of them
            self.forget(task, _why_unreadable(path, exc))
            return None

    def forget(self, task: Task, why: str) -> None:
        """Delete a damaged part and its catalog rows, so that the task is computed again; say so."""
        path = self.part_path(task)
        path.unlink(missing_ok=True)
        self._delete(task.task_id)
        warnings.warn(
            f"The part of task {task.task_id} in the results store, {str(path)!r}, is damaged ({why}); it was "
            "deleted and the task is computed again.",
            RecoveryWarning, stacklevel=3,
        )

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
        """Decode a finished task's part (see :func:`decode_part`).

        Raises:
            InputError: If the part is missing.
            DamagedPart: If it cannot be read.
        """
        path = self.part_path(task)
        if not path.is_file():
            raise InputError(f"The part of task {task.task_id} is missing from {str(self.folder)!r}.")
        try:
            return decode_part(str(path), events=events, vocab=task_vocab(task) if events else None)
        except Exception as exc:  # pyarrow, json and key errors: a damaged file raises any of them
            why = _why_unreadable(path, exc)
            raise DamagedPart(f"The part of task {task.task_id}, {str(path)!r}, is damaged: {why}", why) from None


def _connect(path: Path):
    """Open the catalog; check its tables exist with their columns and can be read (raises ``duckdb.Error``)."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for sql in _SCHEMA:
            con.execute(sql)
        for table, columns in _COLUMNS.items():  # read every row: a truncated file fails here, not later
            con.execute(f"SELECT {columns} FROM {table} LIMIT 0")
            con.execute(f"SELECT count(*), bit_xor(hash({table})) FROM {table}").fetchall()
    except duckdb.Error:
        con.close()
        raise
    return con


def _n_rows(part: bytes) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(pa.BufferReader(part)).metadata.num_rows)

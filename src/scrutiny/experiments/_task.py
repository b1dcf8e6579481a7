"""A task is one replicate of one scenario (an arm or a design point); its result is a Parquet part.

The part is self-contained: its rows are the task's events (or none, when events are not kept)
with ``arm`` and ``point`` columns added, and its schema metadata holds the provenance and the
replicate's summary, daily series, world figures and tract table. A part depends only on
``(scenario, replicate)``, so it is byte-identical whichever worker or backend produced it;
timings (which do differ) are recorded in the store's catalog, not in the part.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scrutiny.events import EventLog, from_arrow
from scrutiny.experiments._run import replicate_summary
from scrutiny.operations import simulate
from scrutiny.scenario import Scenario

__all__ = [
    "Task", "TaskOutput", "run_task", "encode_part", "decode_part", "task_vocab", "PART_META_KEY", "point_tasks",
    "summaries_by_point",
]

#: Schema-metadata key of a part's JSON payload.
PART_META_KEY = b"scrutiny.task"


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: replicate ``replicate`` of ``scenario``, labelled by arm or design point."""

    label: str  # arm name, or "p00012" for design point 12; a folder name in the store
    replicate: int
    scenario: Scenario
    arm: str | None = None
    point: int | None = None
    keep_events: bool = True

    @property
    def task_id(self) -> str:
        """Stable identifier, also the part's path below ``parts/`` without the suffix."""
        return f"{self.label}/r{self.replicate:05d}"


def point_tasks(scenarios: Sequence[Scenario], replicates: int, *, keep_events: bool) -> list[Task]:
    """One task per (replicate, design point) of a sweep or sensitivity run, replicate-major."""
    return [Task(f"p{i:05d}", r, s, point=i, keep_events=keep_events)
            for r in range(replicates) for i, s in enumerate(scenarios)]


def summaries_by_point(tasks: Sequence[Task], payloads: Mapping[str, dict], n_points: int) -> list[list[dict]]:
    """Each design point's replicate summaries, in replicate order, from :func:`run_plan`'s payloads."""
    summaries: list[list[dict]] = [[] for _ in range(n_points)]
    for task in sorted(tasks, key=lambda task: task.replicate):
        summaries[task.point].append(payloads[task.task_id]["summary"])
    return summaries


@dataclass(frozen=True, slots=True)
class TaskOutput:
    """What a finished task hands back to the driver: its part and how long it took."""

    task_id: str
    part: bytes
    wall_s: float
    cpu_s: float = float("nan")  # CPU seconds of the worker process on the task (simulation, metrics, encoding)


def _provenance(task: Task) -> dict:
    from scrutiny._version import __version__

    return {
        "scrutiny_version": __version__,
        "config_hash": task.scenario.config_hash(),
        "seed": task.scenario.seed,
        "replicate": task.replicate,
        "arm": task.arm,
        "point": task.point,
    }


def _arrays_to_lists(d: dict) -> dict:
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in d.items()}


def encode_part(task: Task, summary: dict, daily: dict, world_info: dict, tracts: dict, events: EventLog) -> bytes:
    """Return the task's Parquet part (zstd), deterministic for given inputs."""
    log = events if task.keep_events else events.where(np.zeros(events.n_rows, dtype=bool))
    table = log.to_arrow()
    n = table.num_rows
    table = table.append_column("arm", pa.array([task.arm] * n, type=pa.string()).dictionary_encode())
    table = table.append_column("point", pa.array([task.point] * n, type=pa.int32()))
    payload = {
        "provenance": _provenance(task),
        "summary": summary,
        "daily": _arrays_to_lists(daily),
        "world_info": {k: v for k, v in world_info.items() if not k.startswith("seconds_")},
        "tracts": {k: [str(v.dtype), v.tolist()] for k, v in tracts.items()},
        "events_kept": task.keep_events,
    }
    meta = {PART_META_KEY: json.dumps(payload, default=_json_default).encode()}
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(meta), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot encode {type(value).__name__} in a part")


def run_task(task: Task) -> TaskOutput:
    """Simulate one task and encode its part (the function every backend runs on its workers)."""
    started, cpu = time.perf_counter(), time.process_time()
    out = simulate(task.scenario, task.replicate)
    summary = replicate_summary(task.scenario, out)
    part = encode_part(task, summary, out.daily, out.world_info, out.tracts, out.events)
    return TaskOutput(task.task_id, part, time.perf_counter() - started, time.process_time() - cpu)


def task_vocab(task: Task):
    """The vocabulary of a task's jurisdiction (names the statuses and service points of its event log)."""
    from scrutiny.codes import Vocabulary

    return Vocabulary(task.scenario.jurisdiction)


def decode_part(data: bytes | str, *, events: bool = True, vocab=None) -> dict:
    """Read a part (bytes or a path); return its payload, with ``events`` as an :class:`EventLog`.

    ``vocab`` is the task's jurisdiction's :class:`~scrutiny.codes.Vocabulary` (default: the US), which
    names its statuses and service points in the event log.

    Returns:
        ``{"provenance", "summary", "daily", "world_info", "tracts", "events_kept", "events"}``;
        daily series and tract columns are NumPy arrays; ``events`` is ``None`` unless asked for.
    """
    source = pa.BufferReader(data) if isinstance(data, (bytes, bytearray)) else str(data)
    if events:
        table = pq.read_table(source)
        meta = table.schema.metadata
    else:
        table, meta = None, pq.read_schema(source).metadata
    payload = json.loads(meta[PART_META_KEY])
    payload["daily"] = {k: np.asarray(v, dtype=np.float64) for k, v in payload["daily"].items()}
    payload["tracts"] = {k: np.asarray(v, dtype=dt) for k, (dt, v) in payload["tracts"].items()}
    payload["events"] = from_arrow(table, vocab) if table is not None else None
    return payload

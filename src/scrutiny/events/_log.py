"""One columnar event log: every operation, encounter, scan, match, detention, release and removal.

In memory the log is a dict of NumPy columns holding integer codes; on disk it is Parquet with
categorical (dictionary) columns that carry the names, and the run's provenance in the schema
metadata. The status, record and place-type columns are coded in the run's jurisdiction's
vocabulary (:class:`scrutiny.codes.Vocabulary`), which the log carries as ``vocab``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from scrutiny._io import write_file_atomic
from scrutiny.codes import EVENT_KINDS, GROUPS, HISTORIES, OUTCOMES, PLACE_TYPES, RECORD_STATUSES, STATUSES, Vocabulary

__all__ = ["COLUMNS", "CATEGORIES", "EventBuffer", "EventLog", "read_events", "from_arrow", "categories"]

#: Column name -> dtype of the in-memory log (codes); ``replicate`` is added across replicates.
COLUMNS: dict[str, type] = {
    "replicate": np.int32,
    "day": np.int16,
    "kind": np.int8,
    "place": np.int32,
    "place_kind": np.int8,
    "tract": np.int32,
    "person": np.int32,
    "status": np.int8,
    "group": np.int8,
    "outcome": np.int8,
    "record": np.int8,
    "context": np.int8,  # a status check's or report's service point (its position in the jurisdiction's list)
    "history": np.int8,  # criminal history of the person detained, released or removed (HISTORIES)
}
#: Columns stored as codes, with the vocabulary that names them (-1 = not applicable); ``status``,
#: ``record`` and ``place_kind`` are the default jurisdiction's here (see :func:`categories`).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "kind": EVENT_KINDS,
    "place_kind": PLACE_TYPES,
    "status": STATUSES,
    "group": GROUPS,
    "outcome": OUTCOMES,
    "record": RECORD_STATUSES,
    "context": (),
    "history": HISTORIES,
}


def categories(vocab: Vocabulary | None) -> dict[str, tuple[str, ...]]:
    """The names of each coded column under a jurisdiction's vocabulary (default: the US)."""
    if vocab is None:
        return CATEGORIES
    return {**CATEGORIES, "status": vocab.statuses, "record": vocab.record_statuses, "place_kind": vocab.place_types,
            "context": tuple(vocab.service_points)}


_JOIN_CHUNKS = 256  # chunks per column held separately before they are joined into one block


class EventBuffer:
    """Collects event rows day by day; :meth:`finish` returns the :class:`EventLog`, ordered by day.

    Rows are ordered by day and, within a day, in the order they were added (a stable sort by day).
    When the loop announces each day (:meth:`start_day`), rows are kept in that order as they
    arrive: a row dated later (a release or removal scheduled at detention) waits in a small
    pending store, bounded by the rows of the days ahead, and joins the log when its day starts.
    No final sort is then needed, and the replicate column (one number) is only built at the end.
    Small arrays are joined into one block per column every few hundred arrivals (each array costs
    about a hundred bytes of its own, more than a few rows), so the buffer weighs about its rows.
    Without :meth:`start_day` (or if a row arrives dated before the current day) :meth:`finish`
    sorts, with the same result.

    Examples:
        >>> buf = EventBuffer()
        >>> buf.start_day(0)
        >>> buf.add(2, day=np.array([3, 0]), kind=1)
        >>> buf.add(1, day=0, kind=2)
        >>> buf.start_day(3)
        >>> buf.add(1, day=3, kind=3)
        >>> log = buf.finish()
        >>> log["day"].tolist(), log["kind"].tolist()
        ([0, 0, 3, 3], [1, 2, 1, 3])
    """

    def __init__(self, replicate: int = 0, vocab: Vocabulary | None = None) -> None:
        self.replicate = int(replicate)
        self.vocab = vocab
        self._columns = tuple(c for c in COLUMNS if c != "replicate")
        self._chunks: dict[str, list[np.ndarray]] = {c: [] for c in self._columns}  # the latest, small
        self._blocks: dict[str, list[np.ndarray]] = {c: [] for c in self._columns}  # earlier chunks, joined
        self._pending: dict[str, list[np.ndarray]] = {c: [] for c in self._columns}  # dated after today
        self._today: int | None = None  # the day the loop announced last (None: never; sort at the end)
        self._due = np.inf  # the earliest day among the pending rows
        self._in_order = True  # every row so far is in (day, arrival) order

    def start_day(self, day: int) -> None:
        """Day ``day`` begins: rows dated up to it that were waiting join the log (in day order)."""
        self._today = int(day)
        if self._today >= self._due:
            self._release(lambda d: d <= self._today)
        if len(self._chunks["day"]) >= _JOIN_CHUNKS:  # many small arrays weigh more than their rows
            for name in self._columns:
                self._blocks[name].append(_join(self._chunks[name], COLUMNS[name]))
                self._chunks[name] = []

    def add(self, n: int, **columns: np.ndarray | int) -> None:
        """Append ``n`` rows; scalars broadcast, missing columns are -1 (``replicate``: the buffer's)."""
        if n <= 0:
            return
        day = columns.get("day", -1)
        if self._today is not None and (type(day) is int or np.ndim(day) == 0):
            if type(day) is not int or day != self._today:  # as stored (cast, possibly wrapping) unless plainly today
                cast = np.empty(1, dtype=COLUMNS["day"])
                np.copyto(cast, np.asarray(day), casting="unsafe")
                day = cast[0]
            if day == self._today:  # the usual case, today's rows: a scalar column is kept as (n, value)
                for name in self._columns:
                    value = columns.get(name, -1)
                    if isinstance(value, np.ndarray):
                        chunk = value.astype(COLUMNS[name], copy=False) if value.ndim else (n, value.copy())
                    elif isinstance(value, (list, tuple)):
                        chunk = np.asarray(value).astype(COLUMNS[name], copy=False)
                    else:  # a number: cast as np.full would, when the column is joined
                        chunk = (n, value)
                    self._chunks[name].append(chunk)
                return
        cols = {}
        for name in self._columns:
            value, dtype = columns.get(name, -1), COLUMNS[name]
            if not isinstance(value, np.ndarray):
                value = np.asarray(value)
            if value.ndim:
                cols[name] = value.astype(dtype, copy=False)
            else:  # a scalar for every row (np.full, without its Python-level overhead)
                cols[name] = col = np.empty(n, dtype=dtype)
                np.copyto(col, value, casting="unsafe")
        if self._today is None:
            self._in_order = False
            self._append(self._chunks, cols)
            return
        day = cols["day"]
        later = day > self._today
        if later.all():  # all of them dated after today (releases and removals, scheduled): wait as they are
            self._append(self._pending, cols)
            self._due = min(self._due, int(day.min()))
            return
        if later.any():
            self._append(self._pending, {c: v[later] for c, v in cols.items()})
            self._due = min(self._due, int(day[later].min()))
            now = ~later
            cols = {c: v[now] for c, v in cols.items()}
            day = cols["day"]
        if day.size:
            self._in_order &= bool((day == self._today).all())
            self._append(self._chunks, cols)

    @staticmethod
    def _append(store: dict[str, list[np.ndarray]], cols: dict[str, np.ndarray]) -> None:
        for name, v in cols.items():
            store[name].append(v)

    def _release(self, due) -> None:
        """Move the pending rows whose day ``due`` accepts to the log, by day (stable), keeping the rest."""
        day = np.concatenate(self._pending["day"])
        take = due(day)
        if not take.any():
            return
        if take.all() and (day == day[0]).all():  # the usual case: all of it, one day: in arrival order already
            for name in self._columns:
                self._chunks[name] += self._pending[name]
                self._pending[name] = []
            self._due = np.inf
            return
        order = np.flatnonzero(take)
        order = order[np.argsort(day[order], kind="stable")]
        keep = np.flatnonzero(~take)
        for name in self._columns:
            col = np.concatenate(self._pending[name])
            self._chunks[name].append(col[order])
            self._pending[name] = [col[keep]] if keep.size else []
        self._due = int(day[keep].min()) if keep.size else np.inf

    def finish(self) -> EventLog:
        """Return the rows ordered by day (stable), and empty the buffer.

        Columns are assembled one at a time and each column's chunks are released once it is
        built, so the peak is about one log (plus the sort order where a sort is needed).
        """
        if self._pending["day"]:
            self._release(lambda d: np.ones(d.shape, dtype=bool))  # dated after the last day announced
        for name in self._columns:
            self._chunks[name] = self._blocks[name] + self._chunks[name]
            self._blocks[name] = []
        days = self._chunks["day"]
        order = None
        if not self._in_order:
            order = np.argsort(_join(days, COLUMNS["day"]), kind="stable")
        n = sum(_size(c) for c in days)
        cols = {"replicate": np.full(n, self.replicate, dtype=COLUMNS["replicate"])}
        for name in self._columns:
            chunks, self._chunks[name] = self._chunks[name], []
            col = _join(chunks, COLUMNS[name])
            del chunks
            cols[name] = col if order is None else col[order]
        self._today, self._in_order = None, True
        return EventLog({c: cols[c] for c in COLUMNS}, vocab=self.vocab)


def _size(chunk: np.ndarray | tuple) -> int:
    return chunk[0] if isinstance(chunk, tuple) else chunk.size


def _join(chunks: list[np.ndarray | tuple], dtype) -> np.ndarray:
    """One column from its chunks: arrays, and ``(n, value)`` for ``n`` rows of one value (cast as by ``np.full``).

    Examples:
        >>> _join([(2, 7), np.array([1, 2], np.int8), (1, -1)], np.int8).tolist()
        [7, 7, 1, 2, -1]
    """
    if not chunks:
        return np.zeros(0, dtype=dtype)
    fill = [type(c) is tuple for c in chunks]
    if not any(fill):
        return np.concatenate(chunks)
    sizes = [_size(c) for c in chunks]
    values = np.array([c[1] if f else 0 for c, f in zip(chunks, fill, strict=True)]).astype(dtype)  # unsafe cast
    out = np.repeat(values, sizes)
    if not all(fill):
        end = 0
        for c, f, k in zip(chunks, fill, sizes, strict=True):
            end += k
            if not f:
                out[end - k : end] = c
    return out


class EventLog(Mapping):
    """The event log: a read-only mapping of column name -> NumPy array of equal length."""

    def __init__(self, columns: Mapping[str, np.ndarray], vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or Vocabulary.default()
        missing = [c for c in COLUMNS if c not in columns]
        if missing:
            raise ValueError(f"event log is missing columns {missing}")
        self._cols = {c: np.asarray(columns[c], dtype=COLUMNS[c]) for c in COLUMNS}
        for v in self._cols.values():
            v.setflags(write=False)

    def __getitem__(self, key: str) -> np.ndarray:
        return self._cols[key]

    def __iter__(self):
        return iter(self._cols)

    def __len__(self) -> int:
        return len(self._cols)

    @property
    def n_rows(self) -> int:
        """Number of events."""
        return int(self._cols["day"].shape[0])

    def where(self, mask: np.ndarray) -> EventLog:
        """Return the rows where ``mask`` is true."""
        return EventLog({c: v[mask] for c, v in self._cols.items()}, vocab=self.vocab)

    @staticmethod
    def concat(logs: list[EventLog]) -> EventLog:
        """Concatenate logs (e.g. of several replicates) of one jurisdiction."""
        vocab = logs[0].vocab if logs else None
        if any(log.vocab != vocab for log in logs):
            raise ValueError("cannot concatenate event logs of different jurisdictions")
        return EventLog({c: np.concatenate([log[c] for log in logs]) for c in COLUMNS}, vocab=vocab)

    def to_arrow(self, provenance: Mapping | None = None) -> pa.Table:
        """Return an Arrow table with dictionary-encoded categorical columns."""
        arrays = {}
        names = categories(self.vocab)
        for name in COLUMNS:
            col = self._cols[name]
            if name in names:
                mask = col < 0
                arrays[name] = pa.DictionaryArray.from_arrays(
                    pa.array(np.where(mask, 0, col).astype(np.int8), mask=mask), pa.array(list(names[name]))
                )
            else:
                arrays[name] = pa.array(col, mask=(col < 0) if name == "person" else None)
        table = pa.table(arrays)
        if provenance:
            table = table.replace_schema_metadata({"scrutiny": json.dumps(dict(provenance), sort_keys=True)})
        return table

    def to_pandas(self) -> pd.DataFrame:
        """Return a DataFrame with categorical columns named, not coded."""
        return self.to_arrow().to_pandas()

    def parquet_bytes(self, provenance: Mapping | None = None) -> bytes:
        """Return the log encoded as a Parquet file (zstd-compressed)."""
        sink = pa.BufferOutputStream()
        pq.write_table(self.to_arrow(provenance), sink, compression="zstd")
        return sink.getvalue().to_pybytes()

    def write_parquet(self, path: str | Path, provenance: Mapping | None = None) -> Path:
        """Write the log to Parquet atomically (a temporary file renamed into place)."""
        return write_file_atomic(path, self.parquet_bytes(provenance))


def from_arrow(table: pa.Table, vocab: Vocabulary | None = None) -> EventLog:
    """Decode an Arrow table made by :meth:`EventLog.to_arrow` back into an :class:`EventLog`.

    Args:
        table: The table.
        vocab: The run's jurisdiction's vocabulary (default: the US); every name in the table must be in it.
    """
    cols = {}
    known = categories(vocab)
    for name in COLUMNS:
        if name not in table.column_names:  # a log written before the column existed
            cols[name] = np.full(table.num_rows, -1, dtype=COLUMNS[name])
            continue
        col = table.column(name).combine_chunks()
        if pa.types.is_null(col.type):  # every value missing (e.g. no service points)
            cols[name] = np.full(table.num_rows, -1, dtype=COLUMNS[name])
            continue
        if name in known:
            names = col.dictionary.to_pylist()
            unknown = sorted(set(names) - set(known[name]))
            if unknown:
                raise ValueError(f"event column {name!r} holds {unknown}, which the jurisdiction does not know")
            lookup = np.array([known[name].index(x) for x in names] or [-1], dtype=np.int64)
            idx = col.indices.to_numpy(zero_copy_only=False)
            valid = ~col.is_null().to_numpy(zero_copy_only=False)
            cols[name] = np.where(valid, lookup[np.where(valid, idx, 0).astype(np.int64)], -1)
        else:
            values = col.to_numpy(zero_copy_only=False)
            null = col.is_null().to_numpy(zero_copy_only=False)
            cols[name] = np.where(null, -1, values) if null.any() else values
    return EventLog(cols, vocab=vocab)


def read_events(path: str | Path, vocab: Vocabulary | None = None) -> tuple[EventLog, dict]:
    """Read an event log written by :meth:`EventLog.write_parquet`; return it and its provenance."""
    table = pq.read_table(path)
    meta = table.schema.metadata or {}
    return from_arrow(table, vocab), json.loads(meta.get(b"scrutiny", b"{}"))

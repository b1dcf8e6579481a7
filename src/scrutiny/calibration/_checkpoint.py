"""Generations on disk: one Parquet file per finished generation, written atomically, read back on a rerun.

``OUT/generations/gNNN.parquet`` holds generation ``NNN``'s particles: candidate index, ancestor,
weight, distance, internal coordinates (``z.<name>``, exact float64, so a resumed run continues
bit for bit), field values, each target's score and simulated counts. Its schema metadata holds
the tolerance, simulation counts and the calibration's *fingerprint* (what decides the particles:
scenario, seed, prior, targets, sampling settings, Scrutiny version). A rerun reads the
generations whose fingerprint matches and refuses a folder holding another calibration, naming
what differs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from scrutiny.calibration._priors import Prior
from scrutiny.calibration._smc import Generation
from scrutiny.errors import ConfigError

__all__ = ["generation_table", "save_generation", "load_generations", "fingerprint_hash", "write_bytes_atomic"]

_META = b"scrutiny.calibration"


def fingerprint_hash(fingerprint: dict[str, Any]) -> str:
    """SHA-256 of a fingerprint's canonical JSON."""
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True, default=str).encode()).hexdigest()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def generation_table(gen: Generation, prior: Prior, target_names: list[str]) -> pd.DataFrame:
    """A generation as one row per particle (what ``particles.parquet`` and the checkpoint hold)."""
    cols: dict[str, Any] = {"generation": np.full(gen.index.size, gen.t, dtype=np.int64), "index": gen.index,
                            "ancestor": gen.ancestor, "weight": gen.weights, "distance": gen.distance}
    x = prior.to_x(gen.z)
    for j, p in enumerate(prior.params):
        cols[p.name] = x[:, j]
    for j, p in enumerate(prior.params):
        cols[f"z.{p.name}"] = gen.z[:, j]
    for j, name in enumerate(target_names):
        cols[f"score.{name}"] = gen.scores[:, j]
        cols[f"k.{name}"] = gen.sim_k[:, j]
        cols[f"n.{name}"] = gen.sim_n[:, j]
    return pd.DataFrame(cols)


def _path(folder: Path, t: int) -> Path:
    return folder / "generations" / f"g{t:03d}.parquet"


def save_generation(folder: Path, gen: Generation, prior: Prior, target_names: list[str],
                    fingerprint: dict[str, Any]) -> Path:
    """Write generation ``gen`` to ``folder/generations/gNNN.parquet`` atomically."""
    meta = {"generation": gen.t, "epsilon": gen.epsilon, "n_simulated": gen.n_simulated, "n_accepted": gen.n_accepted,
            "fingerprint": fingerprint, "fingerprint_sha256": fingerprint_hash(fingerprint)}
    table = pa.Table.from_pandas(generation_table(gen, prior, target_names), preserve_index=False)
    table = table.replace_schema_metadata({_META: json.dumps(meta, default=str).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    path = _path(folder, gen.t)
    write_bytes_atomic(path, sink.getvalue().to_pybytes())
    return path


def _differs(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = sorted(set(old) | set(new))
    return [k for k in keys if json.dumps(old.get(k), sort_keys=True, default=str)
            != json.dumps(new.get(k), sort_keys=True, default=str)]


def load_generations(folder: Path, prior: Prior, target_names: list[str],
                     fingerprint: dict[str, Any]) -> list[Generation]:
    """The generations already finished in ``folder`` (0, 1, ... without gaps), checked against ``fingerprint``.

    Raises:
        ConfigError: If the folder holds a calibration with another fingerprint (naming what differs).
    """
    gens: list[Generation] = []
    for path in sorted((folder / "generations").glob("g[0-9][0-9][0-9].parquet")):
        table = pq.read_table(path)
        meta = json.loads(table.schema.metadata[_META])
        if meta["fingerprint_sha256"] != fingerprint_hash(fingerprint):
            diff = _differs(meta["fingerprint"], json.loads(json.dumps(fingerprint, default=str)))
            raise ConfigError(
                f"{str(folder)!r} already holds a calibration with other settings (differing in {diff}). "
                "Use another output folder, or delete this one to start again.")
        if meta["generation"] != len(gens):
            break
        df = table.to_pandas()
        # C order, as a generation built in memory has: sums over an axis round differently otherwise
        z = np.ascontiguousarray(df[[f"z.{p.name}" for p in prior.params]].to_numpy(np.float64))
        score, k, n = (np.ascontiguousarray(df[[f"{prefix}.{name}" for name in target_names]].to_numpy(np.float64))
                       for prefix in ("score", "k", "n"))
        gens.append(Generation(
            int(meta["generation"]), float(meta["epsilon"]), df["index"].to_numpy(np.int64),
            df["ancestor"].to_numpy(np.int64), z, df["weight"].to_numpy(np.float64),
            df["distance"].to_numpy(np.float64), score, k, n, int(meta["n_simulated"]), int(meta["n_accepted"])))
    return gens

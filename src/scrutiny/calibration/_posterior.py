"""A calibration's posterior, read back from its folder, as parameter draws for run, compare and sweep.

Draw ``r`` is a weighted resample of the posterior particles keyed by ``(seed, r)`` (stream
``calibration.posterior``): it does not depend on how many replicates are asked for, so more
replicates add draws and keep the earlier ones (and a results store reuses their tasks).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from scrutiny.errors import InputError
from scrutiny.rng import stream

__all__ = ["Posterior", "load_posterior", "POSTERIOR_INTERVAL"]

#: The interval kind of results run under a posterior.
POSTERIOR_INTERVAL = "chance and posterior uncertainty"


@dataclass(frozen=True)
class Posterior:
    """The final generation of a calibration: parameter values and weights, with provenance."""

    folder: Path
    names: tuple[str, ...]
    values: np.ndarray  # float64[N, d]
    weights: np.ndarray  # float64[N]
    integer: tuple[bool, ...]
    calibration_sha256: str
    summary: dict[str, Any]

    def overrides(self, seed: int, replicate: int) -> dict[str, Any]:
        """Draw ``replicate``'s dotted overrides (a weighted resample keyed by ``seed`` and ``replicate``)."""
        cdf = np.cumsum(self.weights)
        u = stream(int(seed), int(replicate), "calibration.posterior").random()
        j = min(int(np.searchsorted(cdf, u * cdf[-1], side="right")), len(self.weights) - 1)
        return {n: (int(round(v)) if integer else float(v))
                for n, v, integer in zip(self.names, self.values[j], self.integer, strict=True)}

    def provenance(self) -> dict[str, Any]:
        """Where the draws come from: the folder, the hash of its calibration.json, what was calibrated."""
        prov = self.summary.get("provenance", {})
        return {"posterior": str(self.folder), "calibration_sha256": self.calibration_sha256,
                "parameters": list(self.names), "calibration_seed": prov.get("seed"),
                "targets_hash": prov.get("targets_hash"), "targets_file_sha256": prov.get("targets_file_sha256"),
                "scrutiny_version": prov.get("scrutiny_version"), "n_particles": int(self.values.shape[0])}

    def draws(self, seed: int):
        """:class:`~scrutiny.experiments._draws.ReplicateDraws` for a run, comparison or sweep seeded ``seed``."""
        from scrutiny.experiments._draws import ReplicateDraws

        return ReplicateDraws(lambda r: self.overrides(seed, r), POSTERIOR_INTERVAL,
                              {**self.provenance(), "seed": int(seed)})


def load_posterior(folder: str | Path) -> Posterior:
    """Read the posterior of a calibration folder (``calibration.json`` and ``particles.parquet``).

    Raises:
        InputError: If the folder is not a finished calibration (naming the missing file).
    """
    folder = Path(folder)
    paths = {name: folder / name for name in ("calibration.json", "particles.parquet")}
    for name, path in paths.items():
        if not path.is_file():
            raise InputError(f"{str(folder)!r} is not a calibration folder: {name} is missing "
                             "(scrutiny calibrate --out DIR writes it).")
    raw = paths["calibration.json"].read_bytes()
    summary = json.loads(raw)
    params = list(summary.get("parameters", {}))
    df = pq.read_table(paths["particles.parquet"]).to_pandas()
    missing = [p for p in params if p not in df.columns]
    if not params or missing:
        raise InputError(f"{str(paths['particles.parquet'])!r} lacks the parameter column(s) {missing or params}.")
    final = df[df["generation"] == df["generation"].max()]
    integer = tuple(bool(summary["parameters"][p].get("prior", {}).get("integer", False)) for p in params)
    return Posterior(folder, tuple(params), final[params].to_numpy(np.float64), final["weight"].to_numpy(np.float64),
                     integer, hashlib.sha256(raw).hexdigest(), summary)

"""The shipped calibration: a preset's unknowns set to posterior medians, with the posterior and its provenance.

:func:`write_shipped_summary` turns a calibration folder into the packaged summary
(``scrutiny/calibration/shipped/<preset>.json`` by default): the medians as dotted overrides, each
parameter's 5 / 50 / 95% quantiles, every target's observed band beside its posterior predictive,
and the provenance (targets file hash, seed, Scrutiny version, the hash of calibration.json).
``scripts/ship_calibration.py`` runs it and prints the overrides to put in the preset's TOML.
:func:`shipped_summary` reads it back.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from scrutiny.errors import InputError

__all__ = ["write_shipped_summary", "shipped_summary", "shipped_path"]


def shipped_path(preset: str) -> Path:
    """Where the packaged summary of ``preset`` lives."""
    return Path(str(resources.files("scrutiny.calibration"))) / "shipped" / f"{preset}.json"


def write_shipped_summary(folder: str | Path, *, preset: str = "us-interior", dest: str | Path | None = None) -> Path:
    """Write the packaged summary of the calibration in ``folder`` for ``preset``; return its path.

    Raises:
        InputError: If ``folder`` holds no calibration.json.
    """
    folder = Path(folder)
    path = folder / "calibration.json"
    if not path.is_file():
        raise InputError(f"{str(folder)!r} is not a calibration folder: calibration.json is missing.")
    raw = path.read_bytes()
    calib = json.loads(raw)
    prov = calib["provenance"]
    params = calib["parameters"]
    summary = {
        "preset": preset,
        "overrides": {name: (round(p["q50"]) if p["prior"].get("integer") else p["q50"]) for name, p in params.items()},
        "posterior": {name: {k: p[k] for k in ("q05", "q50", "q95", "mean")} | {"prior": p["prior"]}
                      for name, p in params.items()},
        "targets": {name: {k: t.get(k) for k in ("source", "observed", "predictive", "median_inside", "overlaps")}
                    for name, t in calib["targets"].items()},
        "provenance": {
            "calibration_sha256": hashlib.sha256(raw).hexdigest(),
            "targets_file_sha256": prov.get("targets_file_sha256"),
            "targets_hash": prov.get("targets_hash"),
            "seed": prov.get("seed"),
            "scrutiny_version": prov.get("scrutiny_version"),
            "config_hash": prov.get("config_hash"),
            "method": prov.get("method"),
            "settings": prov.get("settings"),
            "n_simulations": prov.get("n_simulations"),
            "stop_reason": prov.get("stop_reason"),
            "final_generation": calib["generations"][-1] if calib.get("generations") else None,
        },
    }
    dest = Path(dest) if dest is not None else shipped_path(preset)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return dest


def shipped_summary(preset: str = "us-interior") -> dict[str, Any] | None:
    """The packaged calibration summary of ``preset``, or ``None`` when none is shipped yet."""
    path = shipped_path(preset)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

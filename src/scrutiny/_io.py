"""Writing files: JSON text, and atomic writes so that no file is ever left half-written.

This is the one module that writes result files (run folders, comparison and sweep outputs, the
report, event logs). It sits at the bottom of the package and imports nothing from it, so every
stage that writes uses the same rules: NaN becomes ``null`` in JSON, and a file appears under its
name only once it is complete (written to a temporary file in the same folder, then renamed).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["to_json", "write_atomic", "write_file_atomic"]


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def to_json(obj: Any) -> str:
    """JSON text with NaN and infinities as ``null`` and keys in a stable order.

    Examples:
        >>> print(to_json({"a": float("nan"), "b": np.int64(2)}), end="")
        {
          "a": null,
          "b": 2
        }
    """
    return json.dumps(_clean(obj), indent=2, sort_keys=False, allow_nan=False) + "\n"


def write_atomic(folder: str | Path, files: dict[str, bytes]) -> Path:
    """Write several files into ``folder`` so that none is left half-written.

    Every file is first written in a temporary folder inside ``folder``, then each is renamed into
    place; a failure while writing leaves the previous files untouched.

    Args:
        folder: The destination folder (created if missing).
        files: ``{file name: contents}``.

    Returns:
        ``folder`` as a :class:`~pathlib.Path`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".incomplete-"))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        for name in files:
            os.replace(tmp / name, folder / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def write_file_atomic(path: str | Path, data: bytes, *, fsync: bool = False) -> Path:
    """Write one file atomically: a temporary file in the same folder, renamed into place.

    Args:
        path: The destination file; its folder must exist.
        data: The contents.
        fsync: Flush the file to disk before the rename (for a results store that must survive a
            machine stopping, not only a killed process).

    Returns:
        ``path`` as a :class:`~pathlib.Path`.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path

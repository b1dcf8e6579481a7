"""Read a stored run or comparison folder back into :class:`RunData` / :class:`ComparisonData`.

A run folder is what :meth:`scrutiny.experiments.Results.write` writes; a comparison folder holds
``comparison.json`` and one run folder per arm under ``arms/<name>/``. Errors name the folder and
the file that is missing or unreadable.
"""

from __future__ import annotations

import datetime as _dt
import json
import warnings
from pathlib import Path

import pandas as pd

from scrutiny.codes import Vocabulary
from scrutiny.errors import Error, InputError, ScenarioWarning
from scrutiny.events import read_events
from scrutiny.report._data import SCREEN_FILE, ComparisonData, RunData, folder_extras
from scrutiny.scenario import load_scenario

__all__ = ["RUN_FILES", "load_run", "load_comparison", "is_comparison", "load_folder", "folder_extras", "SCREEN_FILE"]

#: Files a run folder must hold for its report to be rebuilt.
RUN_FILES: tuple[str, ...] = (
    "summary.json", "replicates.json", "events.parquet", "daily.csv", "tracts.csv", "scenario.toml",
)


def _json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"Cannot read {str(path)!r}: {exc}") from None


def _csv(path: Path, required: tuple[str, ...] = (), *, rows: bool = False) -> pd.DataFrame:
    try:
        whole = path.read_bytes().endswith(b"\n")  # written whole, each line ending in a newline
        frame = pd.read_csv(path, dtype={"geoid": str}) if whole else None  # census GEOIDs keep their leading zeros
    except (OSError, ValueError) as exc:
        raise InputError(f"Cannot read {str(path)!r}: {exc}") from None
    if frame is None:
        raise InputError(f"{str(path)!r} is cut short (its last line is incomplete); run the command that wrote the "
                         "folder again.")
    missing = [c for c in required if c not in frame.columns]
    if missing or (rows and frame.empty):
        what = f"lacks column(s) {missing}" if missing else "holds no rows"
        raise InputError(f"{str(path)!r} {what}; it is damaged or was not written by Scrutiny.")
    return frame


#: Folders other commands write, by the file that marks them, with the command that (re)writes them.
_OTHER_FOLDERS = (("sweep.json", "sweep"), ("sensitivity.json", "sensitivity"), ("calibration.json", "calibrate"))


def _check_run_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise InputError(f"{str(folder)!r} is not a folder. Give the folder a run or comparison wrote "
                         f"(it holds {', '.join(RUN_FILES)}; a comparison holds comparison.json).")
    missing = [name for name in RUN_FILES if not (folder / name).is_file()]
    for marker, command in _OTHER_FOLDERS:
        if "summary.json" in missing and (folder / marker).is_file():
            raise InputError(
                f"{str(folder)!r} is a {command} folder ({marker}); `scrutiny report` rebuilds run and comparison "
                f"reports. To rebuild its report.html, run the same `scrutiny {command} ... --out {folder}` again: "
                "it resumes from the folder's results store, so no finished task runs twice."
            )
    if missing:
        raise InputError(
            f"{str(folder)!r} is not a complete Scrutiny run folder: missing {', '.join(missing)}. "
            f"A run folder holds {', '.join(RUN_FILES)} (written by `scrutiny run --out DIR`); "
            "a comparison folder holds comparison.json and arms/<name>/."
        )


def _split_events(path: Path, replicates: list[int], vocab=None):
    try:
        log, _ = read_events(path, vocab)
    except Error:
        raise
    except Exception as exc:  # pyarrow raises several kinds for a damaged file
        raise InputError(f"Cannot read the event log {str(path)!r}: {exc}") from None
    rep = log["replicate"]
    return [log.where(rep == r) for r in replicates]


def _written(folder: Path) -> str:
    mtime = (folder / "summary.json").stat().st_mtime
    return _dt.datetime.fromtimestamp(mtime, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def load_run(folder: str | Path) -> RunData:
    """Load a run folder (no simulation is re-run).

    Raises:
        InputError: If the folder or one of :data:`RUN_FILES` is missing or unreadable.
    """
    folder = Path(folder)
    _check_run_folder(folder)
    summary = _json(folder / "summary.json")
    reps = _json(folder / "replicates.json")
    if not isinstance(summary, dict) or "metrics" not in summary or not isinstance(reps, list) or not reps:
        raise InputError(f"{str(folder / 'summary.json')!r} or replicates.json does not hold a Scrutiny run summary.")
    with warnings.catch_warnings():  # the run already warned about its values when it was set up
        warnings.simplefilter("ignore", ScenarioWarning)
        scenario = load_scenario(folder / "scenario.toml")
    numbers = [int(r["replicate"]) for r in reps]
    geometry = _json(folder / "tracts.geojson") if (folder / "tracts.geojson").is_file() else None
    extras = folder_extras(folder)
    events = _split_events(folder / "events.parquet", numbers, Vocabulary(scenario.jurisdiction))
    return RunData(
        scenario=scenario, summary=summary, replicates=reps, events=events,
        daily=_csv(folder / "daily.csv", ("replicate", "day")),
        tracts=_csv(folder / "tracts.csv", ("x_km", "y_km", "population", "foreign_born", "noncitizen", "replicate"),
                    rows=True),
        geometry=geometry,
        written=_written(folder), sensitivity=extras.get("sensitivity"), folder=folder, screen=extras.get("screen"),
    )


def is_comparison(folder: str | Path) -> bool:
    """Whether ``folder`` is a comparison folder (it holds ``comparison.json``)."""
    return (Path(folder) / "comparison.json").is_file()


def load_comparison(folder: str | Path) -> ComparisonData:
    """Load a comparison folder: ``comparison.json`` and every ``arms/<name>/`` run folder.

    Raises:
        InputError: If ``comparison.json`` or an arm's run folder is missing or incomplete.
    """
    folder = Path(folder)
    if not is_comparison(folder):
        raise InputError(f"{str(folder)!r} is not a comparison folder: comparison.json is missing.")
    summary = _json(folder / "comparison.json")
    names = list(summary.get("provenance", {}).get("arms") or summary.get("arms", {}))
    if not names:
        raise InputError(f"{str(folder / 'comparison.json')!r} lists no arms.")
    arms = {}
    for name in names:
        if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
            raise InputError(f"Comparison {str(folder)!r} lists an arm name that is not a folder name: {name!r}.")
        arm = folder / "arms" / name
        if not arm.is_dir():
            raise InputError(f"Comparison {str(folder)!r} lists arm {name!r} but {str(arm)!r} is missing.")
        arms[name] = load_run(arm)
    extras = folder_extras(folder)
    return ComparisonData(summary=summary, arms=arms, folder=folder, sensitivity=extras.get("sensitivity"),
                          screen=extras.get("screen"))


def load_folder(folder: str | Path) -> RunData | ComparisonData:
    """Load a run or a comparison folder, whichever it is."""
    return load_comparison(folder) if is_comparison(folder) else load_run(folder)

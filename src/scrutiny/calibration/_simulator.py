"""Scrutiny as a calibration simulator: each candidate's replicates are tasks of the experiments executor.

A candidate of generation ``t`` becomes one task per replicate key, labelled ``gNNN`` (``predNNN``
for the posterior predictive, ``probe`` for the metric check), on the base scenario with the
candidate's field values applied. Tasks run through :func:`scrutiny.experiments._plan.run_plan`:
in this process, on a local process pool (``workers``) or on a Dask cluster (``scheduler``), and,
with a store folder, into the results store, so a killed calibration redoes no finished
simulation. A task's result depends only on its scenario and replicate key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrutiny.calibration._smc import Candidate
from scrutiny.scenario import Scenario

__all__ = ["ScrutinySimulator"]


class ScrutinySimulator:
    """Runs calibration candidates as Scrutiny tasks (see the module docstring).

    Args:
        base: The scenario whose unknowns are calibrated; every other field stays as it is.
        store: Results-store folder (resumable), or ``None`` to keep results in memory.
        workers: Local worker processes (results do not depend on it).
        scheduler: Dask scheduler address or client (overrides ``workers``).
        progress: Show a progress bar per batch.
        meta: JSON values recorded in the store's ``experiment`` table.
    """

    def __init__(self, base: Scenario, *, store: str | Path | None = None, workers: int = 1, scheduler: Any = None,
                 progress: bool = False, meta: dict[str, Any] | None = None) -> None:
        self.base, self.store, self.workers, self.scheduler = base, store, workers, scheduler
        self.progress, self.meta = progress, meta or {}
        self.n_tasks = 0

    def scenario(self, values: Mapping[str, Any], origin: str) -> Scenario:
        """The base scenario with ``values`` applied, validated (errors name ``origin``)."""
        from scrutiny.experiments._design import scenario_at

        return scenario_at(self.base, values, origin)

    def __call__(self, candidates: Sequence[Candidate]) -> list[list[Mapping[str, Any]]]:
        """Simulate every replicate of every candidate; return their summaries, candidate by candidate."""
        from scrutiny.experiments._plan import run_plan
        from scrutiny.experiments._task import Task

        tasks = []
        for c in candidates:
            s = self.scenario(c.values, f"calibration candidate {c.label}/{c.index} {c.values}")
            for key in c.keys:
                tasks.append(Task(c.label, int(key), s, point=int(c.index), keep_events=False))
        payloads = run_plan(tasks, kind="calibrate", store=self.store, meta=self.meta, workers=self.workers,
                            scheduler=self.scheduler, progress=self.progress, events=False)
        self.n_tasks += len(tasks)
        out, it = [], iter(tasks)
        for c in candidates:
            out.append([payloads[next(it).task_id]["summary"] for _ in c.keys])
        return out

"""Running tasks: in this process, on a local process pool, or on a Dask distributed cluster.

Every backend runs the same function (:func:`run_task`) on the same tasks, and a task's result
depends only on its scenario and replicate, never on the worker, the backend or the order in
which tasks finish. So 1 worker, 8 workers and a cluster give bit-identical parts. The driver
(this process) receives each finished part and hands it to ``on_done`` (which writes the store);
at most a few tasks per worker are in flight, so memory stays bounded on long sweeps.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from scrutiny.errors import ConfigError
from scrutiny.experiments._task import Task, TaskOutput, run_task

__all__ = ["execute", "check_workers"]

#: Tasks in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2


def check_workers(workers: Any) -> int:
    """Return ``workers`` as a positive int, or raise :class:`ConfigError` naming the bad value."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"workers must be a positive integer (processes on this machine); got {workers!r}.")
    return int(workers)


def _serial(tasks: Sequence[Task]) -> Iterator[tuple[Task, TaskOutput]]:
    for task in tasks:
        yield task, run_task(task)


def _pool(tasks: Sequence[Task], workers: int) -> Iterator[tuple[Task, TaskOutput]]:
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    pending = list(reversed(tasks))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        running: dict = {}
        try:
            while pending or running:
                while pending and len(running) < workers * IN_FLIGHT_PER_WORKER:
                    task = pending.pop()
                    running[pool.submit(run_task, task)] = task
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: running[f].task_id):
                    yield running.pop(fut), fut.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _client(scheduler: Any):
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError(f"--scheduler needs dask.distributed ({exc}); pip install 'dask[distributed]'.") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout="30s", set_as_default=False), True
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"Cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None


def _dask(tasks: Sequence[Task], scheduler: Any) -> Iterator[tuple[Task, TaskOutput]]:
    from distributed import as_completed

    client, owned = _client(scheduler)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending = list(reversed(tasks))
        by_key: dict[str, Task] = {}
        queue = as_completed(loop=client.loop)

        def submit() -> None:
            task = pending.pop()
            fut = client.submit(run_task, task, pure=False)
            by_key[fut.key] = task
            queue.add(fut)

        for _ in range(min(len(pending), n_workers * IN_FLIGHT_PER_WORKER)):
            submit()
        for fut in queue:
            output = fut.result()
            task = by_key.pop(fut.key)
            fut.release()
            if pending:
                submit()
            yield task, output
    finally:
        if owned:
            client.close()


def execute(
    tasks: Sequence[Task],
    on_done: Callable[[Task, TaskOutput], None],
    *,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = False,
    desc: str = "tasks",
    initial: int = 0,
) -> None:
    """Run ``tasks`` and call ``on_done(task, output)`` in this process as each one finishes.

    Args:
        tasks: Tasks to run.
        on_done: Called in the driver for each finished task (in completion order).
        workers: Local worker processes (1 = in this process). Ignored when ``scheduler`` is given.
        scheduler: A Dask scheduler address (``"tcp://host:8786"``) or a ``distributed.Client``.
        progress: Show a progress bar (completed/total and ETA) on standard error, when it is a terminal.
        desc: Label of the progress bar.
        initial: Tasks already finished before this call (a resumed run); the bar starts there.

    Raises:
        ConfigError: For a bad ``workers`` value or an unreachable scheduler.
    """
    workers = check_workers(workers)
    if not tasks:
        return
    if scheduler is not None and not isinstance(scheduler, str) and not hasattr(scheduler, "submit"):
        raise ConfigError(f"scheduler must be a Dask scheduler address such as 'tcp://host:8786'; got {scheduler!r}.")
    if scheduler is not None:
        stream = _dask(tasks, scheduler)
    elif workers == 1:
        stream = _serial(tasks)
    else:
        stream = _pool(tasks, min(workers, len(tasks)))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=initial + len(tasks), initial=initial, unit="task", desc=desc, dynamic_ncols=True,
                   disable=None)  # None: no bar when standard error is not a terminal (logs, CI)
    try:
        for task, output in stream:
            on_done(task, output)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        stream.close()

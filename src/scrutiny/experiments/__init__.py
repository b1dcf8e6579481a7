"""Stage 10, experiments: replicates, paired safeguard comparisons, sweeps, sensitivity, the results store.

Every task (one replicate of one scenario) draws its random numbers from streams keyed by
``(seed, replicate, name)``, so results are bit-identical whatever the number of workers or the
backend (in-process, local process pool, Dask cluster), and arms of one replicate share common
random numbers.

This package exports what users call; the machinery (tasks, executors, the store, resource
checks) lives in its private modules. Every function that runs replicates takes ``replicates``
(default :data:`DEFAULT_REPLICATES`) and, where it writes, ``out`` (the output folder).
"""

from scrutiny.experiments._arms import default_arms_path, load_arms
from scrutiny.experiments._compare import Comparison, compare
from scrutiny.experiments._design import Dimension
from scrutiny.experiments._run import DEFAULT_REPLICATES, Results, run
from scrutiny.experiments._screen import Screen, screen
from scrutiny.experiments._sensitivity import Sensitivity, sensitivity
from scrutiny.experiments._sweep import Sweep, load_design, sweep

__all__ = [
    "run",
    "Results",
    "compare",
    "Comparison",
    "sweep",
    "Sweep",
    "load_design",
    "sensitivity",
    "Sensitivity",
    "screen",
    "Screen",
    "Dimension",
    "load_arms",
    "default_arms_path",
    "DEFAULT_REPLICATES",
]

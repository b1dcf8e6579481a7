"""Stage 10, experiments: replicates, paired safeguard comparisons, sweeps, sensitivity, the results store.

Every task (one replicate of one scenario) draws its random numbers from streams keyed by
``(seed, replicate, name)``, so results are bit-identical whatever the number of workers or the
backend (in-process, local process pool, Dask cluster), and arms of one replicate share common
random numbers.
"""

from scrutiny.experiments._arms import Arm, arm_scenarios, default_arms_path, load_arms
from scrutiny.experiments._compare import Comparison, compare, headline_table
from scrutiny.experiments._design import Dimension
from scrutiny.experiments._execute import execute
from scrutiny.experiments._resources import available_bytes, check_memory, estimate_bytes
from scrutiny.experiments._run import (
    ReplicateResult,
    Results,
    provenance,
    run,
)
from scrutiny.experiments._sensitivity import Sensitivity, sensitivity
from scrutiny.experiments._store import CATALOG, Store
from scrutiny.experiments._sweep import Sweep, load_design, sweep
from scrutiny.experiments._task import Task, decode_part, run_task

__all__ = [
    "run",
    "Results",
    "ReplicateResult",
    "compare",
    "Comparison",
    "sweep",
    "Sweep",
    "load_design",
    "sensitivity",
    "Sensitivity",
    "Dimension",
    "Arm",
    "load_arms",
    "arm_scenarios",
    "default_arms_path",
    "headline_table",
    "execute",
    "Task",
    "run_task",
    "decode_part",
    "Store",
    "CATALOG",
    "provenance",
    "estimate_bytes",
    "available_bytes",
    "check_memory",
]

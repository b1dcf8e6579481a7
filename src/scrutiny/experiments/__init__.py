"""Stage 10, experiments: replicates with independent streams, intervals, and the results object."""

from scrutiny.experiments._resources import available_bytes, check_memory, estimate_bytes
from scrutiny.experiments._run import ReplicateResult, Results, provenance, run, to_json, write_atomic
from scrutiny.experiments._stats import aggregate, mean_interval

__all__ = [
    "run",
    "Results",
    "ReplicateResult",
    "provenance",
    "to_json",
    "write_atomic",
    "aggregate",
    "mean_interval",
    "estimate_bytes",
    "available_bytes",
    "check_memory",
]

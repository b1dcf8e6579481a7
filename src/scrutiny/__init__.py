"""Scrutiny: an open, reproducible impact-assessment engine for data-driven immigration enforcement.

It implements, as a transparent simulation over a synthetic population, place-targeted
enforcement fed by fused data, mobile biometric identification at the point of encounter, arrest
quotas and the feedback of each day's results into the next day's targeting, and measures who
it sweeps up. No data about real individuals goes in; no real people or ranked real places
come out.

Examples:
    >>> import scrutiny
    >>> s = scrutiny.load_scenario(preset="us-interior", overrides={"world.n_people": 5000, "n_days": 5})
    >>> results = scrutiny.run(s, replicates=1)
    >>> "citizens_detained_per_1000_arrests" in results.summary()["metrics"]
    True
"""

from scrutiny._version import __version__
from scrutiny.errors import ConfigError, Error, InputError, ResourceError
from scrutiny.experiments import Comparison, Results, Sensitivity, Sweep, compare, run, sensitivity, sweep
from scrutiny.scenario import Scenario, list_presets, load_scenario

__all__ = [
    "__version__",
    "load_scenario",
    "list_presets",
    "run",
    "Results",
    "compare",
    "Comparison",
    "sweep",
    "Sweep",
    "sensitivity",
    "Sensitivity",
    "Scenario",
    "Error",
    "ConfigError",
    "InputError",
    "ResourceError",
]

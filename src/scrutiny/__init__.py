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

``scrutiny.report`` is the function that writes a report (:func:`scrutiny.report.report`); it takes
the name of the report package in this namespace, so the package's helpers are imported by name:
``from scrutiny.report import render_run``.

This module is the top of the import graph (``tests/contracts/test_import_graph.py``): it is the
one place that knows both experiments and the report, and it hands the report's renderers to
experiments, so ``Results.write`` and ``Comparison.write`` can write ``report.html`` although
experiments never import the report.
"""

from scrutiny._version import __version__
from scrutiny.errors import ConfigError, Error, InputError, ResourceError
from scrutiny.experiments import Comparison, Results, Sensitivity, Sweep, compare, run, sensitivity, sweep
from scrutiny.experiments._renderers import use_renderers
from scrutiny.report import render_comparison, render_run
from scrutiny.report import report as report  # replaces the package name scrutiny.report with the function
from scrutiny.scenario import Scenario, list_presets, load_scenario

use_renderers(run=render_run, comparison=render_comparison)
del use_renderers, render_run, render_comparison

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
    "report",
    "Scenario",
    "Error",
    "ConfigError",
    "InputError",
    "ResourceError",
]

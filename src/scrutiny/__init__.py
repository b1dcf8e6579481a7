"""Scrutiny: an open, reproducible impact-assessment engine for data-driven immigration enforcement.

It implements, as a transparent simulation over a synthetic population, place-targeted
enforcement fed by fused data, mobile biometric identification at the point of encounter, arrest
quotas and the feedback of each day's results into the next day's targeting, and measures who
it sweeps up. No data about real individuals goes in; no real people or ranked real places
come out.

``scrutiny.report`` is the report package, and it is callable: ``scrutiny.report(results, path)``
writes a report (:func:`scrutiny.report.report`); its helpers are imported by name
(``from scrutiny.report import render_run``).

This module is the top of the import graph (``tests/contracts/test_import_graph.py``): the one
place that knows both experiments and the report. It hands experiments a renderer that imports
the report when a report is first written, so ``Results.write`` and ``Comparison.write`` can write
``report.html`` although experiments never import the report. Public names are imported on first
use (see ``__getattr__``), so that ``scrutiny --help`` starts at once.

Examples:
    >>> import scrutiny
    >>> s = scrutiny.load_scenario(preset="us-interior", overrides={"world.n_people": 5000, "n_days": 5})
    >>> results = scrutiny.run(s, replicates=1)
    >>> "citizens_detained_per_1000_arrests" in results.summary()["metrics"]
    True
"""

import importlib
from typing import TYPE_CHECKING, Any

from scrutiny._observed import use_observed
from scrutiny._renderers import use_renderers
from scrutiny._version import __version__
from scrutiny.errors import ConfigError, Error, InputError, ResourceError

if TYPE_CHECKING:  # imported on first use (see __getattr__)
    from scrutiny.experiments import Comparison, Results, Sensitivity, Sweep, compare, run, sensitivity, sweep
    from scrutiny.scenario import Scenario, list_presets, load_scenario

#: Public names defined in a submodule, imported when first used: the experiments package pulls in
#: pandas, SciPy, PyArrow and the whole model, which the command line needs only once it runs.
_LAZY = {
    **dict.fromkeys(("Comparison", "Results", "Sensitivity", "Sweep", "compare", "run", "sensitivity", "sweep"),
                    "scrutiny.experiments"),
    **dict.fromkeys(("Scenario", "list_presets", "load_scenario"), "scrutiny.scenario"),
}


def _render_run(results: Any) -> str:
    from scrutiny.report import render_run

    return render_run(results)


def _render_comparison(comparison: Any) -> str:
    from scrutiny.report import render_comparison

    return render_comparison(comparison)


def _render_sweep(sweep: Any) -> str:
    from scrutiny.report import render_sweep

    return render_sweep(sweep)


use_renderers(run=_render_run, comparison=_render_comparison, sweep=_render_sweep)


def _observed_targets(preset: str) -> Any:
    """The preset's packaged calibration targets (the observed outcomes the report shows), or None."""
    if preset not in _observed_presets():
        return None
    from scrutiny.calibration import default_targets_path, load_targets

    return load_targets(default_targets_path(preset))


def _observed_presets() -> list[str]:
    from importlib import resources

    folder = resources.files("scrutiny") / "calibration" / "targets"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


use_observed(targets=_observed_targets, presets=_observed_presets)

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if not name.startswith("__"):  # a subpackage (scrutiny.report, scrutiny.experiments, ...)
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'scrutiny' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | {"report"})

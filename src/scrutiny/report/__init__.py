"""Stage 11, report: one self-contained HTML report (opens offline) of a run or a comparison.

``render_run`` and ``render_comparison`` return the HTML; ``rebuild_report`` rebuilds
``report.html`` of a stored folder from its files alone (``scrutiny report DIR``); :func:`report`
writes it for either. The package itself is callable: ``scrutiny.report(results, path)`` calls
:func:`report`, whether ``scrutiny.report`` was reached as an attribute or imported.

The report reads results (summaries, per-replicate metric values, the event log through the
functions of :mod:`scrutiny.metrics`) and never imports :mod:`scrutiny.experiments`, which
produces them.
"""

import sys
import types
from typing import Any

from scrutiny.report._assumptions import assumptions_table
from scrutiny.report._data import ComparisonData, RunData, comparison_data, run_data
from scrutiny.report._load import RUN_FILES, is_comparison, load_comparison, load_folder, load_run
from scrutiny.report._render import rebuild_report, render_comparison, render_run, render_sweep, report
from scrutiny.report._run_view import HEADLINES

__all__ = [
    "report",
    "render_run",
    "render_comparison",
    "render_sweep",
    "rebuild_report",
    "load_run",
    "load_comparison",
    "load_folder",
    "is_comparison",
    "RUN_FILES",
    "RunData",
    "ComparisonData",
    "run_data",
    "comparison_data",
    "assumptions_table",
    "HEADLINES",
]


class _CallableModule(types.ModuleType):
    """The report package, callable as :func:`report` (``scrutiny.report(results, path)``)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return report(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

"""How experiments write ``report.html`` without importing the report.

Experiments (stage 10) produce results and the report (stage 11) reads them, so experiments never
import the report: that would make the two depend on each other. Instead the package's
``__init__``, the one module above both, hands renderers to :func:`use_renderers` when ``scrutiny``
is imported (importing any part of the package imports the package first); they import the report
only when a report is first written. :meth:`Results.write`, :meth:`Comparison.write` and
:meth:`Sweep.write` call :func:`render`. This module sits in the foundation so that setting the
renderers costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrutiny.errors import Error

__all__ = ["use_renderers", "render", "KINDS"]

#: What can be rendered: one run's results, a comparison of arms, and a sweep over a design.
KINDS: tuple[str, ...] = ("run", "comparison", "sweep")

_RENDERERS: dict[str, Callable[[Any], str]] = {}


def use_renderers(*, run: Callable[[Any], str], comparison: Callable[[Any], str],
                  sweep: Callable[[Any], str] | None = None) -> None:
    """Set the functions that turn results into the report's HTML text.

    Args:
        run: Renders one run's :class:`~scrutiny.experiments.Results`.
        comparison: Renders a :class:`~scrutiny.experiments.Comparison`.
        sweep: Renders a :class:`~scrutiny.experiments.Sweep`.
    """
    _RENDERERS.update(run=run, comparison=comparison)
    if sweep is not None:
        _RENDERERS["sweep"] = sweep


def render(kind: str, results: Any) -> str:
    """The report's HTML text for ``results`` of ``kind`` (``"run"``, ``"comparison"`` or ``"sweep"``).

    Raises:
        Error: If no renderer has been set (the package ``scrutiny`` sets them when imported).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")
    if kind not in _RENDERERS:
        raise Error(f"No {kind} report renderer is set: `import scrutiny` sets it; or write with report=False.")
    return _RENDERERS[kind](results)

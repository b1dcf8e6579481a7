"""What the report compares a run with: the observed outcomes packaged for a preset, handed down from the top.

The observed figures a preset is checked against live with the calibration (its targets files,
``scrutiny/calibration/targets/<preset>.toml``), which is a later layer than the report: the
calibration draws its own report with the report's charts. So the report never imports it. The
package's ``__init__``, the one module above both, hands this module a loader when ``scrutiny`` is
imported (importing any part of the package imports the package first), as it hands experiments
their renderers (:mod:`scrutiny._renderers`). Without a loader there is nothing to compare with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["use_observed", "observed_targets", "observed_presets"]

_LOADERS: dict[str, Callable[..., Any]] = {}


def use_observed(*, targets: Callable[[str], Any], presets: Callable[[], list[str]]) -> None:
    """Set how observed outcomes are found.

    Args:
        targets: ``targets(preset)`` returns the preset's packaged targets (a
            :class:`~scrutiny.calibration.TargetSet`), or ``None`` when none is packaged.
        presets: Returns the presets that have packaged targets.
    """
    _LOADERS.update(targets=targets, presets=presets)


def observed_targets(preset: str) -> Any:
    """The packaged observed targets of ``preset``, or ``None`` (none packaged, or no loader set)."""
    load = _LOADERS.get("targets")
    return None if load is None else load(preset)


def observed_presets() -> list[str]:
    """The presets with packaged observed targets (empty without a loader)."""
    names = _LOADERS.get("presets")
    return [] if names is None else list(names())

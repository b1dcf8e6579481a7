"""Per-replicate overrides: replicate ``r`` of every arm or design point runs with draw ``r``'s field values.

A calibration's posterior (:func:`scrutiny.calibration.load_posterior`) supplies the draws. The
draw depends only on the seed and the replicate, so replicate ``r`` of every arm (or point) shares
both its random numbers and its parameter set, and paired differences stay paired. An arm's or
point's own overrides are applied after the draw: a safeguard that sets a calibrated field wins.
Results record which kind of interval they show: ``"chance only"`` without draws, or the draws'
own label (``"chance and posterior uncertainty"``) with the draws' provenance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scrutiny.scenario import Scenario

__all__ = ["ReplicateDraws", "CHANCE_ONLY", "interval_record"]

#: The interval kind of results without per-replicate draws.
CHANCE_ONLY = "chance only"


@dataclass(frozen=True)
class ReplicateDraws:
    """Dotted overrides per replicate, the kind of interval they make, and where they came from."""

    overrides_of: Callable[[int], Mapping[str, Any]]
    interval: str = "chance and posterior uncertainty"
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def scenario(self, base: Scenario, replicate: int, top: Mapping[str, Any] | None = None,
                 origin: str = "") -> Scenario:
        """``base`` with draw ``replicate`` applied, then ``top`` (an arm's or point's overrides), validated."""
        from scrutiny.experiments._design import scenario_at

        values = {**self.overrides_of(int(replicate)), **dict(top or {})}
        return scenario_at(base, values, f"{origin} replicate {replicate} {values}".strip())

    def record(self, replicates: int) -> dict[str, Any]:
        """Provenance: the interval kind, the draws' source and each replicate's overrides."""
        by_rep = [dict(self.overrides_of(r)) for r in range(int(replicates))]
        return {"interval": self.interval, "draws": {**dict(self.provenance), "by_replicate": by_rep}}


def interval_record(draws: ReplicateDraws | None, replicates: int) -> dict[str, Any]:
    """``{"interval": ...}`` (and the draws' provenance) for a results' provenance block."""
    return {"interval": CHANCE_ONLY} if draws is None else draws.record(replicates)

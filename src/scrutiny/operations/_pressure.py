"""Quota pressure: what teams do while they fall behind the daily arrest quota.

The pressure level ``L`` starts at 0, rises by one after each day the quota is missed and falls by
one after each day it is met, between 0 and ``max_pressure_level`` (with no quota it stays 0).
The response (``operations.quota_pressure``) acts on the next day:

* ``none``: nothing changes (the level is still tracked);
* ``lower_threshold``: the match threshold is ``threshold - L * threshold_step``;
* ``scan_wider``: while ``L > 0`` everyone present is scanned, whatever ``field.scan_policy`` says;
* ``more_sites``: teams visit up to ``ceil(capacity * (1 + L * rel_capacity_step))`` sites.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scrutiny.scenario import OperationsParams

__all__ = ["QuotaPressure"]


@dataclass
class QuotaPressure:
    """The pressure state of one replicate (the loop owns it and calls :meth:`update` each evening).

    Examples:
        >>> from scrutiny.scenario import OperationsParams
        >>> qp = QuotaPressure(OperationsParams(quota_pressure="lower_threshold"), quota=5.0)
        >>> qp.update(2); qp.update(3); qp.level, qp.threshold(9.6)
        (2, 9.1)
        >>> qp.update(7); qp.level
        1
    """

    p: OperationsParams
    quota: float
    level: int = 0

    def update(self, arrests_today: float) -> None:
        """Move the level after a day with ``arrests_today`` arrests."""
        if not math.isfinite(self.quota):
            return
        if arrests_today < self.quota - 1e-9:
            self.level = min(self.p.max_pressure_level, self.level + 1)
        else:
            self.level = max(0, self.level - 1)

    def threshold(self, base: float) -> float:
        """Today's match threshold."""
        if self.p.quota_pressure != "lower_threshold":
            return base
        return base - self.level * self.p.threshold_step

    def capacity(self, base: int) -> int:
        """Sites the teams can visit today."""
        if self.p.quota_pressure != "more_sites" or self.level == 0:
            return base
        return int(math.ceil(base * (1.0 + self.level * self.p.rel_capacity_step) - 1e-9))

    @property
    def widen(self) -> bool:
        """Whether everyone present is scanned today (``scan_wider`` under pressure)."""
        return self.p.quota_pressure == "scan_wider" and self.level > 0

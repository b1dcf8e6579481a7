"""Quota pressure: what teams do while they fall behind the daily arrest quota.

The quota is a floor, not a cap: teams always do their ordinary workload. The pressure level ``L``
starts at 0, rises by one after each day the quota is missed and falls by one after each day it is
met, between 0 and ``max_pressure_level`` (with no quota it stays 0, so removing the quota removes
every escalation and nothing else). The responses (``operations.quota_pressure``, any of them
together) act on the next day:

* ``lower_threshold``: the match threshold is the operating threshold ``- L * threshold_step``;
* ``scan_wider``: while ``L > 0`` everyone present is scanned, whatever ``field.scan_policy`` says;
* ``more_sites``: teams visit ``capacity * (1 + L * rel_capacity_step)`` sites on average.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scrutiny.scenario import OperationsParams

__all__ = ["QuotaPressure", "sites_today"]


@dataclass
class QuotaPressure:
    """The pressure state of one replicate (the loop owns it and calls :meth:`update` each evening).

    Examples:
        >>> from scrutiny.scenario import OperationsParams
        >>> qp = QuotaPressure(OperationsParams(quota_pressure="lower_threshold"), quota=5.0)
        >>> qp.update(2); qp.update(3); qp.level, qp.threshold(9.6)
        (2, 9.1)
        >>> qp.update(7); qp.level, qp.days_met, qp.days
        (1, 1, 3)
    """

    p: OperationsParams
    quota: float
    level: int = 0
    days: int = 0  # days ended under a quota
    days_met: int = 0  # of which the quota was met

    def update(self, arrests_today: float) -> None:
        """Move the level after a day with ``arrests_today`` arrests."""
        if not math.isfinite(self.quota):
            return
        self.days += 1
        met = arrests_today >= self.quota - 1e-9
        self.days_met += int(met)
        if not met:
            self.level = min(self.p.max_pressure_level, self.level + 1)
        else:
            self.level = max(0, self.level - 1)

    def threshold(self, base: float) -> float:
        """Today's match threshold."""
        if "lower_threshold" not in self.p.quota_pressure:
            return base
        return base - self.level * self.p.threshold_step

    def capacity(self, base: float) -> float:
        """Sites the teams can visit today, on average (rounded by the loop's daily draw)."""
        if "more_sites" not in self.p.quota_pressure or self.level == 0:
            return base
        return base * (1.0 + self.level * self.p.rel_capacity_step)

    @property
    def widen(self) -> bool:
        """Whether everyone present is scanned today (``scan_wider`` under pressure)."""
        return "scan_wider" in self.p.quota_pressure and self.level > 0


def sites_today(capacity: float, u: float) -> int:
    """The day's number of sites: ``capacity`` rounded down, plus one with probability its fraction.

    With the same uniform ``u`` a larger capacity never gives fewer sites.

    Examples:
        >>> sites_today(2.3, 0.2), sites_today(2.3, 0.5), sites_today(3.0, 0.9)
        (3, 2, 3)
    """
    whole = math.floor(capacity + 1e-12)
    return int(whole + (u < capacity - whole))

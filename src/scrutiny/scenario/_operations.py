"""Parameters of the daily operations loop: quota, quota pressure, capacity, detention and release."""

from __future__ import annotations

from typing import Literal

from scrutiny.scenario._fields import Params, param

__all__ = ["OperationsParams"]


class OperationsParams(Params):
    """Teams, quota and what happens to the people detained."""

    quota_enabled: bool = param(
        True, unit="switch",
        description="Whether teams work to a daily arrest quota (stop once it is met).",
        source="reported 2025 target of 3,000 arrests a day",
    )
    arrests_per_day_national: float = param(
        3000.0, ge=0.0, le=1e6, plausible=(824.0, 3000.0), unit="arrests per day",
        description="National daily arrest target; the metro's quota is its population share of it, "
        "times rel_local_intensity.",
        source="reported 2025 target (realised: 824 a day Jan-Oct 2025, Deportation Data Project)",
    )
    national_population: float = param(
        3.35e8, gt=0.0, le=1e10, unit="people",
        description="US resident population, used to scale the national target to the metro.",
        source="ACS 2023 (334.9M)",
    )
    rel_local_intensity: float = param(
        5.0, ge=0.0, le=1000.0, plausible=(1.0, 20.0), unit="x",
        description="Enforcement intensity in this metro relative to its population share (a surge).",
        source="assumption: surges concentrate agents in a few metros; no published per-metro rate; "
        "sensitivity input",
    )
    sites_per_day_per_100k: float = param(
        4.0, ge=0.0, le=10_000.0, plausible=(1.0, 10.0), unit="sites per day per 100,000 residents",
        description="Capacity: how many places the metro's teams can visit in a day.",
        source="assumption: not public; sensitivity input",
    )
    quota_pressure: Literal["none", "lower_threshold", "scan_wider", "more_sites"] = param(
        "none", unit="name",
        description="What teams do while they fall behind the daily quota: 'none'; 'lower_threshold' (the match "
        "threshold steps down by threshold_step per level); 'scan_wider' (everyone present is scanned, whatever "
        "field.scan_policy says); 'more_sites' (capacity grows by rel_capacity_step per level). The pressure "
        "level rises by one after each day the quota is missed and falls by one after each day it is met, "
        "between 0 and max_pressure_level.",
        source="assumption: no public evidence of how teams respond to the reported 3,000-a-day target; "
        "'none' is the neutral default, the others are arms to test",
    )
    threshold_step: float = param(
        0.25, ge=0.0, le=100.0, plausible=(0.1, 1.0), unit="threshold units per level",
        description="Under quota_pressure 'lower_threshold': how far the match threshold drops per pressure "
        "level (decades of FMR for the parametric matcher).",
        source="assumption: illustrative; sensitivity input",
    )
    max_pressure_level: int = param(
        4, ge=0, le=1000, unit="levels",
        description="Highest pressure level (the threshold floor is threshold - max_pressure_level x threshold_step).",
        source="assumption: illustrative",
    )
    rel_capacity_step: float = param(
        0.25, ge=0.0, le=10.0, plausible=(0.1, 1.0), unit="x capacity per level",
        description="Under quota_pressure 'more_sites': extra capacity per pressure level, as a share of the "
        "base capacity (sites a day = ceil(capacity x (1 + level x rel_capacity_step))).",
        source="assumption: surges bring in more teams; sensitivity input",
    )
    dur_wrongful_detention: float = param(
        5.0, ge=0.0, le=3650.0, plausible=(0.5, 60.0), unit="days (mean)",
        description="Mean days before a citizen or lawful resident detained on someone else's record (a false "
        "match) proves who they are and is released (exponentially distributed, at least one night).",
        source="assumption: documented cases range from hours to weeks (ProPublica 2025); sensitivity input",
    )
    dur_wrongful_detention_record_error: float = param(
        20.0, ge=0.0, le=3650.0, plausible=(5.0, 120.0), unit="days (mean)",
        description="Mean days before a citizen or lawful resident detained on their own wrong record "
        "(naturalisation not recorded, lawful status recorded as expired, protection held elsewhere, merged "
        "identity) gets the record corrected and is released (exponentially distributed, at least one night).",
        source="assumption: proving status against one's own record needs the agency to correct it; documented "
        "citizens were held for weeks (ProPublica 2025); sensitivity input",
    )
    dur_detention_to_removal: float = param(
        45.0, ge=1.0, le=3650.0, plausible=(14.0, 120.0), unit="days",
        description="Days from detention to removal; a wrongly detained person not released by then is removed.",
        source="assumption: of the order of the average length of ICE detention; sensitivity input",
    )
    record_corrected_on_release: bool = param(
        True, unit="switch",
        description="Whether a wrongly detained person's record is corrected once they prove their status, so "
        "a later scan returns their true status.",
        source="assumption: corrections are made case by case; documented repeat detentions show they can fail",
    )

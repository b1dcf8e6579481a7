"""Parameters of the daily operations loop: quota, capacity, detention and release."""

from __future__ import annotations

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
        3.35e8, gt=0.0, unit="people",
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
    dur_wrongful_detention: float = param(
        5.0, ge=0.0, le=3650.0, plausible=(0.5, 60.0), unit="days (mean)",
        description="Mean days before a wrongly detained citizen or lawful resident proves status and is "
        "released (exponentially distributed).",
        source="assumption: documented cases range from hours to weeks (ProPublica 2025); sensitivity input",
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

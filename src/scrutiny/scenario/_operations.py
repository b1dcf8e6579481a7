"""Parameters of the daily operations loop: quota, quota pressure, capacity, detention and release."""

from __future__ import annotations

from typing import Literal

from scrutiny._registry import Registry
from scrutiny.scenario._field import DECISION_RULES, MatchIsDefinitiveParams
from scrutiny.scenario._fields import ComponentParams, Params, components, param

__all__ = ["OperationsParams", "TRIGGERS"]

#: Encounter triggers: what brings a person before an identification and the decision rules each day.
TRIGGERS = Registry("operations.triggers")


@TRIGGERS.params("site_visit")
class SiteVisitParams(ComponentParams):
    """Teams visit the places targeting chose; everyone present may be scanned (the ELITE/Mobile Fortify loop)."""

    name: Literal["site_visit"] = "site_visit"


@TRIGGERS.params("status_check")
class StatusCheckParams(ComponentParams):
    """Everyday status checks at the jurisdiction's service points (landlord, employer, clinic, bank...).

    Each day, people who need a service come to its service point (the jurisdiction's flow rate);
    their status is checked against their own record. A lawful person whose proof is digital only may
    not be able to show it (the service fails); a record showing a removable status fails the check
    too. The rules of ``decision`` may clear a failed check (an offline fallback proof honoured);
    otherwise the service is refused and, with probability ``p_report``, the person is reported to
    enforcement (a lead through the ``service_reports`` source, when that sharing flow is enabled).
    """

    name: Literal["status_check"] = "status_check"
    service_points: tuple[str, ...] = param(
        (), unit="names", names_of="service_points",
        description="The service points that check status (empty: every service point of the jurisdiction).",
        source="the jurisdiction's service points",
    )
    p_digital_fails: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.0005, 0.46), unit="probability per check",
        description="Probability that a lawful person whose proof is digital only cannot prove their status when "
        "checked (the digital status service fails or is not accepted).",
        source="CALIBRATION.md round 2: eVisa, illustrative 0.05; 0.0005 (Open Rights Group) to 0.19 (Migration "
        "Observatory 2024) to 0.46 (Migrant Voice/Warwick 2025, convenience sample)",
    )
    p_report: float = param(
        1.0, ge=0.0, le=1.0, plausible=(0.0, 1.0), unit="share of refusals",
        description="Share of failed checks the service reports to enforcement.",
        source="assumption: checks on behalf of the Home Office report failures (landlords, employers, NHS "
        "debts); sensitivity input",
    )
    decision: components(DECISION_RULES) = param(
        (MatchIsDefinitiveParams(),), unit="list of names or tables",
        description="Rules a failed check goes through before the service is refused (e.g. 'documents_honoured': "
        "an offline proof carried is honoured).",
        source="the checker's practice; a fallback proof is a safeguard to test",
    )


class OperationsParams(Params):
    """Teams, quota and what happens to the people detained."""

    triggers: components(TRIGGERS) = param(
        (SiteVisitParams(),), unit="list of names or tables",
        description="What brings people before an identification and the decision rules each day, in order: "
        "'site_visit' (teams visit targeted places) and 'status_check' (everyday checks at service points).",
        source="DESIGN.md: a team's visit and a status check at a service point use the same encounter machinery",
    )

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

    def arrests_per_day(self, n_people: int) -> float:
        """The metro's share of the national daily arrest target, whether or not a quota is enforced.

        ``arrests_per_day_national x n_people / national_population x rel_local_intensity``: the one
        place this formula lives (the quota, the tip rate and the sources' scale all use it).

        Examples:
            >>> round(OperationsParams().arrests_per_day(100_000), 2)
            4.48
        """
        return self.arrests_per_day_national * n_people / self.national_population * self.rel_local_intensity

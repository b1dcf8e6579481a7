"""Parameters of the daily operations loop: quota, quota pressure, capacity, detention and release."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator

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
        description="Share of failed checks the service reports to enforcement (at a service point that p_report_by_"
        "point does not name).",
        source="assumption: checks on behalf of the Home Office report failures (landlords, employers, NHS "
        "debts); sensitivity input",
    )
    p_report_by_point: dict[str, float] = param(
        {}, ge=0.0, le=1.0, unit="share by service point", names_of="service_points",
        description="Per service point, the share of failed checks reported to enforcement (at a charging point: of "
        "bills left unpaid, reported after dur_debt_report days); a point not named reports p_report. Doubt "
        "refusals are never reported: the checker refuses and tells nobody.",
        source="UK (the uk-hostile-environment preset): NHS debts of 500 pounds or more unpaid for 2 months are "
        "reported (NHS charging regulations 2017), banks report matches to the disqualified-persons list (1.0); "
        "GPs and schools report nothing (0: their data flows by tracing, sources.service_reports); landlords and "
        "employers through the Home Office checking services and job centres through DWP data sharing are "
        "assumptions (0.3, 0.3, 0.5)",
    )
    decision: components(DECISION_RULES) = param(
        (MatchIsDefinitiveParams(),), unit="list of names or tables",
        description="Rules a failed check goes through before the service is refused (e.g. 'offline_proof': an "
        "offline fallback proof honoured when the digital check fails).",
        source="the checker's practice; a fallback proof is a safeguard to test",
    )
    p_no_passport: float = param(
        0.17, ge=0.0, le=1.0, plausible=(0.1, 0.25), unit="share of citizens",
        description="Share of citizens who cannot show a passport when asked (they prove citizenship with other "
        "documents, which checkers doubt: p_doubt_no_passport).",
        source="assumption: of the order of the share of residents of England and Wales holding no passport in the "
        "censuses (about one in six); sensitivity input",
    )
    p_doubt_no_passport: dict[str, float] = param(
        {}, ge=0.0, le=1.0, unit="probability by service point", names_of="service_points",
        description="Per service point, the probability that a checker refuses a citizen who has no passport to show "
        "(white British, the mystery-shopping control); at a charging point, classifies them as chargeable. A point "
        "not named: 0.",
        source="CALIBRATION.md round 2: JCWI 'Passport Please' 2017, landlords: refusal or no reply +11% for white "
        "British applicants without a passport (the preset's landlord value); other points assumption",
    )
    p_doubt_minority_extra: dict[str, float] = param(
        {}, ge=0.0, le=1.0, unit="probability by service point", names_of="service_points",
        description="Per service point, the discrimination the mystery shopping measures: the extra refusal "
        "probability for an ethnic-minority citizen without a passport over a white one (0 removes the group "
        "difference among people of the same status). A point not named: 0.",
        source="CALIBRATION.md round 2: JCWI 2017, landlords: ethnic-minority British without a passport +26% "
        "against white British +11%, so +0.15 (the preset's landlord value); other points assumption",
    )
    p_doubt_non_citizen: dict[str, float] = param(
        {}, ge=0.0, le=1.0, unit="probability by service point", names_of="service_points",
        description="Per service point, the probability that a checker refuses (at a charging point: classifies as "
        "chargeable) a non-citizen whose check passed. A point not named: 0.",
        source="CALIBRATION.md round 2: JCWI 2017, landlords: non-British applicants with settled status +20% (the "
        "preset's landlord value); NHS charging: entitled people wrongly classified as chargeable, up to 0.3 "
        "(Maternity Action citing a Department of Health study; the preset's hospital value 0.15 is half that upper "
        "bound, an assumption); other points assumption",
    )
    upfront_charging: bool = param(
        True, unit="switch",
        description="At a charging point, a chargeable person whose care is not urgent must pay before treatment "
        "(and some go without); off: care first, billed afterwards ('charging only after clinical need is met').",
        source="CALIBRATION.md round 2: NHS charging regulations 2017 (up front unless urgent)",
    )
    p_urgent: float = param(
        0.4, ge=0.0, le=1.0, plausible=(0.2, 0.7), unit="share of chargeable episodes",
        description="Share of chargeable episodes at a charging point that are urgent or immediately necessary: "
        "treated first, billed afterwards.",
        source="assumption: no published share; sensitivity input",
    )
    p_cannot_pay: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.2, 0.8), unit="share of up-front charges",
        description="Share of people charged up front (150% of tariff) who cannot pay and go without the care.",
        source="assumption: Doctors of the World and Maternity Action report people turned away or deterred by "
        "up-front bills; no published share; sensitivity input",
    )
    p_debt_unpaid: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.2, 0.8), unit="share of bills",
        description="Share of bills issued at a charging point that stay unpaid (500 pounds or more for two months): "
        "the debts a charging point reports (p_report_by_point).",
        source="assumption: bills at 150% of tariff are mostly beyond the means of those charged; sensitivity input",
    )
    dur_debt_report: float = param(
        60.0, ge=0.0, le=3650.0, unit="days",
        description="Days after a bill that an unpaid debt is reported to enforcement.",
        source="CALIBRATION.md round 2: NHS charging regulations 2017 (debts of 500 pounds or more unpaid for 2 "
        "months reported to the Home Office)",
    )
    fear_of_sharing: float = param(
        0.0, ge=0.0, le=100.0, plausible=(0.2, 3.0), unit="fear units",
        description="Standing fear, in every tract, at a place type (clinic, school) where a checked service shares "
        "data with enforcement (reports or tracing): avoidance there is at least max x (1 - exp(-fear)) "
        "(behavior.p_avoid_max). 0: knowing the data is shared deters nobody.",
        source="assumption: CALIBRATION.md gives the avoidance (healthcare avoidance among migrants 0.33-0.43, "
        "Doctors of the World, JCWI 2021), not how it depends on the policy; the uk-hostile-environment preset sets "
        "1 (63% of that avoidance); sensitivity input",
    )
    fear_of_charging: float = param(
        0.0, ge=0.0, le=100.0, plausible=(0.2, 3.0), unit="fear units",
        description="Standing fear, in every tract, at the place type of a charging point while charging is up "
        "front (upfront_charging), added to fear_of_sharing.",
        source="assumption: Doctors of the World UK 2015 (two thirds of one clinic's pregnant patients, mostly "
        "undocumented, had no antenatal care before the second trimester; fear of charging among the reasons); the "
        "uk-hostile-environment preset sets 1; sensitivity input",
    )


@TRIGGERS.params("custody_transfer")
class CustodyTransferParams(ComponentParams):
    """Jail bookings checked against immigration records (287(g), Secure Communities): detainers and transfers.

    Adults are booked into local jails at rates that depend on their criminal history (a booking brings
    a pending charge); their fingerprints are checked against immigration records (an accurate match:
    the check returns the person's own record). A record showing a removable status brings a detainer;
    a jail honouring it hands the person to immigration custody (a detention without a field scan). A
    record that is wrong (a naturalisation never recorded, a status recorded as expired) detains a
    citizen or lawful resident.
    """

    name: Literal["custody_transfer"] = "custody_transfer"
    bookings_per_year_none: float = param(
        0.03, ge=0.0, le=52.0, plausible=(0.01, 0.06), unit="bookings per adult per year",
        description="Jail bookings a year of an adult with no criminal history (a first arrest: the booking itself "
        "brings a pending charge, so everyone transferred from a jail has a criminal history).",
        source="FBI UCR/BJS: about 7-10 million arrests a year for about 260 million adults (0.03-0.04, repeat "
        "arrests included); sensitivity input",
    )
    bookings_per_year_pending: float = param(
        1.0, ge=0.0, le=52.0, plausible=(0.2, 3.0), unit="bookings per person per year",
        description="Jail bookings a year of a person with a pending criminal charge.",
        source="assumption: a pending charge follows an arrest and brings court dates and re-bookings; sensitivity "
        "input",
    )
    bookings_per_year_convicted: float = param(
        0.2, ge=0.0, le=52.0, plausible=(0.05, 1.0), unit="bookings per person per year",
        description="Jail bookings a year of a person with a past conviction (re-arrests).",
        source="assumption: of the order of published re-arrest rates; sensitivity input",
    )
    p_detainer_honoured: float = param(
        0.7, ge=0.0, le=1.0, plausible=(0.0, 1.0), unit="share of detainers",
        description="Share of detainers that local jails honour (287(g) partners all; sanctuary policies none).",
        source="assumption: depends on the jurisdiction's policies; sensitivity input",
    )


class OperationsParams(Params):
    """Teams, quota and what happens to the people detained."""

    triggers: components(TRIGGERS) = param(
        (SiteVisitParams(), CustodyTransferParams()), unit="list of names or tables",
        description="What brings people before an identification and the decision rules each day, in order: "
        "'site_visit' (teams visit targeted places), 'custody_transfer' (jail bookings checked against "
        "immigration records) and 'status_check' (everyday checks at service points).",
        source="DESIGN.md: a team's visit and a status check at a service point use the same encounter machinery",
    )

    quota_enabled: bool = param(
        True, unit="switch",
        description="Whether teams work under a daily arrest quota. The quota is a floor, not a cap: teams always do "
        "their ordinary, lead-driven workload (sites_per_day_per_100k), and while behind the quota, pressure "
        "escalates (quota_pressure).",
        source="reported 2025 target of 3,000 arrests a day",
    )
    arrests_per_day_national: float = param(
        3000.0, ge=0.0, le=1e6, plausible=(824.0, 3000.0), unit="arrests per day",
        description="National daily arrest target; the metro's quota is its population share of it, "
        "times rel_local_intensity.",
        source="reported 2025 target (realised: about 1,180 a day Oct 2025-Jan 2026, TRAC; 824 a day Jan-Oct "
        "2025, Deportation Data Project)",
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
        0.06, ge=0.0, le=10_000.0, plausible=(0.02, 0.5), unit="sites per day per 100,000 residents",
        description="Ordinary workload at national-average intensity: places the teams visit in a day without "
        "quota pressure, per 100,000 residents; times rel_local_intensity in a surge (a day's count is this "
        "average rounded by a daily draw).",
        source="derived: about 1,180 arrests a day realised nationally (TRAC, Oct 2025-Jan 2026) is 0.35 a day per "
        "100,000 residents; at the defaults the model's site visits yield about 6 arrests each (the richest "
        "addresses first), so about 0.06 site a day per 100,000; the number of teams is not public; sensitivity "
        "input",
    )
    quota_pressure: tuple[Literal["lower_threshold", "scan_wider", "more_sites"], ...] = param(
        ("more_sites",), unit="names",
        description="What teams do, together, while they fall behind the daily quota: 'lower_threshold' (the match "
        "threshold steps down by threshold_step per level); 'scan_wider' (everyone present is scanned, whatever "
        "field.scan_policy says); 'more_sites' (capacity grows by rel_capacity_step per level). The pressure level "
        "rises by one after each day the quota is missed and falls by one after each day it is met, between 0 "
        "and max_pressure_level. An empty list ('none') tracks the level and changes nothing.",
        source="assumption: no public evidence of how teams respond to the reported 3,000-a-day target; street "
        "arrests rose 11-fold against 2024 (Deportation Data Project, Jan 2026): more sites. Scans stay near "
        "0.35 per arrest (Wired 2026), so wider scanning is not the default; sensitivity input",
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
        1.0, gt=0.0, le=3650.0, plausible=(0.25, 7.0), unit="days (median)",
        description="Median days before a citizen or lawful resident detained on someone else's record (a false "
        "match) proves who they are and is released (lognormal with log-sd sigma_wrongful_detention, at least "
        "one night).",
        source="CALIBRATION.md round 2: hours to more than a day for most (about 24 of 170 held over a day "
        "without a call; ProPublica, Oct 2025); lognormal, median about 1 day, long tail (derived)",
    )
    dur_wrongful_detention_record_error: float = param(
        5.0, gt=0.0, le=3650.0, plausible=(1.0, 60.0), unit="days (median)",
        description="Median days before a citizen or lawful resident detained on their own wrong record "
        "(naturalisation not recorded, lawful status recorded as expired, protection held elsewhere, merged "
        "identity) gets the record corrected and is released (lognormal, log-sd sigma_wrongful_detention).",
        source="assumption: proving status against one's own record needs the agency to correct it; documented "
        "cases run from days to years (ProPublica 2025; Los Angeles Times 2018); sensitivity input",
    )
    sigma_wrongful_detention: float = param(
        1.5, gt=0.0, le=5.0, plausible=(0.8, 2.5), unit="log-days",
        description="Log-scale spread of wrongful detention: 1.5 puts 5% of releases beyond about 12 times the "
        "median and a thin tail of years.",
        source="derived from CALIBRATION.md round 2 (median about a day, tail of days to years); sensitivity input",
    )
    p_release_removable: float = param(
        0.03, ge=0.0, le=1.0, plausible=(0.01, 0.16), unit="share of removable detainees",
        description="Share of removable detainees released (bond, parole, alternatives to detention) rather than "
        "removed, on a day drawn uniformly within their time to removal.",
        source="CALIBRATION.md round 2: about 3% released within about 60 days (2025), from about 16% in late "
        "2024 (Deportation Data Project)",
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

    @field_validator("quota_pressure", mode="before")
    @classmethod
    def _responses(cls, v: Any) -> Any:
        if isinstance(v, str):
            return () if v == "none" else (v,)
        if isinstance(v, (list, tuple)) and len(set(v)) != len(v):
            raise ValueError(f"quota_pressure names a response twice: {list(v)}")
        return v

    def arrests_per_day(self, n_people: int) -> float:
        """The metro's share of the national daily arrest target, whether or not a quota is enforced.

        ``arrests_per_day_national x n_people / national_population x rel_local_intensity``: the one
        place this formula lives (the quota, the tip rate and the sources' scale all use it).

        Examples:
            >>> round(OperationsParams().arrests_per_day(100_000), 2)
            4.48
        """
        return self.arrests_per_day_national * n_people / self.national_population * self.rel_local_intensity

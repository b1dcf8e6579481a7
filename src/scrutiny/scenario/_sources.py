"""Parameters of the observation models that feed targeting (data sources).

Every source is switchable, has its own random streams, and is described by its coverage (whom it
holds records on), its error (wrong addresses, wrong people, false alerts) and its recency (how old
its records are when they arrive, how often they are refreshed). Each yields leads (person-at-place
claims with an address confidence 0-100) and records on people who are not targets (bystanders).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field, RootModel, field_validator, model_validator
from pydantic_core import PydanticUndefined

from scrutiny._registry import Registry
from scrutiny.scenario._fields import ComponentParams, Params, component, keyed_validator, param

#: Data sources: every registered source has a block under ``sources.<name>`` (default values when
#: the scenario does not mention it), in registration order, which is also the order of their
#: lead and tally codes.
SOURCES = Registry("sources")

__all__ = [
    "SOURCES",
    "SourcesParams",
    "AdminRecordsParams",
    "BrokerParams",
    "HealthRecordsParams",
    "SchoolRecordsParams",
    "TaxRecordsParams",
    "AgencyParams",
    "PlateReaderParams",
    "CellSiteParams",
    "TipParams",
    "ServiceReportParams",
    "CourtCalendarParams",
    "JailDataParams",
]


@SOURCES.params("admin")
class AdminRecordsParams(ComponentParams):
    """Administrative immigration records: who has one, what status they show, which address."""

    name: Literal["admin"] = "admin"

    enabled: bool = param(
        True, unit="switch", description="Use administrative status records as a lead source.",
        source="DHS holds records on everyone who has applied for or been granted a status",
    )
    p_address_current: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.04, 0.72), unit="share of records",
        description="Mean probability that a record's address is the person's current home.",
        source="CALIBRATION.md: spread of observed match rates (IRS 3.7%, UK schools 21-26%, NHS tracing 72%)",
    )
    p_unrecorded: dict[str, float] = param(
        {"naturalised": 0.05, "protected": 0.2}, ge=0.0, le=1.0, unit="share of the status",
        keyed_by="unrecorded_statuses",
        plausible=(0.01, 0.5),
        description="For each status whose change can go unrecorded (the jurisdiction's 'unrecorded_as'), the "
        "share of its holders whose record still shows the earlier status: naturalised citizens recorded as LPRs "
        "(plausible 0.01-0.15); people with protection (TPS, DACA, pending asylum, parole) recorded as "
        "unauthorised because the protection sits in another system (plausible 0.05-0.5).",
        source="assumption: no published rates; both errors are documented (naturalised citizens flagged by "
        "SAVE/E-Verify; protection held in other systems); sensitivity input",
    )
    p_lawful_recorded_expired: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.01, 0.2), unit="share of lawful non-citizen records",
        description="Lawful statuses that can expire (the jurisdiction's 'can_expire': LPR and visa in the US), "
        "and unrecorded naturalisations, that the record shows as expired.",
        source="assumption: no published rate; sensitivity input",
    )
    p_merged_identity: float = param(
        0.0003, ge=0.0, le=0.1, plausible=(0.0002, 0.0004), unit="share of records",
        description="Records merged with another person's (wrong status shown).",
        source="UK Home Office database: 76,000 people affected (2024), 0.0002-0.0004 of records",
    )
    @field_validator("p_unrecorded")
    @classmethod
    def _unrecorded(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=None)

    mean_record_age_days: float = param(
        365.0, gt=0.0, le=10_000.0, plausible=(90.0, 1500.0), unit="days",
        description="Mean time since a record's address was last confirmed; confidence decays with it.",
        source="assumption: set equal to the decay constant so that mean address validity equals "
        "p_address_current",
    )
    p_refresh_per_day: float = param(
        1.0 / 365.0, ge=0.0, le=1.0, plausible=(1.0 / 1000.0, 1.0 / 90.0), unit="per record per day",
        description="Daily probability that a record's address is confirmed afresh (check-in, renewal, "
        "application, change-of-address form); a refreshed record gives the current address.",
        source="assumption: of the order of one contact a year; sensitivity input",
    )


@SOURCES.params("broker")
class BrokerParams(ComponentParams):
    """Commercial data brokers and utility records (CLEAR-like): names and addresses, no status."""

    name: Literal["broker"] = "broker"

    enabled: bool = param(
        True, unit="switch", description="Use broker and utility records to find the addresses of watch-listed people.",
        source="ICE contracts for Thomson Reuters CLEAR and LexisNexis Accurint (Washington Post 2021)",
    )
    p_coverage: float = param(
        0.9, ge=0.0, le=1.0, plausible=(0.6, 0.98), unit="share of adults",
        description="Share of adult residents with a broker or utility record in their name.",
        source="CALIBRATION.md: CLEAR holds 400M names and addresses, updated daily (Washington Post 2021); "
        "0.9 of adults is an assumption",
    )
    rel_coverage_removable: float = param(
        0.6, ge=0.0, le=1.0, plausible=(0.3, 1.0), unit="x",
        description="Coverage of unauthorised people and people with final orders relative to everyone else "
        "(fewer credit and utility accounts in their own name).",
        source="assumption: direction from reporting on utility-record use against immigrants; sensitivity input",
    )
    p_link_error: float = param(
        0.2, ge=0.0, le=1.0, plausible=(0.05, 0.4), unit="share of records",
        description="Share of broker records linked to the wrong person or a wrong address; the lead's "
        "confidence is 100 x (1 - p_link_error).",
        source="assumption: record linkage on name and date of birth is imperfect; sensitivity input",
    )
    p_refresh_per_day: float = param(
        1.0 / 30.0, ge=0.0, le=1.0, plausible=(1.0 / 180.0, 1.0 / 7.0), unit="per record per day",
        description="Daily probability that a person's broker record is updated and delivered again.",
        source="assumption: the dataset is updated daily (CLEAR), one person's record about monthly",
    )


class _AgencyDataset(Params):
    """One cross-agency dataset shared with enforcement; subclasses set their defaults and sources."""

    enabled: bool = param(True, unit="switch", description="Whether this dataset is shared with enforcement.",
                          source="CMS-DHS agreement (July 2025, AP); IRS-ICE agreement (2025)")


class HealthRecordsParams(_AgencyDataset):
    """Medicaid-like health records: anyone can be enrolled."""

    p_coverage: float = param(
        0.236, ge=0.0, le=1.0, plausible=(0.1, 0.4), unit="share of residents",
        description="Share of residents with a record in the dataset.",
        source="CALIBRATION.md: about 79M Medicaid enrollees of 335M residents shared (CMS-DHS, AP July 2025)",
    )
    rel_coverage_removable: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.1, 1.0), unit="x",
        description="Coverage of unauthorised people and people with final orders relative to everyone else.",
        source="assumption: most are ineligible for full Medicaid but appear through emergency Medicaid; "
        "sensitivity input",
    )
    p_address_current: float = param(
        0.72, ge=0.0, le=1.0, plausible=(0.04, 0.72), unit="share of records",
        description="Share of records that yield the person's valid current address (used as the lead's confidence).",
        source="CALIBRATION.md: NHS tracing success 72% (5,854 of 8,127 requests, 2016)",
    )
    p_refresh_per_day: float = param(
        1.0 / 30.0, ge=0.0, le=1.0, plausible=(1.0 / 365.0, 1.0 / 7.0), unit="per record per day",
        description="Daily probability that a person's record is updated and shared again.",
        source="assumption: monthly eligibility and enrolment updates; sensitivity input",
    )


class SchoolRecordsParams(_AgencyDataset):
    """School records: children, giving the family's address."""

    p_coverage: float = param(
        0.9, ge=0.0, le=1.0, plausible=(0.7, 1.0), unit="share of children",
        description="Share of children with a school record.",
        source="assumption: nearly all school-age children are enrolled; sensitivity input",
    )
    rel_coverage_removable: float = param(
        1.0, ge=0.0, le=1.0, plausible=(0.7, 1.0), unit="x",
        description="Coverage of unauthorised children and children with final orders relative to others.",
        source="assumption: Plyler v. Doe guarantees enrolment whatever the status",
    )
    p_address_current: float = param(
        0.26, ge=0.0, le=1.0, plausible=(0.21, 0.26), unit="share of records",
        description="Share of records that yield the person's valid current address (used as the lead's confidence).",
        source="CALIBRATION.md: UK school-records matches 1,780 of 6,883, 2015-2022 (21-26%)",
    )
    p_refresh_per_day: float = param(
        1.0 / 90.0, ge=0.0, le=1.0, plausible=(1.0 / 365.0, 1.0 / 30.0), unit="per record per day",
        description="Daily probability that a pupil's record is updated and shared again.",
        source="assumption: termly census returns; sensitivity input",
    )


class TaxRecordsParams(_AgencyDataset):
    """Tax records: adults who file, ITIN filers included."""

    p_coverage: float = param(
        0.7, ge=0.0, le=1.0, plausible=(0.5, 0.9), unit="share of adults",
        description="Share of adults with a tax record.",
        source="assumption: rounded from IRS individual returns per adult; sensitivity input",
    )
    rel_coverage_removable: float = param(
        0.6, ge=0.0, le=1.0, plausible=(0.3, 1.0), unit="x",
        description="Coverage of unauthorised adults and adults with final orders relative to others (ITIN filers).",
        source="assumption: ITEP estimates that about half or more of unauthorised workers file taxes; "
        "sensitivity input",
    )
    p_address_current: float = param(
        0.037, ge=0.0, le=1.0, plausible=(0.02, 0.1), unit="share of records",
        description="Share of records that yield the person's valid current address (used as the lead's confidence).",
        source="CALIBRATION.md: IRS-ICE address matches 47,000 of 1.28M requested (3.7%)",
    )
    p_refresh_per_day: float = param(
        1.0 / 365.0, ge=0.0, le=1.0, plausible=(1.0 / 730.0, 1.0 / 90.0), unit="per record per day",
        description="Daily probability that a person's tax record is updated and shared again.",
        source="assumption: one return a year",
    )


@SOURCES.params("agency")
class AgencyParams(ComponentParams):
    """Cross-agency data sharing: addresses of watch-listed people and inferred status flags."""

    name: Literal["agency"] = "agency"
    enabled: bool = param(
        True, unit="switch", description="Whether any cross-agency dataset is shared (each also has its own switch).",
        source="CMS-DHS agreement (July 2025, AP); IRS-ICE agreement (2025)",
    )

    health: HealthRecordsParams = Field(default_factory=HealthRecordsParams, description="Health records.")
    school: SchoolRecordsParams = Field(default_factory=SchoolRecordsParams, description="School records.")
    tax: TaxRecordsParams = Field(default_factory=TaxRecordsParams, description="Tax records.")
    p_flag_removable: float = param(
        0.3, ge=0.0, le=1.0, plausible=(0.05, 0.8), unit="share of covered removable people",
        description="Share of the unauthorised and people with final orders in a dataset that cross-database "
        "status inference flags as removable (each flag becomes a lead even without an immigration record).",
        source="assumption: no published sensitivity; sensitivity input",
    )
    false_flag_share: float = param(
        0.46, ge=0.0, lt=1.0, plausible=(0.1, 0.78), unit="share of flags",
        description="Share of status-inference flags that fall on foreign-born people who are not removable "
        "(naturalised citizens, LPRs, visa holders, protected people).",
        source="CALIBRATION.md: HMRC child-benefit suspensions from travel records, 2025 pilot (46%; 78% in "
        "Northern Ireland)",
    )


@SOURCES.params("plates")
class PlateReaderParams(ComponentParams):
    """Automated licence-plate readers: every passing vehicle read and retained; hot-list hits."""

    name: Literal["plates"] = "plates"

    enabled: bool = param(True, unit="switch", description="Use licence-plate readers as a lead source.",
                          source="reporting on ICE access to Flock and Vigilant LPR networks (2025)")
    cameras_per_100k: float = param(
        20.0, ge=0.0, le=10_000.0, plausible=(2.0, 100.0), unit="cameras per 100,000 residents",
        description="Fixed plate-reader cameras in the metro.",
        source="assumption: of the order of Flock's reported 40,000-80,000 US cameras; sensitivity input",
    )
    share_at_places: float = param(
        0.3, ge=0.0, le=1.0, plausible=(0.0, 0.6), unit="share of cameras",
        description="Share of cameras watching a place's car park or entrance (workplaces, schools, clinics, "
        "churches, courthouses); the rest watch roads. A hit at a place pins the person at that place; a hit "
        "on a road pins the vehicle's registered address.",
        source="assumption: retail, business and HOA customers place cameras at sites; sensitivity input",
    )
    reads_per_camera_per_day: float = param(
        1000.0, ge=0.0, le=1e6, plausible=(100.0, 10_000.0), unit="reads per camera per day",
        description="Vehicles passing (and read by) one camera a day; every read is retained.",
        source="assumption: no published per-camera figure; sensitivity input",
    )
    p_hot_list: float = param(
        0.002, ge=0.0, le=1.0, plausible=(0.001, 0.005), unit="share of reads",
        description="Share of reads that hit any hot list.",
        source="CALIBRATION.md: ACLU Maryland 2013; EFF (0.995-0.999 of reads are of vehicles not under suspicion)",
    )
    p_false_alert: float = param(
        0.15, ge=0.0, le=1.0, plausible=(0.05, 0.35), unit="share of hits",
        description="Share of hits that are false alerts (misread plate, wrong state, stale entry): the "
        "vehicle read is not the one on the list.",
        source="CALIBRATION.md: Flock/Vallejo summary",
    )
    p_immigration_entry: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.0, 0.3), unit="share of hits",
        description="Share of hot-list hits on an immigration entry (a watch-listed person's vehicle); the "
        "rest (stolen vehicles, warrants) yield no immigration lead.",
        source="assumption: NCIC holds an Immigration Violators File; its share of hits is not public",
    )
    hit_confidence: float = param(
        60.0, ge=0.0, le=100.0, plausible=(20.0, 90.0), unit="confidence 0-100",
        description="Address confidence the targeting model gives a plate-reader hit.",
        source="assumption: a recent sighting; sensitivity input",
    )
    retention_days: float = param(
        30.0, ge=1.0, le=36_500.0, plausible=(30.0, 1825.0), unit="days",
        description="Days reads are retained (reported as the reads held at each day's end).",
        source="CALIBRATION.md: Flock default 30 days; LAPD up to 5 years",
    )


@SOURCES.params("cell")
class CellSiteParams(ComponentParams):
    """Cell-site simulators: deployed at a place for a time, capturing every phone present."""

    name: Literal["cell"] = "cell"

    enabled: bool = param(True, unit="switch", description="Use cell-site simulators to locate watch-listed people.",
                          source="BuzzFeed News FOIA: HSI used cell-site simulators 1,885 times over 4.8 years")
    deployments_per_year_national: float = param(
        390.0, ge=0.0, le=1e6, plausible=(100.0, 2000.0), unit="deployments per year",
        description="National deployments a year; the metro's share scales like the arrest target (population "
        "share x operations.rel_local_intensity).",
        source="CALIBRATION.md: about 390 a year (HSI; BuzzFeed FOIA, 1,885 over 4.8 years)",
    )
    phones_per_deployment: float = param(
        1000.0, ge=0.0, le=1e7, plausible=(100.0, 10_000.0), unit="phones",
        description="Phones captured by one deployment (everyone in range, bystanders included).",
        source="CALIBRATION.md: no measured range, free parameter (urban ground; airborne 10,000+)",
    )
    p_link_error: float = param(
        0.1, ge=0.0, le=1.0, plausible=(0.01, 0.3), unit="share",
        description="Probability that the phone linked to the target belongs to someone else, so the lead points "
        "at a bystander's home.",
        source="assumption: phone-to-person linking is unmeasured; sensitivity input",
    )
    locate_confidence: float = param(
        90.0, ge=0.0, le=100.0, plausible=(50.0, 99.0), unit="confidence 0-100",
        description="Address confidence the targeting model gives a phone located by a deployment.",
        source="assumption: a located phone is strong evidence; sensitivity input",
    )


@SOURCES.params("tips")
class TipParams(ComponentParams):
    """Tips from the public: reported leads that arrive whatever the day's allocation."""

    name: Literal["tips"] = "tips"

    enabled: bool = param(True, unit="switch", description="Use tips from the public as a lead source.",
                          source="ICE tip line and online tip form")
    share_reported: float = param(
        0.1, ge=0.0, lt=1.0, plausible=(0.0, 0.5), unit="share",
        description="Reported/discovered mix: tips a day as a share of tips plus the day's nominal arrests "
        "(tips = share / (1 - share) x the metro's daily arrest target). Reported leads arrive where removable "
        "people are, whatever the allocation, and damp the runaway loop (Ensign et al. 2018).",
        source="assumption: no published tip volume per arrest; sensitivity input",
    )
    p_false_tip: float = param(
        0.4, ge=0.0, le=1.0, plausible=(0.1, 0.8), unit="share of tips",
        description="Share of tips that name someone who is not removable (mistaken or malicious: a neighbour "
        "in the same tract).",
        source="assumption: tip lines attract mistaken and malicious reports; sensitivity input",
    )
    tip_confidence: float = param(
        50.0, ge=0.0, le=100.0, plausible=(10.0, 90.0), unit="confidence 0-100",
        description="Address confidence the targeting model gives a tip.",
        source="assumption: a named person at a given address; sensitivity input",
    )


@SOURCES.params("jail_data")
class JailDataParams(ComponentParams):
    """Jail booking data (287(g), Secure Communities): addresses of watch-listed people with a criminal history."""

    name: Literal["jail_data"] = "jail_data"
    enabled: bool = param(
        True, unit="switch", description="Use jail booking data as a lead source.",
        source="287(g) agreements (more than 1,000 by late 2025) and Secure Communities share bookings with ICE",
    )
    confidence: float = param(
        70.0, ge=0.0, le=100.0, plausible=(30.0, 95.0), unit="confidence 0-100",
        description="Address confidence the targeting model gives a booking address.",
        source="assumption: a recent booking gives a recent address; sensitivity input",
    )
    p_refresh_per_day: float = param(
        1.0 / 180.0, ge=0.0, le=1.0, plausible=(1.0 / 730.0, 1.0 / 30.0), unit="per person per day",
        description="Daily probability that a watch-listed person's booking address is confirmed again (a new "
        "booking, a court date).",
        source="assumption: court dates and re-bookings every few months; sensitivity input",
    )


@SOURCES.params("court_calendar")
class CourtCalendarParams(ComponentParams):
    """Immigration court calendars: hearings of people with pending cases, on known days, at known courts."""

    name: Literal["court_calendar"] = "court_calendar"
    enabled: bool = param(
        True, unit="switch", description="Use immigration court calendars as a lead source.",
        source="CALIBRATION.md round 2: arrests at immigration-court hearings since 2025 (people with pending cases "
        "appear on a known day)",
    )
    hearing_confidence: float = param(
        80.0, ge=0.0, le=100.0, plausible=(50.0, 95.0), unit="confidence 0-100",
        description="Address confidence the targeting model gives a scheduled hearing (the person is expected at "
        "the courthouse that day).",
        source="assumption: a scheduled appearance is strong evidence of presence; sensitivity input",
    )


@SOURCES.params("service_reports")
class ServiceReportParams(ComponentParams):
    """Reports from service points (status checks) to enforcement: data shared, delivered as leads."""

    name: Literal["service_reports"] = "service_reports"
    enabled: bool = param(
        True, unit="switch",
        description="Whether service points that check status share the people they refuse with enforcement "
        "(off: the firewall between services and enforcement). Nothing is reported unless an "
        "operations.triggers entry checks status.",
        source="UK: NHS Digital-Home Office MoU (2017-2018), school census data sharing (2016-2018), landlord and "
        "employer penalties; US: no everyday checks in the us-interior preset",
    )
    report_confidence: float = param(
        80.0, ge=0.0, le=100.0, plausible=(50.0, 95.0), unit="confidence 0-100",
        description="Address confidence the targeting model gives a report or a trace from a service point; the "
        "address shared is the person's current home with this probability (a calibrated confidence), otherwise a "
        "former address (another home in the same area half the time, anywhere in the metro otherwise).",
        source="CALIBRATION.md: NHS tracing found a current address for 72% of requests (2016); rounded up for "
        "a service the person just used; sensitivity input",
    )
    blocked_points: tuple[str, ...] = param(
        (), unit="names", names_of="service_points",
        description="Service points whose data never reaches enforcement (a firewall): they report nobody and "
        "answer no trace request, and knowing so deters nobody (operations.triggers.status_check.fear_of_sharing).",
        source="Digital Sanctuary: a firewall between health and education data and enforcement (the NHS Digital-Home "
        "Office MoU was withdrawn on 9 Nov 2018); a safeguard to test",
    )
    traces_per_year_national: dict[str, float] = param(
        {}, ge=0.0, le=1e7, unit="requests per year by service point", names_of="service_points",
        description="Per service point, trace requests a year nationally from enforcement to the service's records "
        "(scaled to the metro by its population share times operations.rel_local_intensity); each names a person on "
        "enforcement's watch list (a record showing a removable status). A point not named: none.",
        source="CALIBRATION.md (United Kingdom, both parts): NHS Digital 8,127 requests Jan-Nov 2016, 8,866 a year "
        "(the preset's gp_registration value); school records 6,883 requests 2015-2022, 983 a year "
        "(school_admission)",
    )
    p_traced: dict[str, float] = param(
        {}, ge=0.0, le=1.0, unit="share of requests by service point", names_of="service_points",
        description="Per service point, the share of trace requests that return an address (a lead). A point not "
        "named: 0.",
        source="CALIBRATION.md: NHS tracing 0.72 (5,854 of 8,127, 2016); school-records matches 0.26 (1,780 of "
        "6,883, 2015-2022)",
    )
    share_address: bool = param(
        True, unit="switch",
        description="Whether a service shares the address it holds. Off (data minimisation): a report says only that "
        "a check failed, so enforcement can use only the address on its own record (admin.p_address_current), and "
        "a trace request returns nothing.",
        source="Digital Sanctuary: data minimisation; a safeguard to test",
    )
    retention_days: float = param(
        36500.0, ge=1.0, le=36500.0, plausible=(30.0, 36500.0), unit="days",
        description="How long a service keeps what it learned at a check. A report due later than this (an unpaid "
        "debt) is never made; a trace request finds a person only if their last contact with the service lies "
        "within it (contacts at the service point's flow rate: a share 1 - exp(-rate x retention) of its users).",
        source="assumption: records kept indefinitely by default; short retention is a safeguard to test",
    )


class SourcesParams(RootModel):
    """All data sources, one block per registered source (``sources.<name>``); each is switchable.

    Access a source's block as an attribute (``scenario.sources.plates``) or by name
    (``scenario.sources["plates"]``).
    """

    model_config = ConfigDict(frozen=True)
    component_registry: ClassVar[Registry] = SOURCES

    root: dict[str, component(SOURCES)] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _every_source(cls, data: Any) -> Any:
        if isinstance(data, SourcesParams):
            return data.root
        if data is PydanticUndefined or data is None:
            data = {}
        if not isinstance(data, dict):
            raise ValueError(f"sources must be a table of source blocks ({list(SOURCES.names())}); got {data!r}")
        data = dict(data)
        unknown = [k for k in data if k not in SOURCES]
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; allowed: {list(SOURCES.names())}")
        out = {}
        for name in SOURCES.names():
            value = data.get(name, {})
            if isinstance(value, dict):
                if value.get("name", name) != name:
                    raise ValueError(f"sources.{name}.name must be {name!r} (the block's key); got {value['name']!r}")
                value = {**value, "name": name}
            out[name] = value
        return out

    def __getattr__(self, name: str) -> Any:
        root = self.__dict__.get("root")
        if root is not None and name in root:
            return root[name]
        return super().__getattr__(name)

    def __getitem__(self, name: str) -> ComponentParams:
        return self.root[name]

    @classmethod
    def entries(cls, instance: SourcesParams | None) -> list[tuple[str, type[Params], Any]]:
        """``(key, parameter class, block)`` of each registered source."""
        return [(name, SOURCES.params_class(name), instance[name] if instance is not None else None)
                for name in SOURCES.names()]

    def __iter__(self):
        return iter(self.root)

"""Parameters of the synthetic metro: population, legal status, households, places and schedules."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from scrutiny.codes import RACES, SECTORS
from scrutiny.scenario._fields import Params, keyed_validator, mix_validator, param

__all__ = ["WorldParams", "PlaceParams"]

_FOREIGN_STATUSES = ("naturalised", "lpr", "visa", "unauthorised")
ShareVector = Annotated[tuple[float, ...], Field(min_length=1)]


class PlaceParams(Params):
    """How many places of each type the metro has, how big they are and who visits them."""

    p_apartment: float = param(
        0.26, ge=0.0, le=1.0, plausible=(0.15, 0.45), unit="share of households",
        description="Share of households living in apartment complexes rather than single-family homes.",
        source="assumption: rounded from ACS 2023 units in structure (B25024), multi-unit share",
    )
    households_per_complex: float = param(
        30.0, ge=2.0, le=1000.0, plausible=(10.0, 100.0), unit="households",
        description="Mean number of households in one apartment complex.",
        source="assumption: no public figure for target complexes; sensitivity input",
    )
    rel_apartment_immigrant: float = param(
        1.5, ge=0.0, le=5.0, plausible=(1.0, 2.5), unit="x",
        description="Relative odds that an immigrant household lives in an apartment complex.",
        source="assumption: immigrants are more often renters in multi-unit buildings (direction from ACS tenure)",
    )
    p_employed: float = param(
        0.60, ge=0.0, le=1.0, plausible=(0.5, 0.7), unit="share of adults",
        description="Share of adults who go to a workplace on a working day.",
        source="BLS employment-population ratio, 2023 (about 0.60)",
    )
    sector_mix_native: ShareVector = param(
        (0.70, 0.20, 0.06, 0.035, 0.005), ge=0.0, le=1.0, unit="shares over sectors",
        description=f"Workers' sectors for people not unauthorised, in the order {list(SECTORS)}.",
        source="assumption: rounded from BLS employment by industry",
    )
    sector_mix_unauthorised: ShareVector = param(
        (0.35, 0.25, 0.20, 0.12, 0.08), ge=0.0, le=1.0, unit="shares over sectors",
        description=f"Workers' sectors for unauthorised people and people with final orders ({list(SECTORS)}).",
        source="assumption: direction from Pew Research (unauthorised over-represented in construction, "
        "agriculture and food processing); day labour share illustrative",
    )
    workplace_size: ShareVector = param(
        (40.0, 15.0, 20.0, 80.0, 25.0), ge=1.0, le=100_000.0, unit="workers",
        description=f"Mean workers per workplace by sector ({list(SECTORS)}).",
        source="assumption: illustrative establishment sizes (BLS QCEW order of magnitude)",
    )
    commute_scale: float = param(
        2.0, gt=0.0, le=100.0, plausible=(1.0, 5.0), unit="tract widths",
        description="Distance scale of the exponential commute kernel between tracts.",
        source="assumption: most commutes stay within a few tracts of home",
    )
    children_per_school: float = param(
        500.0, ge=50.0, le=5000.0, unit="children",
        description="Children per school; each child attends a school in the home tract.",
        source="NCES: average public school enrolment about 500",
    )
    people_per_clinic: float = param(
        5000.0, ge=100.0, le=1e6, plausible=(2000.0, 10000.0), unit="residents",
        description="Residents per clinic (community health centres and practices).",
        source="assumption: illustrative density of primary-care sites",
    )
    people_per_church: float = param(
        1000.0, ge=100.0, le=1e6, unit="residents",
        description="Residents per congregation.",
        source="Hartford Institute: about 350,000-380,000 US congregations for 335M people",
    )
    people_per_courthouse: float = param(
        250_000.0, ge=1000.0, le=1e8, plausible=(100_000.0, 1_000_000.0), unit="residents",
        description="Residents per courthouse (at least one per metro).",
        source="assumption: illustrative",
    )
    people_per_protest_site: float = param(
        100_000.0, ge=1000.0, le=1e8, plausible=(50_000.0, 500_000.0), unit="residents",
        description="Residents per protest site (at least one per metro).",
        source="assumption: illustrative",
    )
    p_home_at_dawn: float = param(
        0.9, ge=0.0, le=1.0, plausible=(0.8, 0.98), unit="share",
        description="Probability that a resident is at home when a residence is raided at dawn.",
        source="assumption: most people sleep at home; sensitivity input",
    )
    p_at_day_place: float = param(
        0.9, ge=0.0, le=1.0, plausible=(0.8, 0.98), unit="share",
        description="Probability that a worker or pupil is at their workplace or school on a working day.",
        source="assumption: absence, leave and shifts; sensitivity input",
    )
    p_visit_clinic: float = param(
        0.01, ge=0.0, le=1.0, plausible=(0.005, 0.02), unit="per person per day",
        description="Daily probability that a resident visits a clinic in the home tract.",
        source="assumption: about 3.5 ambulatory visits a year (CDC NAMCS order of magnitude)",
    )
    p_visit_church_sunday: float = param(
        0.25, ge=0.0, le=1.0, unit="per person per Sunday",
        description="Probability that a resident attends a congregation in the home tract on a Sunday.",
        source="Gallup: about 30% of US adults attend weekly or almost weekly",
    )
    p_visit_courthouse: float = param(
        0.0005, ge=0.0, le=1.0, plausible=(0.0001, 0.002), unit="per person per day",
        description="Daily probability that a resident attends a courthouse.",
        source="assumption: illustrative",
    )
    p_attend_hearing: float = param(
        0.8, ge=0.0, le=1.0, plausible=(0.5, 0.95), unit="share of hearings",
        description="Probability that a person with a hearing attends it (and is present at the courthouse).",
        source="assumption: EOIR records many in-absentia orders for non-detained cases; sensitivity input",
    )
    p_protest_day: float = param(
        0.1, ge=0.0, le=1.0, plausible=(0.02, 0.3), unit="share of days",
        description="Share of days on which a protest site hosts an event.",
        source="assumption: illustrative; protest days are drawn per site",
    )
    p_attend_protest: float = param(
        0.002, ge=0.0, le=1.0, plausible=(0.0005, 0.01), unit="per resident per event",
        description="Probability that a resident attends a protest event at a given site.",
        source="assumption: illustrative",
    )

    @field_validator("sector_mix_native", "sector_mix_unauthorised")
    @classmethod
    def _sector_mix(cls, v: tuple[float, ...], info) -> tuple[float, ...]:
        mix_validator({"v": v}, allowed=("v",), field=info.field_name, width=len(SECTORS))
        return v

    @field_validator("workplace_size")
    @classmethod
    def _sizes(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if len(v) != len(SECTORS) or any(s < 1.0 for s in v):
            raise ValueError(f"need {len(SECTORS)} sizes >= 1 (one per sector {list(SECTORS)}); got {list(v)}")
        return v


class WorldParams(Params):
    """The synthetic metro: size, composition, segregation and households."""

    geography: str = param(
        "synthetic", unit="'synthetic' or folder",
        description="'synthetic' for the embedded synthetic metro, the name of a geography shipped with the "
        "package ('hennepin-mn': Hennepin County, MN, ACS 2019-2023, 329 tracts), or a folder of public tract "
        "aggregates (tract_aggregates.csv and tracts.geojson); with imported tracts the population is the "
        "aggregates' total and n_people is ignored.",
        source="DESIGN.md: real geography enters only as public census aggregates",
    )
    n_people: int = param(
        100_000, ge=1_000, le=2_000_000_000, unit="people",
        description="Synthetic residents of the metro.",
        source="choice of the analyst (scales the metro; rates are per resident)",
    )
    tract_population: int = param(
        4_000, ge=200, le=100_000, unit="people",
        description="Mean residents per tract; the metro has about n_people / tract_population tracts on a grid.",
        source="US Census Bureau tract criteria: optimum 4,000 (1,200-8,000)",
    )
    segregation: float = param(
        0.6, ge=0.0, le=1.0, plausible=(0.0, 1.0), unit="index 0-1",
        description="How strongly foreign-born residents concentrate in enclave tracts (0 = uniform).",
        source="assumption: free parameter; 0.6 gives foreign-born tract shares from about 0.03 to 0.45, "
        "the range CALIBRATION.md gives by area",
    )
    composition: Literal["us_foreign_born", "shares"] = param(
        "us_foreign_born", unit="name",
        description="How the metro's status mix is set: 'us_foreign_born' derives it from the US figures below "
        "(foreign-born share, their status mix, protection, final orders, metro over-representation); 'shares' "
        "takes status_shares as given (any jurisdiction).",
        source="CALIBRATION.md: the US figures; other jurisdictions give their own shares",
    )
    status_shares: dict[str, float] = param(
        {}, ge=0.0, le=1.0, unit="shares of residents", keyed_by="statuses",
        description="Under composition 'shares': the share of residents of each of the jurisdiction's statuses "
        "(summing to 1); ignored (and may be empty) otherwise.",
        source="set by a jurisdiction's preset, with its sources",
    )
    p_foreign_born: float = param(
        0.143, ge=0.0, le=1.0, plausible=(0.05, 0.45), unit="share of residents",
        description="Share of residents born abroad.",
        source="ACS 2023 (47.8M foreign-born)",
    )
    foreign_born_mix: dict[str, float] = param(
        {"naturalised": 0.49, "lpr": 0.19, "visa": 0.05, "unauthorised": 0.27},
        ge=0.0, le=1.0, unit="shares of the foreign-born",
        description="Status mix of the foreign-born before protection and final orders are split out "
        "(naturalised / LPR / temporary visa / unauthorised).",
        source="MPI/Pew 2023 (Pew 2022: 0.49 / 0.24 / 0.04 / 0.23)",
    )
    p_protected: float = param(
        0.43, ge=0.0, le=1.0, plausible=(0.3, 0.5), unit="share of unauthorised",
        description="Share of the unauthorised with some protection (TPS, DACA, pending asylum, parole).",
        source="Pew 2025 (about 6M of 14M)",
    )
    p_final_order: float = param(
        0.10, ge=0.0, le=1.0, plausible=(0.05, 0.2), unit="share of unprotected unauthorised",
        description="Share of the unprotected unauthorised who have a final order of removal.",
        source="assumption: order of magnitude of ICE's non-detained docket with final orders "
        "(about 1.4M) against about 8M unprotected unauthorised; sensitivity input",
    )
    rel_unauthorised_metro: float = param(
        1.7, ge=0.0, le=5.0, plausible=(1.0, 2.0), unit="x",
        description="Over-representation of the unauthorised in a large metro compared with the nation.",
        source="Pew: top-20 metros hold 61% of the unauthorised vs 36% of all residents",
    )
    race_mix: dict[str, ShareVector] = param(
        {
            "citizen_birth": (0.67, 0.14, 0.16, 0.03),
            "naturalised": (0.17, 0.10, 0.33, 0.40),
            "lpr": (0.15, 0.12, 0.45, 0.28),
            "visa": (0.20, 0.08, 0.22, 0.50),
            "protected": (0.08, 0.12, 0.70, 0.10),
            "unauthorised": (0.05, 0.07, 0.77, 0.11),
            "final_order": (0.05, 0.08, 0.77, 0.10),
        },
        ge=0.0, le=1.0, unit=f"shares over {list(RACES)}", keyed_by="statuses",
        description="Race/ethnicity of each status group (sex is split evenly).",
        source="Warren Institute: Latinos 77% of the unauthorised; other rows assumption: rounded from ACS "
        "2023 race by nativity and MPI region-of-birth tables",
    )
    p_child_native: float = param(
        0.22, ge=0.0, le=1.0, unit="share",
        description="Share of native-born residents under 18.",
        source="ACS 2023: about 22% of residents are under 18",
    )
    p_child_foreign: float = param(
        0.06, ge=0.0, le=1.0, unit="share",
        description="Share of foreign-born residents under 18.",
        source="ACS 2023: about 2.7M of 47.8M foreign-born are under 18",
    )
    household_size: float = param(
        2.5, ge=1.0, le=10.0, unit="people",
        description="Mean size of households without a foreign-born member.",
        source="ACS 2023: average household size 2.5",
    )
    immigrant_household_size: float = param(
        3.3, ge=1.0, le=12.0, plausible=(2.8, 4.0), unit="people",
        description="Mean size of households with a foreign-born member.",
        source="assumption: rounded from ACS households by nativity of householder",
    )
    rel_native_in_immigrant_households: float = param(
        0.5, ge=0.0, le=3.0, plausible=(0.3, 0.8), unit="natives per foreign-born",
        description="Native-born residents (mostly children) living in households with a foreign-born member, "
        "per foreign-born resident.",
        source="assumption: tuned so that about 1 in 15 residents lives in a mixed-status household (FWD.us: 22M)",
    )
    p_documented_with_undocumented: float = param(
        0.15, ge=0.0, le=1.0, plausible=(0.05, 0.3), unit="share of documented foreign-born",
        description="Share of documented foreign-born residents (naturalised, LPR, visa) living with "
        "undocumented relatives.",
        source="assumption: tuned with rel_native_in_immigrant_households so that about 1 in 15 residents "
        "lives in a mixed-status household at national composition (FWD.us: 22M)",
    )
    p_conviction: dict[str, float] = param(
        {"citizen_birth": 0.08, "naturalised": 0.04, "lpr": 0.04, "visa": 0.01, "protected": 0.03,
         "unauthorised": 0.07, "final_order": 0.15},
        ge=0.0, le=1.0, unit="share of adults by status", keyed_by="statuses", plausible=(0.0, 0.3),
        description="Share of adults of each status with a criminal conviction.",
        source="MPI 2016: about 820,000 of about 11 million unauthorised immigrants have a conviction (0.075; "
        "range 0.05-0.10, split here 0.07 unauthorised and 0.15 with a final order, many of which follow a "
        "criminal case); other statuses assumption (about 8% of US adults have a felony conviction, Shannon et "
        "al. 2017; lower for recent immigrants); sensitivity input",
    )
    p_pending_charge: dict[str, float] = param(
        {"citizen_birth": 0.02, "naturalised": 0.01, "lpr": 0.01, "visa": 0.005, "protected": 0.02,
         "unauthorised": 0.03, "final_order": 0.05},
        ge=0.0, le=1.0, unit="share of adults by status", keyed_by="statuses", plausible=(0.0, 0.2),
        description="Share of adults of each status with a pending criminal charge and no conviction.",
        source="assumption: no published count by status; sensitivity input",
    )
    p_pending_case: dict[str, float] = param(
        {"citizen_birth": 0.0, "naturalised": 0.0, "lpr": 0.0, "visa": 0.0, "protected": 0.6,
         "unauthorised": 0.3, "final_order": 0.0},
        ge=0.0, le=1.0, unit="share of adults by status", keyed_by="statuses", plausible=(0.0, 1.0),
        description="Share of adults of each status with a pending immigration case (hearings at an immigration "
        "court on known days).",
        source="assumption from EOIR's backlog (about 3.7 million pending cases in 2025) against about 14 million "
        "unauthorised people (Pew 2025), most of the protected (pending asylum, parole) in proceedings; final "
        "orders have no hearing; sensitivity input",
    )
    hearings_per_year: float = param(
        1.5, ge=0.0, le=52.0, plausible=(0.5, 4.0), unit="hearings per year",
        description="Hearings a year for a person with a pending case (master calendar and individual hearings).",
        source="assumption: cases take years with a hearing every several months (EOIR practice); sensitivity input",
    )
    places: PlaceParams = Field(default_factory=PlaceParams, description="Places and visits.")

    @field_validator("p_conviction", "p_pending_charge", "p_pending_case")
    @classmethod
    def _history(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=None)

    @field_validator("status_shares")
    @classmethod
    def _status_shares(cls, v: dict[str, float]) -> dict[str, float]:
        if v:
            mix_validator(v, allowed=None, field="status_shares")
        return v

    @field_validator("foreign_born_mix")
    @classmethod
    def _fb_mix(cls, v: dict[str, float]) -> dict[str, float]:
        return mix_validator(v, allowed=_FOREIGN_STATUSES, field="foreign_born_mix")

    @field_validator("race_mix")
    @classmethod
    def _race_mix(cls, v: dict[str, tuple[float, ...]]) -> dict[str, tuple[float, ...]]:
        return mix_validator(v, allowed=None, field="race_mix", width=len(RACES))

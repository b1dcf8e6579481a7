"""Parameters of the ELITE-like place-targeting model."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from scrutiny._registry import Registry
from scrutiny.codes import PLACE_TYPES, SECTORS
from scrutiny.scenario._fields import ComponentParams, Params, component, param

__all__ = ["TargetingParams", "SELECTION_POLICIES", "POLICIES"]

#: Selection policies: ``targeting.policy`` names one; its block holds that policy's own parameters.
SELECTION_POLICIES = Registry("targeting.policy")


@SELECTION_POLICIES.params("dense_first")
class DenseFirstParams(ComponentParams):
    """Highest scores first, lone low-confidence pins skipped, past arrests counted uncorrected."""

    name: Literal["dense_first"] = "dense_first"
    lone_pin_min_confidence: float = param(
        10.0, ge=0.0, le=100.0, plausible=(0.0, 30.0), unit="confidence 0-100",
        description="A place whose only lead is a single pin below this address confidence is skipped.",
        source="sworn deposition of an ICE officer (Woodburn, Oregon raid): skip lone pins at about 10%",
    )


@SELECTION_POLICIES.params("probability_matching")
class ProbabilityMatchingParams(ComponentParams):
    """Places drawn with probability proportional to their score; feedback uncorrected (Ensign et al.'s urn)."""

    name: Literal["probability_matching"] = "probability_matching"


@SELECTION_POLICIES.params("thompson")
class ThompsonParams(ComponentParams):
    """Each place's arrests per visit drawn from its posterior; highest draws first."""

    name: Literal["thompson"] = "thompson"
    prior_visits: float = param(
        1.0, gt=0.0, le=1000.0, plausible=(0.1, 10.0), unit="visits",
        description="Strength of the data-based score as a prior on arrests per visit, in pseudo-visits "
        "(Gamma(k x score + arrests, k + visits)).",
        source="assumption: one visit's worth of evidence; sensitivity input",
    )


@SELECTION_POLICIES.params("feedback_corrected")
class FeedbackCorrectedParams(ComponentParams):
    """Probability matching with each arrest's update corrected for the chance its place was visited."""

    name: Literal["feedback_corrected"] = "feedback_corrected"
    correction: Literal["thin", "weight"] = param(
        "thin", unit="name",
        description="How an arrest's update is corrected for the chance its place was visited: 'thin' keeps "
        "it with probability min_j p_j / p_i over today's candidates (Ensign et al.'s fix: every place gains "
        "in proportion to its true rate, at the pace of the least-visited place); 'weight' counts it "
        "p_mean / p_i times, capped at max_weight (inverse-probability weighting: less noise, but a starved "
        "place can stay starved once feedback decays).",
        source="Ensign et al. 2018 (FAT*) for thinning; the default follows the truth check in "
        "tests/unit/targeting/test_runaway.py (a 100:1 prior with 1% daily decay: thinning converges for every "
        "seed in 0-99, weighting misses on 66)",
    )
    max_weight: float = param(
        10.0, ge=1.0, le=1e6, plausible=(2.0, 100.0), unit="x",
        description="Largest weight an arrest can receive under correction = 'weight' (weight = mean visit "
        "probability / the place's visit probability); caps the variance a lucky raid at a rarely chosen place "
        "would add.",
        source="assumption: variance control for the inverse-probability weights; sensitivity input",
    )


@SELECTION_POLICIES.params("random")
class RandomParams(ComponentParams):
    """Eligible places with a positive score, uniformly."""

    name: Literal["random"] = "random"


@SELECTION_POLICIES.params("warrant_only")
class WarrantOnlyParams(ComponentParams):
    """Only the addresses of named people whose record shows a final order (the traditional counterfactual)."""

    name: Literal["warrant_only"] = "warrant_only"


class TargetingParams(Params):
    """How places are scored and chosen each day."""

    policy: component(SELECTION_POLICIES) = param(
        DenseFirstParams(), unit="name or table",
        description="Selection policy: a name, or a table {name = ..., <its parameters>}. 'dense_first': highest "
        "scores first, lone low-confidence pins skipped, past arrests counted uncorrected (the reported practice). "
        "'probability_matching': places drawn with probability proportional to their score (uncorrected "
        "feedback; Ensign et al.'s urn). 'thompson': each place's yield per visit drawn from its posterior "
        "(arrests per visit), highest draws first. 'feedback_corrected': probability matching with each arrest's "
        "update corrected for the chance the place was visited (Ensign et al. 2018). 'random': "
        "eligible places with a positive score, uniformly. 'warrant_only': only the addresses of named people "
        "whose record shows a final order (the traditional counterfactual).",
        source="sworn deposition of an ICE officer (Woodburn, Oregon raid): prefer dense clusters; Ensign et "
        "al. 2018 (FAT*) for the urn policies",
    )
    prior_weight: float = param(
        0.1, ge=0.0, le=100.0, plausible=(0.0, 1.0), unit="x",
        description="Weight of the census-based prior (expected removable people present) in a place's score; "
        "leads (address pins) carry weight 1.",
        source="assumption: ELITE is reported to map pins from records, with area data as background; the "
        "agency knows tract-level non-citizen shares (public ACS aggregates); sensitivity input",
    )
    rel_place_prior: tuple[float, ...] = param(
        (1.0, 1.0, 0.05, 0.5, 0.5, 2.0, 0.5), ge=0.0, le=1000.0, unit="x",
        description=f"The agency's prior multiplier by place type ({list(PLACE_TYPES)}); schools count "
        "pupils, few of whom are targets.",
        source="assumption: courthouse arrests are reported practice; schools, clinics and churches are "
        "rarely reported targets; sensitivity input",
    )
    feedback_weight: float = param(
        0.25, ge=0.0, le=100.0, plausible=(0.0, 1.0), unit="score per arrest",
        description="Score a place gains for each past arrest there: counted as is by dense_first and "
        "probability_matching (uncorrected feedback), thinned or weighted by feedback_corrected; unused by thompson "
        "(which counts arrests per visit), random and warrant_only.",
        source="assumption: ELITE reportedly uses past outcomes; the weight is not public",
    )
    feedback_decay: float = param(
        0.01, ge=0.0, le=1.0, plausible=(0.0, 0.05), unit="share per day",
        description="Share of the feedback term F (past arrests and reports at a place, and thompson's arrest "
        "and visit counts) lost each day, before the day's reports and arrests are added: 0.01 is a half-life "
        "of 69 days; 0 never forgets. The census prior and the lead book do not fade with it.",
        source="assumption: ELITE's weighting of past outcomes over time is not public; predictive-policing models "
        "discount past events by recency (Mohler et al. 2011, JASA); a 69-day half-life lies between the lead "
        "book's sighting (3 days) and address (180 days) half-lives; sensitivity input",
    )
    report_weight: float = param(
        1.0, ge=0.0, le=100.0, plausible=(0.0, 2.0), unit="arrests per report",
        description="What a report about a place (a lead from a report_channels source) adds to the feedback "
        "term F, in arrests: reports arrive whatever the day's allocation (Ensign et al.'s reported incidents) "
        "and are not corrected. Unused by thompson, random and warrant_only.",
        source="assumption: Ensign et al.'s urn adds one ball per reported incident as per discovered one; the "
        "agency's weighting is not public; sensitivity input",
    )
    report_channels: tuple[str, ...] = param(
        ("tips", "service_reports"), unit="source channels",
        description="Source channels whose daily leads are reports about places for report_weight: tips from "
        "the public and reports from service points arrive whatever the day's allocation.",
        source="Ensign et al. 2018: reported incidents are those the public brings, not those teams discover",
    )
    address_half_life_days: float = param(
        180.0, gt=0.0, le=36_500.0, plausible=(30.0, 1000.0), unit="days",
        description="Half-life of an address lead's confidence after it arrives (the model discounts old "
        "leads); a lead below 1% confidence is dropped.",
        source="assumption: ELITE derives address confidence from source and recency (404 Media, Jan 2026); "
        "the rate is not public",
    )
    sighting_half_life_days: float = param(
        3.0, gt=0.0, le=3650.0, plausible=(1.0, 14.0), unit="days",
        description="Half-life of a sighting lead's confidence (a plate read at a place: the person may not "
        "be there again).",
        source="assumption: a sighting predicts presence for days, not months; sensitivity input",
    )
    lead_miss_decay: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.0, 1.0), unit="factor",
        description="Factor applied to the confidence of leads at a visited place whose person was not found.",
        source="assumption: teams learn that an address was stale",
    )
    rel_sector_prior: tuple[float, ...] = param(
        (1.0, 1.0, 2.0, 3.0, 5.0), ge=0.0, le=1000.0, unit="x",
        description=f"The agency's prior multiplier on workplaces by sector ({list(SECTORS)}).",
        source="assumption: day-labour sites, farms, food processing and construction are reported targets",
    )
    site_mix: dict[str, float] = param(
        {"residence": 0.8, "workplace": 0.1, "courthouse": 0.06, "church": 0.02, "protest_site": 0.02},
        ge=0.0, le=1.0, unit="shares of the day's sites",
        description=f"Share of the day's sites each place type receives ({list(PLACE_TYPES)}; types not named get "
        "none; an empty table ranks every place together). The policy ranks places within each type; capacity a "
        "type cannot use (no candidate, or excluded) goes to residences.",
        source="assumption: CALIBRATION.md round 2 documents operations at immigration-court hearings, day-labour "
        "sites (home-improvement store car parks), near churches and at protests since January 2025, with no "
        "published breakdown; shares illustrative, sensitivity input",
    )
    excluded_place_types: tuple[str, ...] = param(
        (), unit="place types",
        description=f"Place types where operations are not allowed (subset of {list(PLACE_TYPES)}). "
        "Empty by default: the 2011 sensitive-locations policy was rescinded in January 2025.",
        source="DHS rescission of sensitive-locations guidance, 21 January 2025",
    )

    @field_validator("rel_sector_prior")
    @classmethod
    def _sector(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if len(v) != len(SECTORS) or any(x < 0 for x in v):
            raise ValueError(
                f"need {len(SECTORS)} non-negative multipliers (one per sector {list(SECTORS)}); got {list(v)}"
            )
        return v

    @field_validator("rel_place_prior")
    @classmethod
    def _place_prior(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if len(v) != len(PLACE_TYPES) or any(x < 0 for x in v):
            raise ValueError(
                f"need {len(PLACE_TYPES)} non-negative multipliers (one per place type {list(PLACE_TYPES)}); "
                f"got {list(v)}"
            )
        return v

    @field_validator("site_mix")
    @classmethod
    def _mix(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k in v if k not in PLACE_TYPES]
        if bad:
            raise ValueError(f"unknown place type(s) {bad}; allowed: {list(PLACE_TYPES)}")
        if any(not 0.0 <= float(x) <= 1.0 for x in v.values()) or (v and abs(sum(v.values()) - 1.0) > 1e-6):
            raise ValueError(f"shares must lie in [0, 1] and sum to 1; got {v}")
        return v

    @field_validator("excluded_place_types")
    @classmethod
    def _places(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [p for p in v if p not in PLACE_TYPES]
        if bad:
            raise ValueError(f"unknown place type(s) {bad}; allowed: {list(PLACE_TYPES)}")
        return tuple(v)


#: The registered selection policies' names (for messages and tests).
POLICIES = SELECTION_POLICIES.names()

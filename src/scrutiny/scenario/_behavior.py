"""Parameters of people's responses: avoidance of places after visible enforcement, and evasion."""

from __future__ import annotations

from pydantic import field_validator

from scrutiny.scenario._fields import Params, keyed_validator, param

__all__ = ["BehaviorParams"]


class BehaviorParams(Params):
    """Fear from visible enforcement, and what it does to visits and presence."""

    enabled: bool = param(
        True, unit="switch", description="Whether people respond to visible enforcement.",
        source="Urban Institute 2018; Barofsky et al. 2020; Alsan & Yang",
    )
    fear_per_operation: float = param(
        1.0, ge=0.0, le=100.0, plausible=(0.2, 3.0), unit="fear units",
        description="Fear added to a tract by one visible operation there (avoidance = max x (1 - exp(-fear))).",
        source="assumption: one salient raid moves a tract close to half its maximum avoidance",
    )
    fear_spillover: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.0, 0.2), unit="share",
        description="Share of an operation's fear felt in every other tract of the metro (news, networks).",
        source="assumption: network fear (Alsan & Yang; Watson 2014); sensitivity input",
    )
    fear_half_life: float = param(
        30.0, gt=0.0, le=3650.0, plausible=(7.0, 180.0), unit="days",
        description="Half-life of fear after an operation.",
        source="assumption: avoidance decays over weeks to months; sensitivity input",
    )
    p_avoid_max: dict[str, float] = param(
        {
            "citizen_birth": 0.03, "naturalised": 0.10, "lpr": 0.137, "visa": 0.137,
            "protected": 0.33, "unauthorised": 0.43, "final_order": 0.43,
        },
        ge=0.0, le=1.0, unit="share of visits", keyed_by="statuses",
        description="Maximum share of clinic, school, church, court and protest visits avoided, by status.",
        source="Urban Institute 2018 (0.137 of immigrant families); healthcare avoidance among migrants "
        "0.33-0.43 (Doctors of the World; JCWI 2021); citizens by birth: assumption",
    )
    rel_avoid_mixed_household: float = param(
        2.0, ge=0.0, le=10.0, plausible=(1.0, 3.0), unit="x",
        description="Multiplier on avoidance for citizens and lawful residents in mixed-status households "
        "(capped at 1).",
        source="Urban Institute 2018: avoidance doubles in families with children; Alsan & Yang: largest "
        "in mixed-status households",
    )
    p_evade_max: float = param(
        0.3, ge=0.0, le=1.0, plausible=(0.0, 0.6), unit="share",
        description="Maximum probability that a removable person is away when their home or workplace is raided.",
        source="assumption: evasion of targeted places; sensitivity input",
    )

    p_school_absence: float = param(
        0.06, ge=0.0, le=1.0, plausible=(0.04, 0.1), unit="share of school days",
        description="Share of school days a pupil misses in ordinary times (the baseline the effect of an "
        "operation multiplies).",
        source="assumption: about 6% of school days missed on average (order of magnitude of US attendance data); "
        "sensitivity input",
    )
    rel_school_absence_after_operation: float = param(
        0.22, ge=0.0, le=10.0, plausible=(0.1, 0.35), unit="x baseline absences",
        description="Rise in absences among pupils of a tract right after a visible operation there (decaying with "
        "dur_school_effect); accounting only, it changes no presence at schools.",
        source="CALIBRATION.md: school absences +22% for about two months after a Border Patrol operation (Dee, "
        "Stanford, 2025), largest in the youngest grades",
    )
    dur_school_effect: float = param(
        60.0, gt=0.0, le=3650.0, plausible=(30.0, 90.0), unit="days",
        description="Mean duration of the rise in absences (it decays as exp(-days since the operation / this)).",
        source="CALIBRATION.md: about two months (Dee 2025)",
    )
    births_per_1000: float = param(
        10.7, ge=0.0, le=100.0, plausible=(9.0, 14.0), unit="births per 1,000 residents per year",
        description="Births a year per 1,000 residents (each a prenatal WIC enrolment decision).",
        source="CDC NCHS: about 3.6 million US births in 2023 for 335 million residents",
    )
    p_wic_prenatal: float = param(
        0.4, ge=0.0, le=1.0, plausible=(0.3, 0.5), unit="share of births",
        description="Share of births whose mothers enrol in WIC during pregnancy in ordinary times.",
        source="assumption: WIC serves about 4 in 10 US infants (USDA FNS); sensitivity input",
    )
    wic_odds_ratio_chilled: float = param(
        0.81, ge=0.0, le=1.0, plausible=(0.81, 0.886), unit="odds ratio",
        description="Odds of prenatal WIC enrolment among non-citizens and people in mixed-status households at "
        "full fear, relative to ordinary times (it applies in proportion to the tract's fear level, 1 - exp(-F)).",
        source="CALIBRATION.md: prenatal WIC take-up odds -11.4% after the 2018 public-charge announcement, -19% "
        "after the 2019 rule (Choi et al., J Immigrant Minority Health, 2023)",
    )

    @field_validator("p_avoid_max")
    @classmethod
    def _avoid(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=None)

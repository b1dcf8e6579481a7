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

    @field_validator("p_avoid_max")
    @classmethod
    def _avoid(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=None)

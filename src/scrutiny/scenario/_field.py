"""Parameters of the field encounter: who is scanned, the 1:N matcher and the decision rule."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from scrutiny.codes import GROUPS, RECORD_STATUSES, STATUSES
from scrutiny.scenario._fields import Params, keyed_validator, mix_validator, param

__all__ = ["FieldParams", "CAPTURES"]

CAPTURES = ("mugshot", "border", "field")


class FieldParams(Params):
    """The Mobile-Fortify-like encounter: scan, search, record returned, decision."""

    scan_policy: Literal["everyone"] = param(
        "everyone", unit="name",
        description="Who is scanned at an operation: 'everyone' present.",
        source="Mobile Fortify privacy threshold analysis (Feb 2025): a person may not decline the scan",
    )
    decision: Literal["match_is_definitive"] = param(
        "match_is_definitive", unit="name",
        description="What decides detention: 'match_is_definitive' detains anyone whose returned record "
        "shows a removable status; documents are not honoured.",
        source="ICE statement reported by Rep. Thompson, Oct 2025 (a match overrides a birth certificate)",
    )
    gallery_size: float = param(
        2e8, ge=1.0, le=1e10, plausible=(1e6, 3e8), unit="images",
        description="Number of identities searched (N of the 1:N search).",
        source="404 Media (about 200M images); DHS IDENT holds more than 270M records",
    )
    threshold: float = param(
        9.6, ge=0.0, le=20.0, plausible=(8.0, 11.0), unit="decades (-log10 FMR)",
        description="Match threshold on a score scaled so that the reference group's per-comparison false "
        "match rate under mugshot capture is 10**-threshold; 9.6 gives FMR 2.5e-10.",
        source="derived: FPIR 0.003 at N = 1.2e7 (NIST 1:N convention) gives FMR about 2.5e-10",
    )
    capture: Literal["mugshot", "border", "field"] = param(
        "field", unit="name",
        description="Capture conditions of the probe image: 'mugshot', 'border' or 'field' (phone, outdoors).",
        source="Mobile Fortify is a phone app used at the point of encounter",
    )
    rel_fmr_capture: tuple[float, float, float] = param(
        (1.0, 1.0, 10.0), unit="x",
        description=f"False-match multiplier of each capture condition ({list(CAPTURES)}) against mugshots.",
        source="NIST FRVT 1:1 tables: field ('wild') captures need a 10x looser FMR; border set to 1 (assumption)",
    )
    fnmr_capture: tuple[float, float, float] = param(
        (0.012, 0.061, 0.035), unit="share",
        description=f"Miss rate (false non-match) at the default threshold by capture ({list(CAPTURES)}).",
        source="NIST FRVT 1:1 tables: mugshot 1.2%, border 6.1%, wild 3.5%",
    )
    genuine_score_sd: float = param(
        3.0, gt=0.0, le=20.0, plausible=(1.0, 5.0), unit="decades",
        description="Spread of genuine (mated) scores; sets how fast the miss rate grows with the threshold.",
        source="assumption: DET curves gain a few points of FNMR per decade of FMR; sensitivity input",
    )
    rel_fmr_group: dict[str, float] = param(
        {
            "white_man": 1.0, "white_woman": 2.9, "black_man": 2.3, "black_woman": 11.7,
            "hispanic_man": 1.5, "hispanic_woman": 3.5, "asian_man": 3.0, "asian_woman": 6.0,
        },
        unit="x vs white men",
        description="False-match multiplier of each demographic group against the reference group (white men).",
        source="NIST FRVT 1:1 tables, NISTIR 8280: Black women 11.7x (1.4-417), Black men 2.3x, white "
        "women 2.9x; Hispanic and Asian values are assumptions inside NIST's 'some groups 10-100x'",
    )
    p_enrolled: dict[str, float] = param(
        {
            "citizen_birth": 0.45, "naturalised": 1.0, "lpr": 1.0, "visa": 1.0,
            "protected": 0.95, "unauthorised": 0.5, "final_order": 1.0,
        },
        unit="share",
        description="Probability that a person of each true status is enrolled in a searched gallery "
        "(their own record can be returned).",
        source="traveller/passport gallery holds passport holders (about 45% of citizens by birth, State "
        "Department); IDENT holds non-citizens' biometrics; unauthorised 0.5 and protected 0.95 are assumptions",
    )
    false_match_record_mix: dict[str, float] = param(
        {
            "citizen_birth": 0.55, "naturalised": 0.06, "lpr": 0.10, "visa": 0.23, "protected": 0.02,
            "unauthorised": 0.02, "final_order": 0.01, "expired": 0.01,
        },
        unit="shares of gallery records",
        description="Status shown by the record of a falsely matched identity (the gallery's composition).",
        source="assumption: a traveller/passport gallery is mostly citizens and visitors; the removable share "
        "(0.04) is of the order of final orders plus previously fingerprinted unauthorised over 2e8; "
        "sensitivity input",
    )

    @field_validator("rel_fmr_group")
    @classmethod
    def _groups(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=GROUPS, hi=1e4)

    @field_validator("p_enrolled")
    @classmethod
    def _enrolled(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=STATUSES)

    @field_validator("false_match_record_mix")
    @classmethod
    def _record_mix(cls, v: dict[str, float]) -> dict[str, float]:
        return mix_validator(v, allowed=RECORD_STATUSES, field="false_match_record_mix")

    @field_validator("rel_fmr_capture")
    @classmethod
    def _rel_capture(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if any(not 0.0 < x <= 1e4 for x in v):
            raise ValueError(f"multipliers must lie in (0, 10000]; got {list(v)}")
        return v

    @field_validator("fnmr_capture")
    @classmethod
    def _fnmr(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if any(not 0.0 < x < 1.0 for x in v):
            raise ValueError(f"miss rates must lie strictly between 0 and 1; got {list(v)}")
        return v

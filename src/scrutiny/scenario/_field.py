"""Parameters of the field encounter: who is scanned, the galleries, the 1:N matcher, the decision rule."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from scrutiny._registry import Registry
from scrutiny.codes import GALLERIES, GROUPS, RECORD_STATUSES
from scrutiny.scenario._fields import ComponentParams, Params, component, components, keyed_validator, param
from scrutiny.scenario._galleries import GalleriesParams

__all__ = ["FieldParams", "CAPTURES", "SCAN_POLICIES", "DECISION_RULES"]

CAPTURES = ("mugshot", "border", "field")
_BY_GROUP = {g: 1.0 for g in GROUPS}

#: Scan policies: ``field.scan_policy`` names who is scanned at an operation.
SCAN_POLICIES = Registry("field.scan_policy")
#: Decision rules: ``field.decision`` lists the rules a flagged person goes through, in order; the
#: first that clears them stops the detention. An empty list (or ``match_is_definitive``) detains
#: everyone flagged.
DECISION_RULES = Registry("field.decision")


@SCAN_POLICIES.params("everyone")
class ScanEveryoneParams(ComponentParams):
    """Everyone present is scanned; nobody may decline."""

    name: Literal["everyone"] = "everyone"


@SCAN_POLICIES.params("appearance")
class ScanAppearanceParams(ComponentParams):
    """Profiling: each person present is scanned with a probability set by their demographic group."""

    name: Literal["appearance"] = "appearance"
    p_scan: dict[str, float] = param(
        {
            "white_man": 0.2, "white_woman": 0.15, "black_man": 0.6, "black_woman": 0.5,
            "hispanic_man": 1.0, "hispanic_woman": 0.9, "asian_man": 0.5, "asian_woman": 0.4,
        },
        ge=0.0, le=1.0, unit="probability by group", plausible=(0.0, 1.0),
        description="Probability that a person present of each group is scanned.",
        source="assumption: profiling by apparent ethnicity (the kind of stop the Supreme Court let stand in "
        "Noem v. Vasquez Perdomo, Sept 2025); illustrative, sensitivity input",
    )

    @field_validator("p_scan")
    @classmethod
    def _scan_groups(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=GROUPS)


@SCAN_POLICIES.params("named_only")
class ScanNamedOnlyParams(ComponentParams):
    """Only people present who are the named subjects of active leads at that place."""

    name: Literal["named_only"] = "named_only"


@SCAN_POLICIES.params("questioned")
class ScanQuestionedParams(ComponentParams):
    """The named subjects of leads at the site, and the other people present whom agents question."""

    name: Literal["questioned"] = "questioned"
    p_scan_named: float = param(
        0.3, ge=0.0, le=1.0, plausible=(0.0, 1.0), unit="probability",
        description="Probability that a named subject of a lead at the site is scanned to confirm identity; "
        "otherwise they are identified from their own record (the lead's folder).",
        source="assumption: Wired (Feb 2026) reports scans of named subjects and of the people agents question at "
        "about 0.35 scans per arrest; the split is not published; sensitivity input (calibrated)",
    )
    p_questioned: float = param(
        0.03, ge=0.0, le=1.0, plausible=(0.0, 0.5), unit="probability",
        description="Probability that another person present (not a named subject) is questioned and scanned "
        "(bystanders, people refusing to answer, people near the subject).",
        source="assumption: CALIBRATION.md round 2: about 385 scans a day nationally, far below 'everyone "
        "present'; the bystander scan probability is unpublished; sensitivity input (calibrated)",
    )
    rel_questioned_group: dict[str, float] = param(
        {g: 1.0 for g in GROUPS}, ge=0.0, le=100.0, unit="x", plausible=(0.5, 5.0),
        description="Multiplier on p_questioned by demographic group (1 = no profiling in whom agents question).",
        source="assumption: ProPublica (Oct 2025): citizens held after agents questioned their citizenship were "
        "almost all Latino; neutral by default, sensitivity input",
    )

    @field_validator("rel_questioned_group")
    @classmethod
    def _groups(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=GROUPS, hi=100.0)


@DECISION_RULES.params("match_is_definitive")
class MatchIsDefinitiveParams(ComponentParams):
    """A match is definitive: documents do not count (clears nobody)."""

    name: Literal["match_is_definitive"] = "match_is_definitive"


@DECISION_RULES.params("agent_discretion")
class AgentDiscretionParams(ComponentParams):
    """Agents act on a flag with a probability (the stated policy says always)."""

    name: Literal["agent_discretion"] = "agent_discretion"
    p_act: float = param(
        1.0, ge=0.0, le=1.0, plausible=(0.2, 1.0), unit="probability",
        description="Probability that agents act on a flag (detain); otherwise they let the person go.",
        source="CALIBRATION.md round 2: 1.0 by stated policy ('definitive', Rep. Thompson quoting ICE); about "
        "0.5 realised (Los Angeles Times: 1 in 5 citizenship claims investigated proved true); sensitivity "
        "input (calibrated)",
    )


@DECISION_RULES.params("documents_honoured")
class DocumentsHonouredParams(ComponentParams):
    """Proof of lawful status or citizenship carried when scanned clears the person."""

    name: Literal["documents_honoured"] = "documents_honoured"
    p_carries_documents: dict[str, float] = param(
        {
            "citizen_birth": 0.3, "naturalised": 0.3, "lpr": 0.8, "visa": 0.7, "protected": 0.5,
            "unauthorised": 0.0, "final_order": 0.0,
        },
        ge=0.0, le=1.0, unit="probability by true status", plausible=(0.0, 1.0), keyed_by="statuses",
        description="Probability that a person of each true status carries proof of lawful status or "
        "citizenship when scanned (removable people have none).",
        source="assumption: 8 U.S.C. 1304(e) requires registered non-citizens aged 18+ to carry their card; "
        "citizens need not carry proof and a driving licence does not show citizenship; sensitivity input",
    )

    @field_validator("p_carries_documents")
    @classmethod
    def _documents(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=None)


@DECISION_RULES.params("human_review")
class HumanReviewParams(ComponentParams):
    """A second examiner reviews the match and rejects a share of false and of true matches."""

    name: Literal["human_review"] = "human_review"
    p_rejects_false: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.1, 0.9), unit="share",
        description="Share of false matches a second examiner rejects.",
        source="assumption: direction from White et al. 2015 (PLoS ONE): staff reviewing algorithm candidate "
        "lists made many errors, about half of decisions in one task; sensitivity input",
    )
    p_rejects_true: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.0, 0.3), unit="share",
        description="Share of true matches (the person's own record) a second examiner wrongly rejects.",
        source="assumption: same literature; reviewers also reject correct candidates; sensitivity input",
    )


@DECISION_RULES.params("digital_status_check")
class DigitalStatusCheckParams(ComponentParams):
    """A status service checks the person's own record (it cannot fix a wrong record) and can fail."""

    name: Literal["digital_status_check"] = "digital_status_check"
    p_fails: float = param(
        0.0005, ge=0.0, le=1.0, plausible=(0.0001, 0.01), unit="probability per check",
        description="Probability that the status service fails to confirm a lawful person whose own record is "
        "right (a person whose own record is wrong is not cleared).",
        source="Open Rights Group on the UK eVisa ('0.05% x 4M = 20,000'); illustrative",
    )


class FieldParams(Params):
    """The Mobile-Fortify-like encounter: scan, search, record returned, decision."""

    scan_policy: component(SCAN_POLICIES) = param(
        ScanQuestionedParams(), unit="name or table",
        description="Who is scanned at an operation: 'questioned' (the named subjects of leads at the site with "
        "p_scan_named, every other person present with p_questioned; a named subject not scanned is identified "
        "from their own record); 'everyone' present; 'appearance' (profiling: a scan probability by demographic "
        "group, p_scan); 'named_only' (only the named subjects of active leads at that place).",
        source="CALIBRATION.md round 2: named subjects and the people agents question (Wired, Feb 2026: about "
        "12,000 scans a month against about 36,000 arrests); a person may not decline (Mobile Fortify privacy "
        "threshold analysis, Feb 2025)",
    )
    decision: components(DECISION_RULES) = param(
        (AgentDiscretionParams(),), unit="list of names or tables",
        description="The rules a person whose returned record shows a removable status goes through, in order; "
        "the first that clears them prevents the detention. 'agent_discretion' (agents act on a flag with p_act; "
        "1 by stated policy); 'match_is_definitive' (documents do not count); "
        "'documents_honoured' (proof of lawful status carried clears the person); 'human_review' (a second "
        "examiner rejects a share of false and of true matches); 'digital_status_check' (a status service checks "
        "the person's own record and can fail for lawful people). Rules compose: "
        "['documents_honoured', 'human_review'] applies both.",
        source="ICE statement reported by Rep. Thompson, Oct 2025 (a match overrides a birth certificate)",
    )
    galleries: GalleriesParams = Field(
        default_factory=GalleriesParams,
        description="The galleries: size, composition by recorded status, enrolment by true status.",
    )
    rel_gallery_size: float = param(
        1.0, gt=0.0, le=100.0, plausible=(0.005, 1.5), unit="x",
        description="Multiplier on every gallery's size: one knob for N, the number of identities searched "
        "(1.0 gives the reported ~2e8; 0.005 gives 1e6).",
        source="404 Media (about 200M images); DHS IDENT holds more than 270M records; CALIBRATION.md range "
        "1e6-3e8",
    )
    searched_galleries: tuple[str, ...] = param(
        GALLERIES, unit="names", names_of="galleries",
        description="Galleries a search goes over (their union); any of the jurisdiction's galleries (default: "
        "all of them).",
        source="reporting on Mobile Fortify's data sources (TVS, IDENT/HART, State Department, NCIC, TECS)",
    )
    searched_record_statuses: tuple[str, ...] = param(
        RECORD_STATUSES, unit="names", names_of="record_statuses",
        description="Only records showing one of these statuses are searched (default: every record status; "
        "['final_order'] limits the gallery to people with final orders): it shrinks N and the records a false "
        "match can return.",
        source="the unrestricted search is what is reported; a restricted gallery is a safeguard to test",
    )
    matcher: Literal["parametric", "empirical"] = param(
        "parametric", unit="name",
        description="Score model: 'parametric' (the calibrated distributions above) or 'empirical' (genuine and "
        "impostor scores from field.score_file).",
        source="no published field accuracy for Mobile Fortify: the parametric model is calibrated from NIST",
    )
    score_file: str = param(
        "", unit="path",
        description="CSV of scores for the empirical matcher (columns group, kind, score[, gallery_size]; see "
        "the README); a relative path is read from the working directory.",
        source="supplied by an evaluator",
    )
    score_file_tail: Literal["refuse", "exponential"] = param(
        "refuse", unit="name",
        description="Empirical matcher, when fewer than 10 scores of a kind lie at or above a threshold in use: "
        "'refuse' stops with an error; 'exponential' extrapolates the top 1% of scores with an exponential tail.",
        source="assumption: a file of n scores resolves rates down to about 10/n; beyond that any rate is a model",
    )
    threshold_rule: Literal["target_fpir", "fixed"] = param(
        "target_fpir", unit="name",
        description="How the match threshold is set. 'target_fpir': per search, at the threshold where the "
        "reference group's false positive identification rate over the searched gallery equals target_fpir (the "
        "NIST 1:N convention: the threshold is set per algorithm and per gallery size). 'fixed': field.threshold "
        "whatever the gallery size (a threshold tuned on a smaller gallery applied to a larger one).",
        source="CALIBRATION.md round 2 (NIST FRTE 1:N); 'fixed' is the literal first-round reading",
    )
    target_fpir: float = param(
        0.003, gt=0.0, le=0.5, plausible=(0.001, 0.05), unit="probability per search",
        description="Under threshold_rule 'target_fpir': the reference group's FPIR at the operating point (the "
        "share of searches of people in no searched gallery that return a stranger).",
        source="CALIBRATION.md round 2: 0.003 (NIST FRTE 1:N; NPL 2023, NEC NeoFace at 0.6); 0.05 is a threshold "
        "tuned at 1.2e7 applied at 2e8; no published Mobile Fortify operating point (sensitivity input)",
    )
    max_group_fpir: float = param(
        0.05, gt=0.0, le=1.0, plausible=(0.01, 0.2), unit="probability per search",
        description="Under threshold_rule 'target_fpir': no group's FPIR at the operating point exceeds this (a "
        "group multiplier that would exceed it is lowered to meet it).",
        source="assumption: CALIBRATION.md round 2 keeps the NISTIR 8280 multipliers at the operating point, "
        "capped at a stated bound; the cap is the round-2 range's upper end; sensitivity input",
    )
    threshold: float = param(
        9.6, ge=-1e6, le=1e6, plausible=(8.0, 11.0), unit="decades (-log10 FMR); score-file units if empirical",
        description="Under threshold_rule 'fixed': the match threshold. Parametric matcher: scores are scaled so "
        "that the reference group's per-comparison false match rate under mugshot capture is 10**-threshold (9.6 "
        "gives FMR 2.5e-10). Empirical matcher: a threshold on the score file's own scale.",
        source="derived: FPIR 0.003 at N = 1.2e7 (NIST 1:N convention) gives FMR about 2.5e-10",
    )
    capture: Literal["mugshot", "border", "field"] = param(
        "field", unit="name",
        description="Capture conditions of the probe image: 'mugshot', 'border' or 'field' (phone, outdoors).",
        source="Mobile Fortify is a phone app used at the point of encounter",
    )
    rel_fmr_capture: tuple[float, float, float] = param(
        (1.0, 1.0, 10.0), ge=0.0, le=1e4, unit="x",
        description=f"False-match multiplier of each capture condition ({list(CAPTURES)}) against mugshots, at a "
        "fixed threshold (under threshold_rule 'target_fpir' the threshold is set for the capture in use, so the "
        "multiplier cancels for the reference group).",
        source="NIST FRVT 1:1 tables: field ('wild') captures need a 10x looser FMR; border set to 1 (assumption). "
        "An upper-end reading: NIST reports wild FNMR at a 10x looser operating point, with unconstrained images "
        "on both sides, whereas a field probe here meets passport and visa photos",
    )
    fnmr_capture: tuple[float, float, float] = param(
        (0.0012, 0.061, 0.05), ge=0.0, le=1.0, unit="share",
        description=f"Miss rate (FNIR) by capture ({list(CAPTURES)}) at the reference operating point: the threshold "
        "giving the reference group an FPIR of 0.003 over the searched gallery (a stricter threshold misses more).",
        source="CALIBRATION.md round 2: NEC at 1.2e7 mugshots 0.0012 at FPIR 0.003 (Jan 2024); border 6.1% (NIST "
        "FRVT 1:1); field phone capture 0.05 (range 0.01-0.3; field capture mostly raises misses)",
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
        ge=0.0, le=1e4, unit="x vs white men",
        description="False-match multiplier of each demographic group against the reference group (white men).",
        source="NIST FRVT 1:1 tables, NISTIR 8280: Black women 11.7x (1.4-417), Black men 2.3x, white "
        "women 2.9x; Hispanic and Asian values are assumptions inside NIST's 'some groups 10-100x'",
    )
    rel_fnmr_group: dict[str, float] = param(
        dict(_BY_GROUP), ge=0.0, le=100.0, unit="x vs the capture's miss rate", plausible=(0.5, 3.0),
        description="Miss-rate (FNMR) multiplier of each demographic group at the reference operating point.",
        source="assumption: NIST reports smaller and less consistent FNMR differentials than FMR ones; 1 for "
        "every group; sensitivity input",
    )
    false_match_actionable_share: float = param(
        0.02, ge=0.0, le=1.0, plausible=(0.005, 0.3), unit="share of false matches",
        description="Share of false matches whose stranger's record shows a removable (actionable) status. The "
        "galleries' compositions set which removable and which lawful statuses such records show; this share sets "
        "how many are removable (when the searched records hold both kinds). 1 minus it return a lawful record, "
        "which clears nobody.",
        source="CALIBRATION.md round 2: 0.02, derived from gallery make-up (passports, visas and IDENT records of "
        "lawful travellers; the removable docket is about 1.5M of about 2e8 images); range 0.005-0.3; a "
        "sensitivity input (calibrated)",
    )
    rel_false_match_same_race: float = param(
        10.0, ge=1.0, le=1e4, plausible=(1.0, 100.0), unit="x",
        description="How much likelier a false match returns a stranger of the probe's own race than one of "
        "another race (weights whose record a false match returns; FPIR itself is unchanged). 1 = race-blind.",
        source="assumption: NISTIR 8280 finds false matches concentrated in demographically matched impostor "
        "pairs; sensitivity input",
    )
    retention_days: float = param(
        5475.0, ge=0.0, le=27375.0, plausible=(0.5, 27375.0), unit="days",
        description="How long every scan record (citizens included) is kept.",
        source="Mobile Fortify privacy threshold analysis: 15 years, citizens included (range 12 h for CBP "
        "citizen TVS photos to 75 years); CBP privacy notice",
    )

    @field_validator("rel_fmr_group")
    @classmethod
    def _groups(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=GROUPS, hi=1e4)

    @field_validator("rel_fnmr_group")
    @classmethod
    def _fnmr_groups(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=GROUPS, hi=100.0)

    @field_validator("searched_galleries", "searched_record_statuses")
    @classmethod
    def _non_empty_unique(cls, v: tuple[str, ...], info) -> tuple[str, ...]:
        if not v:
            raise ValueError(f"{info.field_name} must name at least one entry")
        if len(set(v)) != len(v):
            raise ValueError(f"{info.field_name} names an entry twice: {list(v)}")
        return v

    @field_validator("score_file")
    @classmethod
    def _score_file_needed(cls, v: str, info) -> str:
        if info.data.get("matcher") == "empirical" and not v.strip():
            raise ValueError("matcher = 'empirical' needs field.score_file, the path of a CSV of scores")
        return v

    @field_validator("threshold")
    @classmethod
    def _threshold_in_decades(cls, v: float, info: Any) -> float:
        if info.data.get("matcher", "parametric") == "parametric" and not 0.0 <= v <= 20.0:
            raise ValueError("with the parametric matcher the threshold is in decades of FMR and must be greater "
                             "than or equal to 0 and less than or equal to 20")
        return v

    @model_validator(mode="after")
    def _miss_rates_at_most_one(self) -> FieldParams:
        base = self.fnmr_capture[CAPTURES.index(self.capture)]
        group = max(self.rel_fnmr_group, key=lambda g: self.rel_fnmr_group[g])
        rate = base * self.rel_fnmr_group[group]
        if rate > 1.0:
            raise ValueError(
                f"the miss rate of group {group!r} under capture {self.capture!r} would be fnmr_capture x "
                f"rel_fnmr_group = {base:g} x {self.rel_fnmr_group[group]:g} = {rate:.3g}, above 1; lower "
                f"rel_fnmr_group.{group} to at most {1.0 / base if base else math.inf:.3g} or the capture's "
                "fnmr_capture"
            )
        return self

"""Stage 5, field: the Mobile-Fortify-like encounter.

Who is present, who is scanned, a 1:N search over the galleries modelled statistically (no images,
no face recognition), the record returned (which may be wrong or stale) and the decision rule.
"""

from scrutiny.field._encounter import Matcher, ScanResult, build_scores
from scrutiny.field._galleries import SearchedUnion, enrol, searched_union
from scrutiny.field._log import log_encounters
from scrutiny.field._matcher import (
    DEFAULT_THRESHOLD,
    ParametricScores,
    fmr_by_group,
    fnmr,
    fnmr_by_group,
    fpir,
)
from scrutiny.field._named import NamedSubjects
from scrutiny.field._offline import OfflineProof
from scrutiny.field._presence import Presence, expand_ranges
from scrutiny.field._rules import (
    DecisionRule,
    DigitalStatusCheck,
    DocumentsHonoured,
    HumanReview,
    MatchIsDefinitive,
    RuleContext,
    ScanByAppearance,
    ScanEveryone,
    ScanNamedOnly,
    ScanPolicy,
    make_decision_rules,
    make_scan_policy,
)
from scrutiny.field._scorefile import EmpiricalScores, Exceedance, ScoreFile, read_score_file

__all__ = [
    "Matcher",
    "ScanResult",
    "build_scores",
    "enrol",
    "searched_union",
    "SearchedUnion",
    "log_encounters",
    "NamedSubjects",
    "OfflineProof",
    "Presence",
    "expand_ranges",
    "DEFAULT_THRESHOLD",
    "ParametricScores",
    "EmpiricalScores",
    "Exceedance",
    "ScoreFile",
    "read_score_file",
    "fmr_by_group",
    "fnmr",
    "fnmr_by_group",
    "fpir",
    "ScanPolicy",
    "DecisionRule",
    "RuleContext",
    "ScanEveryone",
    "ScanByAppearance",
    "ScanNamedOnly",
    "MatchIsDefinitive",
    "DocumentsHonoured",
    "HumanReview",
    "DigitalStatusCheck",
    "make_scan_policy",
    "make_decision_rules",
]

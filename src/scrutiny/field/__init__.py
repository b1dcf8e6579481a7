"""Stage 5, field: the Mobile-Fortify-like encounter.

Who is present, who is scanned, a 1:N search modelled statistically (no images, no face
recognition), the record returned (which may be wrong or stale) and the decision rule.
"""

from scrutiny.field._encounter import Matcher, ScanResult, enrol
from scrutiny.field._matcher import DEFAULT_THRESHOLD, fmr_by_group, fnmr, fpir
from scrutiny.field._presence import Presence, expand_ranges

__all__ = [
    "Matcher",
    "ScanResult",
    "enrol",
    "Presence",
    "expand_ranges",
    "DEFAULT_THRESHOLD",
    "fmr_by_group",
    "fnmr",
    "fpir",
]

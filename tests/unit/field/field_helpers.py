"""Small builders shared by the field tests."""

from __future__ import annotations

import numpy as np

from scrutiny.codes import GROUPS, RECORD_STATUSES, STATUSES, code
from scrutiny.field import Matcher
from scrutiny.scenario import FieldParams

FINAL_ORDER_ONLY = {s: (1.0 if s == "final_order" else 0.0) for s in RECORD_STATUSES}
LPR = code(RECORD_STATUSES, "lpr")


def one_gallery(size: float = 1e7, mix: dict | None = None, **extra) -> FieldParams:
    """Field parameters searching only the enforcement gallery, of ``size`` images.

    Everyone present is scanned and a flag is definitive unless ``extra`` says otherwise: these tests
    are about the matcher, not the default scan policy or decision rules.
    """
    gallery = {"size": size, "record_mix": mix or FINAL_ORDER_ONLY}
    extra = {"scan_policy": "everyone", "decision": "match_is_definitive", **extra}
    return FieldParams(galleries={"enforcement": gallery}, searched_galleries=("enforcement",), **extra)


def matcher(p: FieldParams, n: int, *, enrolled=False, own_record: int = LPR, status: int | None = None,
            group: np.ndarray | None = None) -> Matcher:
    """A matcher over ``n`` people of equal groups (cycling through GROUPS) unless ``group`` is given."""
    group = (np.arange(n) % len(GROUPS)).astype(np.int8) if group is None else group.astype(np.int8)
    status_code = code(STATUSES, "lpr") if status is None else status
    enrolment = np.full(n, bool(enrolled)) if np.isscalar(enrolled) else np.asarray(enrolled)
    return Matcher.build(
        p, enrolment=enrolment, own_record=np.full(n, own_record, dtype=np.int8), group=group,
        status=np.full(n, status_code, dtype=np.int8),
    )

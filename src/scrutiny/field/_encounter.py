"""The encounter: scan everyone present, search the gallery, read the record returned, decide.

For a scanned person ``i`` on day ``t`` (all draws counter-based, so arms share them):

1. mate found: ``enrolled_i and u_mate < 1 - FNMR``; the record returned is the person's own,
   whose status can be wrong (see ``scrutiny.sources``);
2. otherwise a false match: ``u_false < FPIR_g(N)`` for the person's group; the record returned is
   a stranger's, whose status is drawn from the gallery's composition;
3. flagged: the returned record shows a removable status (unauthorised, final order, expired);
4. decision ``match_is_definitive``: every flagged person is detained; documents do not count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scrutiny.codes import RECORD_STATUSES, REMOVABLE_RECORD_STATUSES, STATUSES, code
from scrutiny.field._matcher import fmr_by_group, fnmr, fpir
from scrutiny.rng import Streams
from scrutiny.scenario import FieldParams
from scrutiny.world import World

__all__ = ["Matcher", "ScanResult", "enrol"]

_REMOVABLE_RECORD = np.isin(np.arange(len(RECORD_STATUSES)), [code(RECORD_STATUSES, s) for s in REMOVABLE_RECORD_STATUSES])


def enrol(world: World, p: FieldParams, streams: Streams) -> np.ndarray:
    """Return bool[N]: whether each person is enrolled in a searched gallery (by status)."""
    p_enrolled = np.array([p.p_enrolled[s] for s in STATUSES])
    u = streams.uniform("world.enrolment", np.arange(world.people.n, dtype=np.int64))
    return u < p_enrolled[world.people.status]


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Outcome of each scan (arrays aligned with the people scanned)."""

    mate: np.ndarray  # bool: own record returned
    false_match: np.ndarray  # bool: a stranger's record returned
    record: np.ndarray  # int8: status on the returned record (RECORD_STATUSES), -1 = no match
    flagged: np.ndarray  # bool: returned record shows a removable status
    detained: np.ndarray  # bool: decision to detain

    @property
    def matched(self) -> np.ndarray:
        """bool: the search returned a candidate above threshold."""
        return self.mate | self.false_match


@dataclass(frozen=True, slots=True)
class Matcher:
    """The matcher and decision rule of one scenario, precomputed for fast vectorised scans."""

    fpir_group: np.ndarray  # float64[G]
    p_miss: float
    record_cum: np.ndarray  # float64[len(RECORD_STATUSES)], cumulative false-match record mix
    enrolled: np.ndarray  # bool[N]
    own_record: np.ndarray  # int8[N], status on each person's own record

    @classmethod
    def build(cls, p: FieldParams, enrolled: np.ndarray, own_record: np.ndarray, threshold: float | None = None) -> "Matcher":
        """Precompute the matcher at ``threshold`` (default: the scenario's)."""
        mix = np.array([p.false_match_record_mix[s] for s in RECORD_STATUSES])
        cum = np.cumsum(mix)
        cum[-1] = 1.0
        return cls(
            fpir_group=fpir(fmr_by_group(p, threshold), p.gallery_size),
            p_miss=fnmr(p, threshold),
            record_cum=cum,
            enrolled=enrolled,
            own_record=own_record,
        )

    def scan(self, person: np.ndarray, group: np.ndarray, day: int, streams: Streams) -> ScanResult:
        """Search the gallery for each person scanned and decide (match is definitive)."""
        mate = self.enrolled[person] & (streams.uniform("field.mate", person, step=day) >= self.p_miss)
        false_match = ~mate & (streams.uniform("field.false_match", person, step=day) < self.fpir_group[group])
        stranger = np.searchsorted(self.record_cum, streams.uniform("field.record", person, step=day), side="right")
        record = np.where(mate, self.own_record[person], np.where(false_match, stranger, -1)).astype(np.int8)
        flagged = np.where(record >= 0, _REMOVABLE_RECORD[np.maximum(record, 0)], False)
        return ScanResult(mate=mate, false_match=false_match, record=record, flagged=flagged, detained=flagged.copy())

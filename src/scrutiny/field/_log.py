"""Logging the encounter: one event per person present, scan, match and decision on a flag."""

from __future__ import annotations

import numpy as np

from scrutiny.codes import EVENT_KINDS, OUTCOMES, code
from scrutiny.events import EventBuffer
from scrutiny.field._encounter import ScanResult
from scrutiny.world import World

__all__ = ["log_encounters"]

_K = {name: code(EVENT_KINDS, name) for name in ("encounter", "scan", "match", "decision")}
_O = {name: code(OUTCOMES, name) for name in ("present", "matched", "no_match", "mate", "false_match", "detain")}


def log_encounters(log: EventBuffer, day: int, place: np.ndarray, person: np.ndarray, res: ScanResult,
                   world: World) -> None:
    """Log the encounter, scan, match and decision events of the people present.

    Encounter: everyone present; scan: those scanned; match: a candidate was returned; decision: the
    flagged, with ``detain`` or the safeguard that cleared them.

    Args:
        log: The event buffer.
        day: Day index.
        place: int[K] place where each person was encountered.
        person: int[K] people present.
        res: Their :class:`ScanResult`.
        world: The world (place types, tracts, statuses, groups).
    """
    places, ppl = world.places, world.people
    common = dict(
        place=place, place_kind=places.kind[place], tract=places.tract[place],
        person=person, status=ppl.status[person], group=ppl.group[person],
    )

    def rows(mask: np.ndarray, kind: str, outcome, record=None) -> None:
        at = np.flatnonzero(mask)  # then gathers: a boolean index of middling density costs several times more
        cols = {k: v[at] for k, v in common.items()}
        if record is not None:
            cols["record"] = record[at]
        log.add(int(at.size), day=day, kind=_K[kind], outcome=outcome, **cols)

    log.add(int(person.size), day=day, kind=_K["encounter"], outcome=_O["present"], **common)  # everyone present
    rows(res.scanned, "scan", np.where(res.matched[res.scanned], _O["matched"], _O["no_match"]))
    m = res.matched
    rows(m, "match", np.where(res.mate[m], _O["mate"], _O["false_match"]), res.record)
    f = res.flagged
    rows(f, "decision", np.where(res.cleared[f] >= 0, res.cleared[f], _O["detain"]), res.record)

"""The model's vocabularies: legal statuses, demographic groups, place types and event kinds.

Arrays store the integer code (the position in the tuple); tables and reports use the name.
Keeping them in one place means the scenario, the world, the event log and the metrics all
spell a status the same way.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "STATUSES",
    "STATUS_LABELS",
    "RECORD_STATUSES",
    "REMOVABLE_STATUSES",
    "REMOVABLE_RECORD_STATUSES",
    "CITIZEN_STATUSES",
    "RACES",
    "SEXES",
    "GROUPS",
    "REFERENCE_GROUP",
    "PLACE_TYPES",
    "PROTECTED_PLACE_TYPES",
    "SECTORS",
    "EVENT_KINDS",
    "OUTCOMES",
    "GALLERIES",
    "DECISION_OUTCOMES",
    "code",
    "is_removable",
]

#: True legal status of a synthetic person, in the order of their integer codes.
STATUSES: tuple[str, ...] = (
    "citizen_birth",  # US citizen by birth
    "naturalised",  # naturalised US citizen
    "lpr",  # lawful permanent resident
    "visa",  # temporary visa holder
    "protected",  # TPS, DACA, pending asylum, parole: lawfully present or protected from removal
    "unauthorised",  # no status and no protection
    "final_order",  # subject to a final order of removal
)
STATUS_LABELS: dict[str, str] = {
    "citizen_birth": "Citizen by birth",
    "naturalised": "Naturalised citizen",
    "lpr": "Lawful permanent resident",
    "visa": "Temporary visa holder",
    "protected": "Protected or pending (TPS, DACA, asylum, parole)",
    "unauthorised": "Unauthorised, unprotected",
    "final_order": "Final order of removal",
    "expired": "Recorded as expired status",
}
#: A record's status: any true status, or a lawful status wrongly recorded as expired.
RECORD_STATUSES: tuple[str, ...] = STATUSES + ("expired",)
#: Statuses under which removal is lawful. Everyone else is a citizen or a lawful resident.
REMOVABLE_STATUSES: tuple[str, ...] = ("unauthorised", "final_order")
#: Record statuses that make an officer treat the person as removable.
REMOVABLE_RECORD_STATUSES: tuple[str, ...] = ("unauthorised", "final_order", "expired")
CITIZEN_STATUSES: tuple[str, ...] = ("citizen_birth", "naturalised")

RACES: tuple[str, ...] = ("white", "black", "hispanic", "asian")
SEXES: tuple[str, ...] = ("man", "woman")
#: Demographic group = race x sex; code = race_code * 2 + sex_code.
GROUPS: tuple[str, ...] = tuple(f"{r}_{s}" for r in RACES for s in SEXES)
#: The group against which false-match multipliers and disparity ratios are stated (NIST's).
REFERENCE_GROUP: str = "white_man"

PLACE_TYPES: tuple[str, ...] = (
    "residence",  # a single-family home or an apartment complex
    "workplace",
    "school",
    "clinic",
    "church",
    "courthouse",
    "protest_site",
)
PROTECTED_PLACE_TYPES: tuple[str, ...] = ("school", "clinic", "church", "courthouse", "protest_site")
#: Workplace sectors; a day-labour site is a workplace whose sector is ``day_labour``.
SECTORS: tuple[str, ...] = ("office", "retail", "construction", "agriculture_food", "day_labour")

EVENT_KINDS: tuple[str, ...] = (
    "operation",  # a team visits a place (person = -1)
    "encounter",  # a person present at an operation
    "scan",  # a biometric capture and 1:N search
    "match",  # the search returned a candidate above threshold
    "detention",
    "release",
    "removal",
    "decision",  # what the officer decided about a flagged person (detain, or cleared by a safeguard)
)
OUTCOMES: tuple[str, ...] = (
    "none",
    "found_removable",  # operation: at least one truly removable person detained
    "found_none",  # operation: nobody truly removable detained
    "present",  # encounter
    "no_match",  # scan
    "matched",  # scan
    "mate",  # match: the person's own record
    "false_match",  # match: someone else's record
    "removable",  # detention of a truly removable person
    "wrongful",  # detention of a citizen or lawful resident
    "released_wrongful",  # release after proving status
    "removed",  # removal from the country
    "detain",  # decision: the flag stands
    "cleared_documents",  # decision: documents carried were honoured
    "cleared_review",  # decision: a second examiner rejected the match
    "cleared_status_check",  # decision: a digital status check showed lawful status
    "cleared_other",  # decision: cleared by a decision rule without an outcome of its own (a plug-in)
)
#: Outcomes of a ``decision`` event.
DECISION_OUTCOMES: tuple[str, ...] = (
    "detain", "cleared_documents", "cleared_review", "cleared_status_check", "cleared_other",
)

#: Biometric galleries a 1:N search can go over (Mobile Fortify's reported data sources): the
#: traveller/passport gallery (CBP TVS and State Department passport photos; it holds citizens),
#: the enforcement gallery (DHS IDENT/HART: non-citizens' biometrics), visa application photos
#: (State Department), and booking photos (mugshots; NCIC and state systems).
GALLERIES: tuple[str, ...] = ("traveller", "enforcement", "visa", "mugshot")


def code(vocabulary: tuple[str, ...], name: str) -> int:
    """Return the integer code of ``name`` in ``vocabulary``.

    Examples:
        >>> code(STATUSES, "final_order")
        6
    """
    return vocabulary.index(name)


_REMOVABLE = np.isin(np.arange(len(RECORD_STATUSES)), [code(RECORD_STATUSES, s) for s in REMOVABLE_STATUSES])


def is_removable(status: np.ndarray) -> np.ndarray:
    """Return whether each true status code is removable (vectorised).

    Examples:
        >>> is_removable(np.array([0, 5, 6])).tolist()
        [False, True, True]
    """
    return _REMOVABLE[np.asarray(status)]

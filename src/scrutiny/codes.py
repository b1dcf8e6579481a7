"""The model's vocabularies: legal statuses, demographic groups, place types and event kinds.

Arrays store the integer code (the position in the tuple); tables and reports use the name.
Keeping them in one place means the scenario, the world, the event log and the metrics all
spell a status the same way.

Legal statuses, record statuses and galleries belong to a jurisdiction (``scenario.jurisdiction``):
a run's :class:`Vocabulary` (``world.vocab``, ``EventLog.vocab``) holds them with each status's roles
as lookup arrays, and model code asks it rather than naming a status. The module-level
``STATUSES``, ``RECORD_STATUSES``, ``GALLERIES`` and friends are the default (US) jurisdiction's, kept
for tests and for code that only ever meets the US jurisdiction.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Vocabulary",
    "HISTORIES",
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
    "status_check",  # a person's status checked at a service point (place = -1; context = the service point)
    "report",  # a person reported to enforcement by a service point (context = the service point)
    "secondary",  # a traveller referred to secondary inspection (context = the checkpoint or port; outcome = why)
    "seizure",  # contraband (drugs) seized at a checkpoint's secondary inspection (context = the checkpoint)
    "traveller_photo",  # a traveller photographed at a port of entry and compared (context = the port)
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
    "check_passed",  # status_check: the status was shown and accepted
    "service_refused",  # status_check: the check failed and no rule cleared it; the service is refused
    "reported",  # report
    "cleared_discretion",  # decision: agents did not act on the flag
    "released",  # release of a removable detainee (bond, parole) before removal
    "refused_doubt",  # status_check: status shown (or not asked), but the checker refused on doubt
    "charged",  # status_check at a charging point: classified chargeable; treated and billed
    "care_refused",  # status_check at a charging point: charged up front and went without care
    "served_unproven",  # status_check at a recording point: the check failed, the service is given regardless
    "referred_random",  # secondary: referred by a random draw
    "referred_appearance",  # secondary: referred by an agent's judgement (a rate by appearance)
    "referred_plate_hit",  # secondary: the vehicle's plate hit a hot list on the corridor
    "referred_canine",  # secondary: a dog alerted at primary inspection
    "referred_face_match",  # secondary: a traveller's photo matched someone else's (port of entry)
    "drugs_seized",  # seizure
)
#: A person's criminal history (``People.history``), in the order of its codes.
HISTORIES: tuple[str, ...] = ("none", "pending_charge", "conviction")
#: Outcomes of a ``decision`` event.
DECISION_OUTCOMES: tuple[str, ...] = (
    "detain", "cleared_documents", "cleared_review", "cleared_status_check", "cleared_other", "cleared_discretion",
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


class Vocabulary:
    """The statuses, record statuses, galleries and place types of one jurisdiction, with their roles as arrays.

    Built from a ``scenario.jurisdiction`` block (:meth:`from_params`). Lookup arrays are indexed by
    integer code: ``vocab.removable[status]`` says whether each status is removable.

    Examples:
        >>> v = Vocabulary.default()
        >>> v.statuses[:2], bool(v.removable[v.code("final_order")]), bool(v.removable_record[v.record_code("expired")])
        (('citizen_birth', 'naturalised'), True, True)
    """

    __slots__ = (
        "name", "label", "statuses", "status_labels", "record_statuses", "galleries", "place_types", "place_labels",
        "citizen", "removable", "native", "undocumented", "record_kind", "named_record", "removable_record",
        "can_expire_record", "digital_only", "unrecorded_to", "race_mix_as", "protected_place", "chilled_place",
        "service_points", "expiry_record",
    )

    #: ``record_kind`` codes: who of a status has an immigration record.
    RECORD_NONE, RECORD_ALWAYS, RECORD_IF_ENROLLED = 0, 1, 2

    def __init__(self, params) -> None:
        st = params.statuses
        self.name, self.label = str(params.name), str(params.label)
        self.statuses: tuple[str, ...] = tuple(st)
        self.record_statuses: tuple[str, ...] = (*st, *params.record_only)
        self.status_labels = {k: v.label for k, v in st.items()} | {k: v.label for k, v in params.record_only.items()}
        self.galleries: tuple[str, ...] = tuple(params.galleries)
        self.place_types: tuple[str, ...] = tuple(params.place_types)
        self.place_labels = {k: v.label for k, v in params.place_types.items()}
        flag = lambda attr: np.array([bool(getattr(v, attr)) for v in st.values()], dtype=bool)  # noqa: E731
        self.citizen, self.removable, self.native = flag("citizen"), flag("removable"), flag("native")
        self.undocumented, self.digital_only = flag("undocumented"), flag("digital_only")
        kinds = {"none": self.RECORD_NONE, "always": self.RECORD_ALWAYS, "if_enrolled": self.RECORD_IF_ENROLLED}
        self.record_kind = np.array([kinds[v.record] for v in st.values()], dtype=np.int8)
        n_extra = len(params.record_only)
        self.named_record = np.r_[flag("named"), np.zeros(n_extra, dtype=bool)]
        self.removable_record = np.r_[self.removable, [bool(r.removable) for r in params.record_only.values()]]
        self.removable_record = self.removable_record.astype(bool)
        self.can_expire_record = np.r_[flag("can_expire"), np.zeros(n_extra, dtype=bool)]
        names = list(st)
        self.unrecorded_to = np.array([names.index(v.unrecorded_as) if v.unrecorded_as else -1 for v in st.values()],
                                      dtype=np.int8)
        self.race_mix_as = {**{k: k for k in st}, **{k: r.race_mix_as for k, r in params.record_only.items()}}
        self.protected_place = np.array([v.protected for v in params.place_types.values()], dtype=bool)
        self.chilled_place = np.array([v.chilled for v in params.place_types.values()], dtype=bool)
        self.service_points = dict(params.service_points)
        expiry = getattr(params, "expiry_record", "") or ""
        self.expiry_record = self.record_statuses.index(expiry) if expiry else -1

    @classmethod
    def default(cls) -> Vocabulary:
        """The default jurisdiction's vocabulary (the US), read from its packaged data file."""
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls(_Table(_read_packaged("us")))
        return _DEFAULT

    def code(self, status: str) -> int:
        """The integer code of a true status."""
        return self.statuses.index(status)

    def record_code(self, status: str) -> int:
        """The integer code of a record status."""
        return self.record_statuses.index(status)

    def is_removable(self, status: np.ndarray) -> np.ndarray:
        """Whether each true status code is removable (vectorised; -1 is not)."""
        status = np.asarray(status)
        return np.where(status >= 0, self.removable[np.maximum(status, 0)], False)

    def is_citizen(self, status: np.ndarray) -> np.ndarray:
        """Whether each true status code is a citizenship (vectorised; -1 is not)."""
        status = np.asarray(status)
        return np.where(status >= 0, self.citizen[np.maximum(status, 0)], False)

    def is_lawful(self, status: np.ndarray) -> np.ndarray:
        """Whether each true status code is a citizen or lawful resident (not removable; -1 is not)."""
        status = np.asarray(status)
        return (status >= 0) & ~self.is_removable(status)

    def shows_removable(self, record: np.ndarray) -> np.ndarray:
        """Whether each record status code makes an officer treat the person as removable (-1: no record)."""
        record = np.asarray(record)
        return np.where(record >= 0, self.removable_record[np.maximum(record, 0)], False)

    def codes_where(self, mask: np.ndarray) -> list[int]:
        """The status codes where a per-status mask is true."""
        return [int(i) for i in np.flatnonzero(mask)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and (self.statuses, self.record_statuses, self.place_types) == (
            other.statuses, other.record_statuses, other.place_types) and np.array_equal(
            self.removable_record, other.removable_record) and np.array_equal(self.citizen, other.citizen)

    def __hash__(self) -> int:
        return hash((self.statuses, self.record_statuses, self.place_types))


_DEFAULT: Vocabulary | None = None


_ROLE_DEFAULTS = {"expiry_record": "", "citizen": False, "removable": False, "native": False, "undocumented": False,
                  "record": "always", "named": False, "unrecorded_as": "", "can_expire": False, "digital_only": False,
                  "protected": False, "chilled": False, "kind": "service", "miles_inland": 0.0}


class _Table:
    """Attribute access over a jurisdiction table read straight from TOML (role flags default to off)."""

    def __init__(self, data: dict) -> None:
        self._data = data

    def __getattr__(self, name: str):
        value = self._data[name] if name in self._data else _ROLE_DEFAULTS.get(name, {})
        if isinstance(value, dict):
            return {k: _Table(v) if isinstance(v, dict) else v for k, v in value.items()} if name in (
                "statuses", "record_only", "place_types", "service_points") else value
        return value


def _read_packaged(name: str) -> dict:
    import tomllib
    from importlib import resources

    path = resources.files("scrutiny") / "scenario" / "jurisdictions" / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))

"""Administrative status records: who has one, what status it shows, and the address it gives.

The errors modelled are the ones reporting documents: naturalised citizens still recorded as
non-citizens, lawful statuses recorded as expired, protection held in another system, merged
identities, and stale addresses. A record's address confidence (0-100) is the probability that
its address is current given the record's age, so the confidence is calibrated by construction:
with ages exponential with mean ``A`` and confidence ``exp(-age / tau)``, the mean validity
``tau / (tau + A)`` equals ``p_address_current`` when ``tau = A p / (1 - p)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scrutiny.codes import RECORD_STATUSES, REMOVABLE_RECORD_STATUSES, STATUSES, code
from scrutiny.rng import Streams
from scrutiny.scenario import AdminRecordsParams
from scrutiny.world import World

__all__ = ["Records", "Leads", "admin_records", "record_leads", "SOURCE_NAMES"]

#: Lead sources, in the order of their integer codes in ``Leads.source``.
SOURCE_NAMES: tuple[str, ...] = ("admin",)


@dataclass(frozen=True, slots=True)
class Records:
    """The status each person's own record shows (int8 code in RECORD_STATUSES; -1 = no record)."""

    status: np.ndarray  # int8[N]


@dataclass(frozen=True, slots=True)
class Leads:
    """Person-at-place claims that targeting sees, each with an address confidence 0-100."""

    person: np.ndarray  # int32[L]
    place: np.ndarray  # int32[L]
    confidence: np.ndarray  # float32[L], 0-100
    source: np.ndarray  # int8[L], code in SOURCE_NAMES

    @property
    def n(self) -> int:
        """Number of leads."""
        return int(self.person.shape[0])


def _code(name: str) -> int:
    return code(RECORD_STATUSES, name)


def admin_records(world: World, has_record: np.ndarray, p: AdminRecordsParams, streams: Streams) -> Records:
    """Return the status each person's record shows, with the documented recording errors.

    Args:
        world: The world.
        has_record: bool[N], whether the person has an immigration record (citizens by birth
            have none; their passport record, if any, shows their true status).
        p: Administrative-record parameters.
        streams: Random streams (``sources.admin.*``).

    Returns:
        :class:`Records`.
    """
    status = world.people.status
    n = status.size
    ids = np.arange(n, dtype=np.int64)
    u = streams.uniform("sources.admin.status_error", ids)
    u2 = streams.uniform("sources.admin.status_error", ids, step=1)
    rec = status.astype(np.int8).copy()
    nat = status == code(STATUSES, "naturalised")
    unrecorded = nat & (u < p.p_naturalisation_unrecorded)
    rec[unrecorded] = _code("lpr")
    lawful_nc = np.isin(status, [code(STATUSES, s) for s in ("lpr", "visa")]) | unrecorded
    rec[lawful_nc & (u2 < p.p_lawful_recorded_expired)] = _code("expired")
    prot = status == code(STATUSES, "protected")
    rec[prot & (u < p.p_protection_unrecorded)] = _code("unauthorised")
    holders = np.flatnonzero(has_record)
    merged = holders[streams.uniform("sources.admin.status_error", holders, step=2) < p.p_merged_identity]
    if merged.size and holders.size:
        other = holders[(streams.uniform("sources.admin.status_error", merged, step=3) * holders.size).astype(np.int64)]
        rec[merged] = rec[other]
    rec[~has_record] = -1
    return Records(status=rec)


def record_leads(world: World, records: Records, p: AdminRecordsParams, streams: Streams) -> Leads:
    """Turn records that show a removable status into leads at the address on file.

    A record's address is current with probability equal to its confidence; otherwise it is a
    former address: another home in the same tract (half the time) or anywhere in the metro.
    """
    if not p.enabled:
        return empty_leads()
    removable = np.isin(records.status, [_code(s) for s in REMOVABLE_RECORD_STATUSES])
    person = np.flatnonzero(removable)
    mean_age = p.mean_record_age_days
    pc = min(max(p.p_address_current, 1e-9), 1 - 1e-9)
    tau = mean_age * pc / (1.0 - pc)
    age = -mean_age * np.log1p(-streams.uniform("sources.admin.address", person))
    confidence = np.exp(-age / tau)
    current = streams.uniform("sources.admin.address", person, step=1) < confidence
    home = world.people.home[person]
    tract = world.places.tract[home]
    res_tract_start = np.searchsorted(world.places.tract[: world.places.n_residences], np.arange(world.tracts.n + 1))
    u_where = streams.uniform("sources.admin.address", person, step=2)
    u_pick = streams.uniform("sources.admin.address", person, step=3)
    lo, hi = res_tract_start[tract], res_tract_start[tract + 1]
    same_tract = lo + np.minimum((u_pick * (hi - lo)).astype(np.int64), hi - lo - 1)
    anywhere = np.minimum((u_pick * world.places.n_residences).astype(np.int64), world.places.n_residences - 1)
    stale = np.where(u_where < 0.5, same_tract, anywhere)
    place = np.where(current, home, stale).astype(np.int32)
    return Leads(
        person=person.astype(np.int32),
        place=place,
        confidence=(100.0 * confidence).astype(np.float32),
        source=np.zeros(person.size, dtype=np.int8),
    )


def empty_leads() -> Leads:
    """Return a lead set with no leads."""
    return Leads(
        person=np.zeros(0, np.int32), place=np.zeros(0, np.int32),
        confidence=np.zeros(0, np.float32), source=np.zeros(0, np.int8),
    )

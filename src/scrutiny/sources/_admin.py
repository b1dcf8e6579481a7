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

from scrutiny.rng import Streams
from scrutiny.scenario import SOURCES, AdminRecordsParams
from scrutiny.sources._base import RecordFlow, SourceContext, channel_code
from scrutiny.sources._leads import (
    ADDRESS,
    Leads,
    Tally,
    empty_leads,
    make_leads,
    wrong_address,
)
from scrutiny.world import World

__all__ = ["Records", "admin_records", "record_leads", "watch_list", "AdminSource"]


@dataclass(frozen=True, slots=True)
class Records:
    """The status each person's own record shows (int8 record-status code of the jurisdiction; -1 = no record)."""

    status: np.ndarray  # int8[N]


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
    status, vocab = world.people.status, world.vocab
    n = status.size
    ids = np.arange(n, dtype=np.int64)
    u = streams.uniform("sources.admin.status_error", ids)
    u2 = streams.uniform("sources.admin.status_error", ids, step=1)
    rec = status.astype(np.int8).copy()
    for s in np.flatnonzero(vocab.unrecorded_to >= 0):  # changes never recorded (a naturalisation, a protection)
        rec[(status == s) & (u < p.p_unrecorded[vocab.statuses[s]])] = vocab.unrecorded_to[s]
    if vocab.expiry_record >= 0:  # lawful statuses recorded as expired (after any unrecorded change)
        rec[vocab.can_expire_record[rec] & (u2 < p.p_lawful_recorded_expired)] = vocab.expiry_record
    holders = np.flatnonzero(has_record)
    merged = holders[streams.uniform("sources.admin.status_error", holders, step=2) < p.p_merged_identity]
    if merged.size and holders.size:
        other = holders[(streams.uniform("sources.admin.status_error", merged, step=3) * holders.size).astype(np.int64)]
        rec[merged] = rec[other]
    rec[~has_record] = -1
    return Records(status=rec)


def watch_list(records: Records, vocab=None) -> np.ndarray:
    """Return the people whose record shows a removable status (int64, sorted): the agency's target list.

    Hot lists, broker look-ups and cell-site deployments search for these people. Everyone on it is a
    target in the agency's eyes; some are citizens or lawful residents whose record is wrong.
    """
    from scrutiny.codes import Vocabulary

    return np.flatnonzero((vocab or Vocabulary.default()).shows_removable(records.status))


def record_leads(world: World, records: Records, p: AdminRecordsParams, streams: Streams) -> Leads:
    """Turn records that show a removable status into leads at the address on file.

    A record's address is current with probability equal to its confidence; otherwise it is a
    former address: another home in the same tract (half the time) or anywhere in the metro.
    """
    if not p.enabled:
        return empty_leads()
    person = watch_list(records, world.vocab)
    mean_age = p.mean_record_age_days
    pc = min(max(p.p_address_current, 1e-9), 1 - 1e-9)
    tau = mean_age * pc / (1.0 - pc)
    age = -mean_age * np.log1p(-streams.uniform("sources.admin.address", person))
    confidence = np.exp(-age / tau)
    current = streams.uniform("sources.admin.address", person, step=1) < confidence
    u_where = streams.uniform("sources.admin.address", person, step=2)
    u_pick = streams.uniform("sources.admin.address", person, step=3)
    stale = wrong_address(world, person, u_where, u_pick)
    place = np.where(current, world.people.home[person], stale)
    return make_leads(person, place, 100.0 * confidence, channel_code("admin"), ADDRESS)


@SOURCES.implements("admin")
class AdminSource(RecordFlow):
    """Administrative status records: the watch list's addresses at the start, confirmed afresh day by day."""

    def __init__(self, ctx: SourceContext, p: AdminRecordsParams) -> None:
        from scrutiny.sources._bulk import RecordSource

        super().__init__(ctx, p)
        in_watch = np.zeros(ctx.has_record.size, dtype=bool)
        in_watch[ctx.watch] = True
        other = ctx.has_record & ~in_watch
        n_rem = int((other & ctx.removable).sum())
        self.bulk = [RecordSource(
            source=ctx.channel("admin"), subjects=ctx.watch, n_other_lawful=int(other.sum()) - n_rem,
            n_other_removable=n_rem, p_refresh=p.p_refresh_per_day, q=1.0, stream="sources.admin.refresh",
            res_start=ctx.res_start,
        )]
        self._start_refresh()

    def initial(self, tally: Tally) -> Leads:
        """Every record at the start: each one counted, watch-listed people's records turned into leads."""
        j = self.ctx.channel("admin")
        tally.records[j] += int(self.ctx.has_record.sum())
        tally.bystanders[j] += int((self.ctx.has_record & ~self.ctx.removable).sum())
        return record_leads(self.ctx.world, self.ctx.records, self.p, self.ctx.streams)

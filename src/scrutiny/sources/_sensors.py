"""Sensors: licence-plate readers and cell-site simulators, which record everyone who passes.

Both record people who are not targets by the thousand; their cost per day is kept proportional to
what they yield by counting reads and phones in aggregate and materialising a person only for an
immigration hot-list hit or a located phone.

**Plate readers.** ``n`` cameras (``cameras_per_100k``), a share watching a place (workplace,
school, clinic, church, courthouse), the rest a road in a tract (tracts drawn by population). Each
camera reads ``V`` vehicles a day (every passing vehicle, all retained), so a day has exactly
``n V`` reads. Hits on any hot list are Binomial(``V``, ``p_hot_list``) per camera; a share
``p_false_alert`` of hits are false alerts (the vehicle read is not the one listed); a share
``p_immigration_entry`` of hits, true or false, are on an immigration entry, i.e. name a watch-listed
person. A true hit names a watch-listed person who uses the camera's place (a worker there, else a
resident of its tract) or lives in the road camera's tract (else anyone on the list); a false alert
names any watch-listed person. A hit at a place is a *sighting* there; a hit on a road is an address
lead at the vehicle's registered address (the person's home) for a true hit, or at a home in the
camera's tract (where the misread vehicle was followed) for a false alert. A hit on someone already
in custody yields nothing. Bystander records are all reads except true immigration hits on truly
removable people.

**Cell-site simulators.** Deployments arrive as a Poisson process (the national rate scaled like the
arrest target). Each targets a watch-listed person at large, at the place where the lead book puts
them with the highest confidence; it captures ``phones_per_deployment`` phones (Poisson). If the
target is really there, their phone is captured and, unless mislinked (``p_link_error``), located:
an address lead at their home; a mislinked phone puts the lead at another home in the tract. Every
other phone captured is a bystander record.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import SOURCES, CellSiteParams, PlateReaderParams
from scrutiny.sources._base import Source, SourceContext, channel_code
from scrutiny.sources._leads import (
    ADDRESS,
    SIGHTING,
    Leads,
    Tally,
    empty_leads,
    make_leads,
    residence_tract_start,
)
from scrutiny.world import World

__all__ = ["PlateReaders", "CellSites", "plate_day_counts", "PlateReaderSource", "CellSiteSource"]

_CAMERA_PLACE_TYPES = tuple(code(PLACE_TYPES, t) for t in ("workplace", "school", "clinic", "church", "courthouse"))


def plate_day_counts(n_cameras: int, reads_per_camera: int, p: PlateReaderParams,
                     rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One day of plate reads per camera, drawn in aggregate.

    Returns:
        ``{"reads", "hits", "false_alerts", "immigration_hits", "immigration_false"}``, each int64[n_cameras]:
        reads, hot-list hits, false alerts among them, true and false hits on immigration entries.

    Examples:
        >>> from scrutiny.scenario import PlateReaderParams
        >>> c = plate_day_counts(3, 1000, PlateReaderParams(), np.random.default_rng(0))
        >>> c["reads"].tolist()
        [1000, 1000, 1000]
    """
    reads = np.full(n_cameras, reads_per_camera, dtype=np.int64)
    hits = rng.binomial(reads, p.p_hot_list)
    false = rng.binomial(hits, p.p_false_alert)
    imm = rng.binomial(hits - false, p.p_immigration_entry)
    imm_false = rng.binomial(false, p.p_immigration_entry)
    return {"reads": reads, "hits": hits, "false_alerts": false, "immigration_hits": imm,
            "immigration_false": imm_false}


def _pick(pool: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One element of ``pool[lo:hi]`` per row, chosen by ``u``; rows with an empty range pick from all of ``pool``."""
    empty = hi <= lo
    lo, hi = np.where(empty, 0, lo), np.where(empty, pool.size, hi)
    return pool[lo + np.minimum((u * (hi - lo)).astype(np.int64), hi - lo - 1)]


class PlateReaders:
    """Fixed plate-reader cameras; :meth:`day` yields today's leads and counts today's reads."""

    def __init__(self, world: World, watch: np.ndarray, p: PlateReaderParams, streams: Streams) -> None:
        self.world, self.watch, self.p, self.streams = world, watch, p, streams
        self.code = channel_code("plates")
        self._daily = streams.generator("sources.plates")  # run-long: a day's draws never depend on custody
        self.res_start = residence_tract_start(world)
        rng = streams.generator("sources.plates.cameras")
        n_cam = int(round(p.cameras_per_100k * world.people.n / 1e5))
        n_at_place = int(round(p.share_at_places * n_cam))
        sites = np.flatnonzero(np.isin(world.places.kind, _CAMERA_PLACE_TYPES))
        n_at_place = n_at_place if sites.size else 0
        self.place = np.r_[rng.choice(sites, n_at_place) if n_at_place else np.zeros(0, np.int64),
                           np.full(n_cam - n_at_place, -1)].astype(np.int64)
        pop = world.tracts.population.astype(np.float64)
        road_tract = rng.choice(world.tracts.n, n_cam - n_at_place, p=pop / pop.sum()) if n_cam > n_at_place else []
        self.tract = np.r_[world.places.tract[self.place[:n_at_place]], road_tract].astype(np.int64)
        self.reads_per_camera = int(round(p.reads_per_camera_per_day))
        self._pools()
        self._history = np.zeros(max(1, int(np.ceil(p.retention_days))), dtype=np.int64)

    def _pools(self) -> None:
        """Per camera, the range of watch-listed people whose vehicles it sees (workers, else tract residents)."""
        w, ppl = self.world, self.world.people
        wl_tract = w.places.tract[ppl.home[self.watch]]  # non-decreasing: people are sorted by home
        start = np.searchsorted(wl_tract, np.arange(w.tracts.n + 1))
        by_day = self.watch[np.argsort(ppl.day_place[self.watch], kind="stable")]
        day_start = np.searchsorted(ppl.day_place[by_day], np.r_[self.place, self.place + 1])
        n = self.place.size
        w_lo, w_hi = day_start[:n], day_start[n:]
        at_place = (self.place >= 0) & (w_hi > w_lo)
        t_lo, t_hi = start[self.tract], start[self.tract + 1]
        self.pool = np.r_[by_day, self.watch]
        offset = by_day.size
        self.lo = np.where(at_place, w_lo, offset + t_lo)
        self.hi = np.where(at_place, w_hi, offset + t_hi)

    @property
    def n_cameras(self) -> int:
        """Number of cameras."""
        return int(self.place.size)

    def day(self, day: int, ti_free: np.ndarray, removable: np.ndarray, tally: Tally) -> Leads:
        """Read today's vehicles; return the leads from immigration hits and count reads and bystanders."""
        if self.n_cameras == 0:
            return empty_leads()
        rng = self._daily
        c = plate_day_counts(self.n_cameras, self.reads_per_camera, self.p, rng)
        reads = self.n_cameras * self.reads_per_camera
        self._history[day % self._history.size] = reads
        tally.records[self.code] += reads
        n_true, n_false = int(c["immigration_hits"].sum()), int(c["immigration_false"].sum())
        if self.watch.size == 0 or n_true + n_false == 0:
            tally.bystanders[self.code] += reads
            return empty_leads()
        cams = np.arange(self.n_cameras)
        cam = np.concatenate([np.repeat(cams, c["immigration_hits"]), np.repeat(cams, c["immigration_false"])])
        u = rng.random(n_true + 2 * n_false)  # true hit's person; false alert's entry and the home it leads to
        entry = np.minimum((u[n_true:n_true + n_false] * self.watch.size).astype(np.int64), self.watch.size - 1)
        subject = np.concatenate([_pick(self.pool, self.lo[cam[:n_true]], self.hi[cam[:n_true]], u[:n_true]),
                                  self.watch[entry]])
        found = removable[subject[:n_true]] & (ti_free[subject[:n_true]] <= day)
        tally.bystanders[self.code] += reads - int(found.sum())
        false = np.arange(cam.size) >= n_true
        u_home = np.concatenate([np.zeros(n_true), u[n_true + n_false:]])
        free = ti_free[subject] <= day
        cam, subject, false, u_home = cam[free], subject[free], false[free], u_home[free]
        at_place = self.place[cam] >= 0
        road = np.where(false, _home_in_tract(self.res_start, self.tract[cam], u_home), self.world.people.home[subject])
        return Leads(
            person=subject.astype(np.int32), place=np.where(at_place, self.place[cam], road).astype(np.int32),
            confidence=np.full(subject.size, self.p.hit_confidence, np.float32),
            source=np.full(subject.size, self.code, np.int8),
            kind=np.where(at_place, SIGHTING, ADDRESS).astype(np.int8),
        )

    def retained(self) -> int:
        """Reads held at the end of the last day simulated (the retention window)."""
        return int(self._history.sum())


def _home_in_tract(start: np.ndarray, tract: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A home in each given tract (``start``: residences by tract, CSR), chosen by ``u``."""
    lo, hi = start[tract], start[tract + 1]
    return lo + np.minimum((u * (hi - lo)).astype(np.int64), np.maximum(hi - lo - 1, 0))


class CellSites:
    """Cell-site simulator deployments; :meth:`day` yields the phones located today."""

    def __init__(self, world: World, watch: np.ndarray, p: CellSiteParams, rate_per_day: float, n_days: int,
                 streams: Streams) -> None:
        self.world, self.watch, self.p, self.rate, self.streams = world, watch, p, rate_per_day, streams
        self.code = channel_code("cell")
        self.res_start = residence_tract_start(world)
        self.per_day = streams.generator("sources.cell").poisson(rate_per_day, max(int(n_days), 1))

    def day(self, day: int, ti_free: np.ndarray, removable: np.ndarray, tally: Tally,
            locate: Callable[[np.ndarray, int], np.ndarray]) -> Leads:
        """Deploy today's simulators; count every phone captured; return leads for targets located.

        Args:
            day: Day index.
            ti_free: First day each person is out of custody.
            removable: bool[N] true removability (for the bystander count only).
            tally: Running totals, updated in place.
            locate: ``locate(people, day)`` returns the place where the lead book puts each person with
                the highest confidence, -1 where it has no lead.
        """
        n = int(self.per_day[day]) if day < self.per_day.size else 0  # deployments: drawn for the run at the start
        if n == 0 or self.watch.size == 0:
            return empty_leads()
        rng = self.streams.generator("sources.cell", step=day)
        target = self.watch[rng.integers(0, self.watch.size, n)]
        phones = rng.poisson(self.p.phones_per_deployment, n)
        u_link, u_home = rng.random(n), rng.random(n)
        free = ti_free[target] <= day
        place = np.full(n, -1, dtype=np.int64)
        place[free] = locate(target[free], day)
        deployed = place >= 0
        ppl = self.world.people
        there = deployed & ((ppl.home[target] == place) | (ppl.day_place[target] == place)) & (phones > 0)
        tally.records[self.code] += int(phones[deployed].sum())
        tally.bystanders[self.code] += int(phones[deployed].sum()) - int((there & removable[target]).sum())
        linked = there & (u_link >= self.p.p_link_error)
        mislinked = there & ~linked
        home = np.where(linked, ppl.home[target], _home_in_tract(
            self.res_start, self.world.places.tract[np.maximum(place, 0)], u_home))
        keep = linked | mislinked
        return make_leads(target[keep], home[keep], self.p.locate_confidence, self.code, ADDRESS)


@SOURCES.implements("plates")
class PlateReaderSource(Source):
    """Licence-plate readers as a registered source (see :class:`PlateReaders`)."""

    def __init__(self, ctx: SourceContext, p: PlateReaderParams) -> None:
        super().__init__(ctx, p)
        self.readers = PlateReaders(ctx.world, ctx.watch, p, ctx.streams)

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Today's reads and hot-list hits."""
        return self.readers.day(day, ti_free, self.ctx.removable, tally)

    def gauges(self) -> dict[str, float]:
        """Reads held at the end of the day."""
        return {"plate_reads_retained": float(self.readers.retained())}


@SOURCES.implements("cell")
class CellSiteSource(Source):
    """Cell-site simulators as a registered source (see :class:`CellSites`); deployments scale like arrests."""

    def __init__(self, ctx: SourceContext, p: CellSiteParams) -> None:
        super().__init__(ctx, p)
        rate = p.deployments_per_year_national / 365.0 * ctx.scale
        self.sites = CellSites(ctx.world, ctx.watch, p, rate, ctx.scenario.n_days, ctx.streams)

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Today's deployments and the phones they locate."""
        return self.sites.day(day, ti_free, self.ctx.removable, tally, locate)

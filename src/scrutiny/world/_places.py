"""Non-residential places and daily schedules.

The places are workplaces by sector, schools, clinics, churches, courthouses and protest sites.

Schedules are fixed per person: at night everyone not detained is at home; on a working day an
employed adult is at a workplace and a child at a school. Visits to clinics, churches, courts
and protests are not stored per person and day: the field stage draws them only for places where
an operation happens (see ``scrutiny.field``), which keeps each day's cost proportional to the
people encountered rather than to the population.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import PLACE_TYPES, SECTORS, Vocabulary, code
from scrutiny.rng import Streams
from scrutiny.scenario import WorldParams
from scrutiny.world._metro import TRACT_KM

__all__ = ["assign_day_places", "community_places", "commute_destinations"]


def commute_destinations(
    origin: np.ndarray, x: np.ndarray, y: np.ndarray, scale_km: float, u: np.ndarray
) -> np.ndarray:
    """Draw a destination tract for each worker from an exponential distance kernel.

    Args:
        origin: int32[W] home tract of each worker, non-decreasing.
        x: float32[T] tract centroids, km.
        y: float32[T] tract centroids, km.
        scale_km: Distance scale of the kernel.
        u: float64[W] uniforms.

    Returns:
        int32[W] destination tracts.
    """
    dest = np.empty(origin.size, dtype=np.int32)
    bounds = np.searchsorted(origin, np.arange(x.size + 1))
    for k in range(x.size):
        lo, hi = bounds[k], bounds[k + 1]
        if lo == hi:
            continue
        d = np.hypot(x - x[k], y - y[k])
        cum = np.cumsum(np.exp(-d / scale_km))
        dest[lo:hi] = np.minimum(np.searchsorted(cum, u[lo:hi] * cum[-1], side="right"), x.size - 1)
    return dest


def _cells_to_places(cell: np.ndarray, n_cells: int, size: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Create ``max(1, round(count / size))`` places per occupied cell and spread its people over them.

    Returns:
        ``(local_place_id per person, cell of each place)``.
    """
    count = np.bincount(cell, minlength=n_cells)
    n_places = np.where(count > 0, np.maximum(1, np.round(count / size)), 0).astype(np.int64)
    offset = np.cumsum(n_places) - n_places
    local = offset[cell] + np.minimum((u * n_places[cell]).astype(np.int64), n_places[cell] - 1)
    return local, np.repeat(np.arange(n_cells), n_places)


def assign_day_places(
    tract: np.ndarray,
    status: np.ndarray,
    is_child: np.ndarray,
    tract_x: np.ndarray,
    tract_y: np.ndarray,
    p: WorldParams,
    streams: Streams,
    vocab: Vocabulary | None = None,
) -> dict[str, np.ndarray]:
    """Give employed adults a workplace and children a school (removable workers follow their own sector mix).

    Returns:
        ``day_local`` (int64[N], index into the new places, -1 = none), plus the new places'
        ``kind``, ``sector`` and ``tract`` arrays (workplaces first, then schools).
    """
    rng = streams.generator("world.work")
    n = tract.size
    n_tracts = tract_x.size
    pp = p.places
    employed = (~is_child) & (rng.random(n) < pp.p_employed)
    removable_like = (vocab or Vocabulary.default()).removable[status]
    mixes = np.array([pp.sector_mix_native, pp.sector_mix_unauthorised])
    cum = np.cumsum(mixes, axis=1)
    cum[:, -1] = 1.0
    workers = np.flatnonzero(employed)
    u_sector = rng.random(workers.size)
    sector = (u_sector[:, None] >= cum[removable_like[workers].astype(np.int64)]).sum(axis=1).astype(np.int64)
    scale_km = pp.commute_scale * TRACT_KM
    dest = commute_destinations(tract[workers], tract_x, tract_y, scale_km, rng.random(workers.size))
    n_sec = len(SECTORS)
    cell = dest.astype(np.int64) * n_sec + sector
    size = np.tile(np.asarray(pp.workplace_size, dtype=np.float64), n_tracts)
    wp_local, wp_cell = _cells_to_places(cell, n_tracts * n_sec, size, rng.random(workers.size))
    n_wp = wp_cell.size

    children = np.flatnonzero(is_child)
    sc_local, sc_cell = _cells_to_places(
        tract[children].astype(np.int64), n_tracts, np.full(n_tracts, pp.children_per_school),
        rng.random(children.size),
    )
    day_local = np.full(n, -1, dtype=np.int64)
    day_local[workers] = wp_local
    day_local[children] = n_wp + sc_local
    kind = np.r_[
        np.full(n_wp, code(PLACE_TYPES, "workplace"), dtype=np.int8),
        np.full(sc_cell.size, code(PLACE_TYPES, "school"), dtype=np.int8),
    ]
    sector_of_place = np.r_[(wp_cell % n_sec).astype(np.int8), np.full(sc_cell.size, -1, dtype=np.int8)]
    place_tract = np.r_[(wp_cell // n_sec).astype(np.int32), sc_cell.astype(np.int32)]
    return {"day_local": day_local, "kind": kind, "sector": sector_of_place, "tract": place_tract}


def community_places(population: np.ndarray, tract_x: np.ndarray, tract_y: np.ndarray, p: WorldParams) -> dict:
    """Clinics and churches per tract by population; courthouses and protest sites at the centre.

    Returns:
        The new places' ``kind``, ``sector`` and ``tract`` arrays, grouped by type then tract.
    """
    pp = p.places
    n_total = int(population.sum())
    kinds, tracts = [], []
    for name, per in (("clinic", pp.people_per_clinic), ("church", pp.people_per_church)):
        count = np.round(population / per).astype(np.int64)
        tracts.append(np.repeat(np.arange(population.size, dtype=np.int32), count))
        kinds.append(np.full(int(count.sum()), code(PLACE_TYPES, name), dtype=np.int8))
    cx, cy = np.average(tract_x, weights=population + 1e-9), np.average(tract_y, weights=population + 1e-9)
    central = np.argsort(np.hypot(tract_x - cx, tract_y - cy), kind="stable").astype(np.int32)
    for name, per in (("courthouse", pp.people_per_courthouse), ("protest_site", pp.people_per_protest_site)):
        count = max(1, int(round(n_total / per)))
        tracts.append(np.sort(central[np.arange(count) % central.size]))
        kinds.append(np.full(count, code(PLACE_TYPES, name), dtype=np.int8))
    kind = np.concatenate(kinds)
    return {"kind": kind, "sector": np.full(kind.size, -1, dtype=np.int8), "tract": np.concatenate(tracts)}

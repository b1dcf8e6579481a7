"""Build one replicate's world: tracts, people, households, homes, workplaces and other places."""

from __future__ import annotations

import numpy as np

from scrutiny.codes import PLACE_TYPES, Vocabulary, code
from scrutiny.rng import Streams
from scrutiny.scenario import WorldParams
from scrutiny.world._import import load_aggregates, plan_from_aggregates
from scrutiny.world._metro import TRACT_KM, TractPlan, synthetic_tracts
from scrutiny.world._places import assign_day_places, community_places
from scrutiny.world._population import form_households, house_households, synthesize_people
from scrutiny.world._types import People, Places, Tracts, World

__all__ = ["build_world", "world_from_plan"]


def build_world(p: WorldParams, streams: Streams, vocab: Vocabulary | None = None) -> World:
    """Build one replicate's world: the embedded synthetic metro, or imported tract aggregates.

    Args:
        p: World parameters.
        streams: The replicate's random streams (``world.*`` are used).
        vocab: The jurisdiction's vocabulary (default: the US).

    Returns:
        A :class:`World` whose people are sorted by home.

    Examples:
        >>> from scrutiny.scenario import WorldParams
        >>> w = build_world(WorldParams(n_people=5_000), Streams(1, 0))
        >>> w.people.n
        5000
    """
    vocab = vocab or Vocabulary.default()
    if p.geography == "synthetic":
        plan = synthetic_tracts(p, streams.generator("world.tracts"), vocab)
    else:
        plan = plan_from_aggregates(load_aggregates(p.geography), p, streams.generator("world.tracts"), vocab)
    return world_from_plan(plan, p, streams, vocab)


def criminal_history(status: np.ndarray, is_child: np.ndarray, p: WorldParams, streams: Streams,
                     vocab: Vocabulary) -> np.ndarray:
    """int8[N] criminal history of adults by status (none, pending charge, conviction); children have none.

    One counter-based uniform per person (stream ``world.history``): a conviction below
    ``p_conviction[status]``, a pending charge in the next ``p_pending_charge[status]``.
    """
    u = streams.uniform("world.history", np.arange(status.size, dtype=np.int64))
    conv = np.array([p.p_conviction[s] for s in vocab.statuses])[status]
    pend = np.array([p.p_pending_charge[s] for s in vocab.statuses])[status]
    history = np.where(u < conv, 2, np.where(u < conv + pend, 1, 0)).astype(np.int8)
    history[is_child] = 0
    return history


def _mixed(household: np.ndarray, status: np.ndarray, vocab: Vocabulary) -> np.ndarray:
    n_hh = int(household[-1]) + 1 if household.size else 0
    n_undoc = np.bincount(household[vocab.undocumented[status]], minlength=n_hh)
    size = np.bincount(household, minlength=n_hh)
    return ((n_undoc > 0) & (n_undoc < size))[household]


def _sort_by_home(
    people: dict[str, np.ndarray], household: np.ndarray, home: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Reorder ``people`` (in place) by (home, household); return sorted homes and dense int32 household ids."""
    perm = np.lexsort((household, home))
    for name in people:  # one column at a time: only one old column is alive next to its copy
        people[name] = people[name][perm]
    home = home[perm]
    household = household[perm]
    del perm
    hh = np.empty(household.size, dtype=np.int32)
    if household.size:
        hh[0] = 0
        np.cumsum(household[1:] != household[:-1], out=hh[1:])
    return home, hh


def _day_place(day_local: np.ndarray, inverse: np.ndarray, n_res: int) -> np.ndarray:
    """int32 day place id per person (-1 = none), from ids local to the new places."""
    out = np.full(day_local.size, -1, dtype=np.int32)
    has = day_local >= 0
    out[has] = inverse[n_res + day_local[has]]
    return out


def _places(res_tract, res_households, home, day: dict, community: dict) -> tuple[Places, np.ndarray, np.ndarray]:
    """Number every place (residences, workplaces, schools, clinics, ... each by tract); index day places."""
    n_res = res_tract.size
    residence = np.full(n_res, code(PLACE_TYPES, "residence"), dtype=np.int8)
    kind = np.concatenate([residence, day["kind"], community["kind"]])
    order = np.argsort(kind, kind="stable")  # residences, workplaces, schools, clinics, ... each by tract
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    kind = kind[order]
    sector = np.concatenate([np.full(n_res, -1, dtype=np.int8), day["sector"], community["sector"]])[order]
    place_tract = np.concatenate([res_tract, day["tract"], community["tract"]])[order]
    n_households = np.zeros(kind.size, dtype=np.int32)
    n_households[:n_res] = res_households
    day_place = _day_place(day["day_local"], inverse, n_res)
    del inverse, order
    with_day = np.flatnonzero(day_place >= 0)
    day_order = with_day[np.argsort(day_place[with_day], kind="stable")].astype(np.int32)
    del with_day
    day_start = np.searchsorted(day_place[day_order], np.arange(kind.size + 1)).astype(np.int64)
    places = Places(
        kind=kind, sector=sector, tract=place_tract.astype(np.int32), n_households=n_households,
        resident_start=np.searchsorted(home, np.arange(n_res + 1)).astype(np.int64),
        day_start=day_start, n_residences=n_res,
    )
    return places, day_place, day_order


def _tracts(plan: TractPlan, tract: np.ndarray, status: np.ndarray, population: np.ndarray,
            vocab: Vocabulary) -> Tracts:
    n_tracts = population.size
    foreign = ~vocab.native[status]
    noncitizen = ~vocab.citizen[status]
    return Tracts(
        x=plan.x, y=plan.y, person_start=np.searchsorted(tract, np.arange(n_tracts + 1)).astype(np.int64),
        population=population.astype(np.int32),
        foreign_born=np.bincount(tract[foreign], minlength=n_tracts).astype(np.int32),
        noncitizen=np.bincount(tract[noncitizen], minlength=n_tracts).astype(np.int32),
        geoid=plan.geoid, geometry=plan.geometry,
    )


def _info(tracts: Tracts, places: Places, people: People, vocab: Vocabulary) -> dict:
    n, status, kind, population = people.n, people.status, places.kind, tracts.population
    return {
        "n_people": n,
        "n_tracts": tracts.n,
        "n_households": int(people.household[-1]) + 1 if n else 0,
        "n_places": int(kind.size),
        "places_by_type": {t: int((kind == i).sum()) for i, t in enumerate(PLACE_TYPES)},
        "status_share": {s: float((status == i).mean()) for i, s in enumerate(vocab.statuses)} if n else {},
        "share_in_mixed_status_households": float(people.mixed.mean()) if n else 0.0,
        "foreign_born_share_by_tract_min_max": [
            float((tracts.foreign_born / np.maximum(population, 1)).min()),
            float((tracts.foreign_born / np.maximum(population, 1)).max()),
        ],
        "tract_km": TRACT_KM,
    }


def world_from_plan(plan: TractPlan, p: WorldParams, streams: Streams, vocab: Vocabulary | None = None) -> World:
    """Synthesise people, households and places on a tract plan (synthetic or imported).

    Temporaries are released as soon as they are used: the peak memory of the build is a small
    multiple of the finished world's (see ``benchmarks/engine.py``).
    """
    vocab = vocab or Vocabulary.default()
    people = synthesize_people(plan, p, streams, vocab)
    household = form_households(people, p, streams, plan.household_size, vocab)
    home, res_tract, res_households = house_households(household, people, p, streams, vocab)
    home, hh = _sort_by_home(people, household, home)
    del household
    tract = people.pop("tract")
    n_tracts = plan.status_counts.shape[0]
    day = assign_day_places(tract, people["status"], people["is_child"], plan.x, plan.y, p, streams, vocab)
    population = np.bincount(tract, minlength=n_tracts)
    community = community_places(population, plan.x, plan.y, p)
    places, day_place, day_order = _places(res_tract, res_households, home, day, community)
    del day, community
    tracts = _tracts(plan, tract, people["status"], population, vocab)
    del tract
    world_people = People(
        home=home, household=hh, day_place=day_place, day_order=day_order, status=people["status"],
        group=people["group"], is_child=people["is_child"], mixed=_mixed(hh, people["status"], vocab),
        history=criminal_history(people["status"], people["is_child"], p, streams, vocab),
    )
    return World(tracts=tracts, places=places, people=world_people, info=_info(tracts, places, world_people, vocab),
                 vocab=vocab)

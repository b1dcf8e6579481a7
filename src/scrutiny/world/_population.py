"""Population synthesis: people from tract counts, then households and the homes they live in.

Every person is drawn inside a (tract, status) cell whose count the tract plan fixes, so the
synthesis reproduces each tract's status totals exactly; race is drawn inside each cell from the
status's race mix (or fitted to the tract's race totals when the aggregates give them).
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import Vocabulary
from scrutiny.rng import Streams
from scrutiny.scenario import WorldParams
from scrutiny.world._metro import TractPlan
from scrutiny.world._sort import lexsort

__all__ = ["synthesize_people", "form_households", "house_households", "chunk_segments"]


def chunk_segments(seg_len: np.ndarray, mean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split consecutive segments into groups of size 1 + Poisson(mean - 1); return a group id per item.

    Items are assumed laid out segment after segment. Ids are non-decreasing and never shared
    between segments.

    Args:
        seg_len: int64[S], items in each segment.
        mean: float64[S], mean group size in each segment (>= 1).
        rng: Generator to draw sizes from.

    Returns:
        int64[seg_len.sum()] dense group ids, 0..G-1.

    Examples:
        >>> g = chunk_segments(np.array([3, 0, 4]), np.array([1.0, 2.0, 1.0]), np.random.default_rng(0))
        >>> g.tolist()
        [0, 1, 2, 3, 4, 5, 6]
    """
    seg_len = np.asarray(seg_len, dtype=np.int64)
    n = int(seg_len.sum())
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    mean = np.maximum(np.asarray(mean, dtype=np.float64), 1.0)
    blocks = np.ceil(seg_len / mean * 1.5).astype(np.int64) + 10
    cum = rng.poisson(np.repeat(mean - 1.0, blocks))
    cum += 1  # group sizes 1 + Poisson(mean - 1) ...
    np.cumsum(cum, out=cum)  # ... and their running total, in place (memory: one array per item, not four)
    block_end = np.cumsum(blocks)
    block_start = block_end - blocks
    base = np.where(block_start > 0, cum[np.maximum(block_start - 1, 0)], 0)
    seg_start = np.cumsum(seg_len) - seg_len
    target = np.arange(n, dtype=np.int64)  # item i's position in its segment's run of groups:
    target += np.repeat(base - seg_start, seg_len)  # base[seg] + (i - seg_start[seg])
    gid = np.searchsorted(cum, target, side="right")
    del target, cum
    np.minimum(gid, np.repeat(block_end - 1, seg_len), out=gid)
    changed = gid[1:] != gid[:-1]
    gid[0] = 0
    np.cumsum(changed, out=gid[1:])  # dense ids 0..G-1
    return gid


def _fit_races(cell_counts: np.ndarray, race_mix: np.ndarray, race_totals: np.ndarray) -> np.ndarray:
    """Expected (tract, status, race) table fitted to both margins by IPF (float64[T, S, R])."""
    table = cell_counts[:, :, None] * race_mix[None, :, :]
    for _ in range(50):
        col = table.sum(axis=1)
        table *= np.divide(race_totals, col, out=np.ones_like(col), where=col > 0)[:, None, :]
        row = table.sum(axis=2)
        table *= np.divide(cell_counts, row, out=np.ones_like(row), where=row > 0)[:, :, None]
    return table


def _round_to_margins(expected: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Integer table with exactly the given row and column sums, close to ``expected`` (controlled rounding)."""
    table = np.floor(expected).astype(np.int64)
    row_need, col_need = rows - table.sum(axis=1), cols - table.sum(axis=0)
    frac = expected - table
    for flat in np.argsort(-frac, axis=None, kind="stable"):
        i, j = divmod(int(flat), table.shape[1])
        if row_need[i] > 0 and col_need[j] > 0:
            table[i, j] += 1
            row_need[i] -= 1
            col_need[j] -= 1
    for i in np.flatnonzero(row_need > 0):  # rows and columns still short always meet somewhere
        for j in np.flatnonzero(col_need > 0):
            k = min(row_need[i], col_need[j])
            table[i, j] += k
            row_need[i] -= k
            col_need[j] -= k
    return table


def _race_cells(plan: TractPlan, streams: Streams) -> np.ndarray:
    """People per (tract, status, race) cell, int64[T * S, R]."""
    counts = plan.status_counts
    if plan.race_counts is None:
        pvals = np.tile(plan.race_mix, (counts.shape[0], 1))
        return streams.generator("world.group").multinomial(counts.reshape(-1), pvals)
    expected = _fit_races(counts.astype(np.float64), plan.race_mix, plan.race_counts.astype(np.float64))
    cells = np.stack([_round_to_margins(expected[k], counts[k], plan.race_counts[k]) for k in range(counts.shape[0])])
    return cells.reshape(-1, cells.shape[2])


def pick_per_tract(tract: np.ndarray, n_pick: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Bool mask choosing, in each tract, the ``n_pick[tract]`` people with the smallest ``key``.

    ``tract`` must be non-decreasing. With ``key = Exponential(1) / weight`` this is weighted sampling
    without replacement (Efraimidis-Spirakis), so a tract's count is met exactly.

    Examples:
        >>> pick_per_tract(np.array([0, 0, 0, 1]), np.array([2, 0]), np.array([0.3, 0.1, 0.2, 0.0])).tolist()
        [False, True, True, False]
    """
    order = lexsort((key, tract))
    start = np.searchsorted(tract, np.arange(n_pick.size))
    rank = np.arange(tract.size) - start[tract[order]]
    chosen = np.zeros(tract.size, dtype=bool)
    chosen[order] = rank < n_pick[tract[order]]
    return chosen


def synthesize_people(
    plan: TractPlan, p: WorldParams, streams: Streams, vocab: Vocabulary | None = None
) -> dict[str, np.ndarray]:
    """Draw every person's tract, status, demographic group and age class.

    Status counts per tract are always exact. When the plan carries tract totals by race, sex or
    age (imported aggregates), those are met exactly too; otherwise race follows each status's mix,
    sex is even and age follows the status's share of children.

    Returns:
        A dict of arrays ``tract`` (int32), ``status`` (int8), ``group`` (int8), ``is_child`` (bool),
        ordered by (tract, status, race).
    """
    counts = plan.status_counts
    n_tracts, n_status = counts.shape
    race_cells = _race_cells(plan, streams)
    n_race = race_cells.shape[1]
    cell_tract = np.repeat(np.arange(n_tracts, dtype=np.int32), n_status * n_race)
    cell_status = np.tile(np.repeat(np.arange(n_status, dtype=np.int8), n_race), n_tracts)
    cell_race = np.tile(np.arange(n_race, dtype=np.int8), n_tracts * n_status)
    reps = race_cells.reshape(-1)
    tract = np.repeat(cell_tract, reps)
    status = np.repeat(cell_status, reps)
    race = np.repeat(cell_race, reps)
    n = tract.size
    u_sex = streams.generator("world.group", step=1).random(n)
    if plan.male_counts is None:
        sex = (u_sex < 0.5).astype(np.int8)  # 0 = man, 1 = woman
    else:
        sex = (~pick_per_tract(tract, plan.male_counts, u_sex)).astype(np.int8)
    group = (race * 2 + sex).astype(np.int8)
    vocab = vocab or Vocabulary.default()
    native = vocab.native[status]
    p_child = np.where(native, p.p_child_native, p.p_child_foreign)
    u_child = streams.generator("world.child").random(n)
    if plan.child_counts is None:
        is_child = u_child < p_child
    else:
        is_child = pick_per_tract(tract, plan.child_counts, -np.log1p(-u_child) / np.maximum(p_child, 1e-9))
    return {"tract": tract, "status": status, "group": group, "is_child": is_child}


def form_households(
    people: dict[str, np.ndarray], p: WorldParams, streams: Streams, tract_household_size: np.ndarray | None = None,
    vocab: Vocabulary | None = None,
) -> np.ndarray:
    """Group people into households; reorders ``people`` in place by (tract, household).

    Each tract has three pools of households: native-only, documented-immigrant and undocumented
    (the jurisdiction's undocumented statuses: protected, unauthorised, final order in the US).
    Native-born residents (mostly children) join the two immigrant pools in proportion
    ``rel_native_in_immigrant_households`` to their foreign-born members, and a share
    ``p_documented_with_undocumented`` of documented immigrants live with undocumented relatives.
    Undocumented households with any other member are mixed-status.

    Returns:
        int64[N] household id per person, non-decreasing in the new order.
    """
    rng = streams.generator("world.household")
    tract = people["tract"]
    n = tract.size
    n_tracts = int(tract.max()) + 1 if n else 0
    vocab = vocab or Vocabulary.default()
    pool = _initial_pools(people["status"], p, rng, vocab)
    chosen = _natives_in_immigrant_households(tract, people["status"], people["is_child"], pool, p, rng, vocab)
    share_undoc = _share_undocumented(tract, pool, n_tracts, p)
    pool[chosen] = np.where(rng.random(chosen.size) < share_undoc[tract[chosen]], 2, 1)
    del chosen, tract

    perm = lexsort((rng.random(n), pool, people["tract"]))
    for name in people:  # one column at a time, so only one old column is alive with its copy
        people[name] = people[name][perm]
    pool = pool[perm]
    del perm
    seg_key = people["tract"] * np.int32(3)  # int32: 3 * tracts fits; bincount counts the same
    seg_key += pool
    del pool
    seg_len = np.bincount(seg_key, minlength=3 * n_tracts)
    del seg_key
    sizes = np.tile([p.household_size, p.immigrant_household_size, p.immigrant_household_size], n_tracts)
    if tract_household_size is not None:  # imported aggregates: each tract's persons per household
        sizes = sizes * np.repeat(tract_household_size / p.household_size, 3)
    return chunk_segments(seg_len, sizes, rng)


def _initial_pools(status: np.ndarray, p: WorldParams, rng: np.random.Generator, vocab: Vocabulary) -> np.ndarray:
    """int8 pool per person: 0 native-only, 1 documented immigrant, 2 undocumented (see form_households)."""
    pool = np.ones(status.size, dtype=np.int8)
    pool[vocab.native[status]] = 0
    pool[vocab.undocumented[status]] = 2
    pool[(pool == 1) & (rng.random(status.size) < p.p_documented_with_undocumented)] = 2
    return pool


def _share_undocumented(tract: np.ndarray, pool: np.ndarray, n_tracts: int, p: WorldParams) -> np.ndarray:
    """Per tract, the share of natives in immigrant households who join an undocumented one."""
    want = _wanted_natives(tract, pool, n_tracts, p)
    total = want[0] + want[1]
    return np.divide(want[1], total, out=np.zeros(n_tracts), where=total > 0)


def _wanted_natives(tract: np.ndarray, pool: np.ndarray, n_tracts: int, p: WorldParams) -> list[np.ndarray]:
    rel = p.rel_native_in_immigrant_households
    return [np.round(rel * np.bincount(tract[pool == j], minlength=n_tracts).astype(np.float64)) for j in (1, 2)]


def _natives_in_immigrant_households(
    tract: np.ndarray, status: np.ndarray, is_child: np.ndarray, pool: np.ndarray, p: WorldParams,
    rng: np.random.Generator, vocab: Vocabulary,
) -> np.ndarray:
    """Pick, per tract, the natives who live with immigrants (children first); return their indices."""
    n_tracts = int(tract.max()) + 1 if tract.size else 0
    natives = np.flatnonzero(vocab.native[status])
    nat_tract = tract[natives]
    nat_k = np.bincount(nat_tract, minlength=n_tracts)
    want = _wanted_natives(tract, pool, n_tracts, p)
    take_k = np.minimum(nat_k, (want[0] + want[1]).astype(np.int64))
    key = rng.random(natives.size)
    key[is_child[natives]] *= 0.25
    order = lexsort((key, nat_tract))
    del key, nat_tract
    natives = natives[order]
    del order
    start_k = np.cumsum(nat_k) - nat_k
    rank = np.arange(natives.size, dtype=np.int64)
    rank -= np.repeat(start_k, nat_k)
    return natives[rank < np.repeat(take_k, nat_k)]


def house_households(
    household: np.ndarray, people: dict[str, np.ndarray], p: WorldParams, streams: Streams,
    vocab: Vocabulary | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Put households into residences (single-family homes or apartment complexes).

    Returns:
        ``(home, residence_tract, residence_households)``: int32[N] residence id per person, ids
        numbered by tract, plus each residence's tract and number of households.
    """
    rng = streams.generator("world.residence")
    n_hh = int(household[-1]) + 1 if household.size else 0
    first = np.flatnonzero(np.r_[True, household[1:] != household[:-1]])
    hh_tract = people["tract"][first].astype(np.int64)
    foreign = ~(vocab or Vocabulary.default()).native[people["status"]]
    hh_immigrant = np.bincount(household, weights=foreign, minlength=n_hh) > 0
    base = p.places.p_apartment
    odds = base / max(1.0 - base, 1e-12) * np.where(hh_immigrant, p.places.rel_apartment_immigrant, 1.0)
    p_apt = np.where(base >= 1.0, 1.0, odds / (1.0 + odds))
    apartment = rng.random(n_hh) < p_apt
    order = lexsort((rng.random(n_hh), apartment, hh_tract))
    n_tracts = int(hh_tract.max()) + 1 if n_hh else 0
    seg_key = hh_tract[order] * 2 + apartment[order]
    seg_len = np.bincount(seg_key, minlength=2 * n_tracts)
    mean = np.tile([1.0, p.places.households_per_complex], n_tracts)
    building_sorted = chunk_segments(seg_len, mean, rng)
    building = np.empty(n_hh, dtype=np.int64)
    building[order] = building_sorted
    n_res = int(building_sorted[-1]) + 1 if n_hh else 0
    res_tract = np.zeros(n_res, dtype=np.int32)
    res_tract[building_sorted] = hh_tract[order]
    res_households = np.bincount(building, minlength=n_res).astype(np.int32)
    return building[household].astype(np.int32), res_tract, res_households

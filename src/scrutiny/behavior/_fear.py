"""Fear from visible enforcement, and the avoidance and evasion it causes.

Each tract carries a fear level ``F_k``. Every visible operation adds ``fear_per_operation`` to its
tract and ``fear_spillover`` times that to every other tract; fear halves every ``fear_half_life``
days. A person of status ``s`` in tract ``k`` avoids a visit to a clinic, school, church, court
or protest with probability

    a = min(1, p_avoid_max[s] * m) * (1 - exp(-F_k)),   m = rel_avoid_mixed_household for citizens and
                                                        lawful residents in mixed-status households

and a removable person is away from a raided home or workplace with probability
``p_evade_max * (1 - exp(-F_k))``. These are functions; the state (the fear array) lives in
the operations loop.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import Vocabulary
from scrutiny.scenario import BehaviorParams

__all__ = ["update_fear", "avoidance", "evasion", "avoidance_table"]


def update_fear(level: np.ndarray, ops_per_tract: np.ndarray, p: BehaviorParams) -> np.ndarray:
    """Return tomorrow's fear levels given today's levels and today's operations per tract.

    Examples:
        >>> from scrutiny.scenario import BehaviorParams
        >>> update_fear(np.zeros(2), np.array([1, 0]), BehaviorParams(fear_spillover=0.0)).tolist()
        [1.0, 0.0]
    """
    if not p.enabled:
        return np.zeros_like(level)
    decay = 0.5 ** (1.0 / p.fear_half_life)
    ops = ops_per_tract.astype(np.float64)
    added = p.fear_per_operation * (ops + p.fear_spillover * (ops.sum() - ops))
    return level * decay + added


def avoidance_table(p: BehaviorParams, vocab: Vocabulary | None = None) -> np.ndarray:
    """Return the maximum avoidance by (status, mixed household), float64[S, 2].

    The mixed-household multiplier applies to the statuses that are not undocumented (citizens and
    documented residents living with undocumented relatives).
    """
    vocab = vocab or Vocabulary.default()
    base = np.array([p.p_avoid_max[s] for s in vocab.statuses], dtype=np.float64)
    lawful = ~vocab.undocumented
    mixed = np.where(lawful, np.minimum(1.0, base * p.rel_avoid_mixed_household), base)
    return np.stack([base, mixed], axis=1)


def avoidance(
    level: np.ndarray, tract: np.ndarray, status: np.ndarray, mixed: np.ndarray, p: BehaviorParams,
    vocab: Vocabulary | None = None, *, table: np.ndarray | None = None,
) -> np.ndarray:
    """Probability that each person avoids a visit today (float64[E]).

    ``table`` is :func:`avoidance_table` of ``p`` and ``vocab``, when the caller keeps it (a daily caller should).
    """
    if not p.enabled:
        return np.zeros(tract.shape, dtype=np.float64)
    table = avoidance_table(p, vocab) if table is None else table
    return table[status, mixed.astype(np.int64)] * -np.expm1(-level[tract])


def evasion(level: np.ndarray, tract: np.ndarray, p: BehaviorParams) -> np.ndarray:
    """Probability that a removable person is away when their home or workplace is raided (float64[E])."""
    if not p.enabled:
        return np.zeros(tract.shape, dtype=np.float64)
    return p.p_evade_max * -np.expm1(-level[tract])

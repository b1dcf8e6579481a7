"""The embedded synthetic metro: tracts on a grid with uneven, segregated composition.

The metro's status shares come from the national figures in CALIBRATION.md, with the unauthorised
scaled by ``rel_unauthorised_metro`` (large metros hold more of them). Foreign-born shares vary
between tracts along a smooth random "enclave" field whose strength is ``segregation``; the
unauthorised are tilted further toward high-foreign-born tracts (an assumption CALIBRATION.md
suggests, since ACS does not split non-citizens by legal status).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from scrutiny.codes import RACES, Vocabulary
from scrutiny.scenario import WorldParams

__all__ = ["TractPlan", "metro_status_shares", "synthetic_tracts", "TRACT_KM"]

#: Log-scale spread of foreign-born shares at segregation 1 (0.6 gives a 10-90% tract range of
#: about 0.07-0.30 around a median near 0.12, close to Hennepin County's 0.04-0.24 in ACS 2019-2023).
ENCLAVE_STRENGTH = 1.2

#: Width of one synthetic tract, km (a 4,000-person urban tract is of the order of 1-2 km across).
TRACT_KM = 1.5


@dataclass(frozen=True, slots=True)
class TractPlan:
    """What population synthesis needs to know about each tract."""

    x: np.ndarray  # float32[T], km
    y: np.ndarray  # float32[T], km
    status_counts: np.ndarray  # int64[T, n_status]; row sums are tract populations
    race_mix: np.ndarray  # float64[n_status, n_race]
    geoid: tuple[str, ...] = ()
    geometry: dict | None = None
    race_counts: np.ndarray | None = None  # int64[T, n_race] when the aggregates give them
    male_counts: np.ndarray | None = None  # int64[T] when the aggregates give them
    child_counts: np.ndarray | None = None  # int64[T] residents under 18, when given
    household_size: np.ndarray | None = None  # float64[T] persons per household, when given


#: The statuses the US composition (``world.composition = "us_foreign_born"``) is written in.
US_COMPOSITION_STATUSES = ("citizen_birth", "naturalised", "lpr", "visa", "protected", "unauthorised", "final_order")


def metro_status_shares(p: WorldParams, vocab: Vocabulary | None = None) -> np.ndarray:
    """Return the metro-wide share of each status of the jurisdiction (float64[S], sums to 1).

    ``world.composition = "shares"`` takes ``world.status_shares`` as given; ``"us_foreign_born"``
    derives them from the sourced US figures: the foreign-born share and its status mix, the
    protected share of the unauthorised, final orders among the unprotected, and the metro's
    over-representation of the unauthorised.

    Examples:
        >>> from scrutiny.scenario import WorldParams
        >>> s = metro_status_shares(WorldParams())
        >>> round(float(s.sum()), 12), bool(s[0] > 0.8)
        (1.0, True)
    """
    vocab = vocab or Vocabulary.default()
    if p.composition == "shares":
        shares = np.array([p.status_shares[st] for st in vocab.statuses], dtype=np.float64)
        return shares / shares.sum()
    missing = [st for st in US_COMPOSITION_STATUSES if st not in vocab.statuses]
    if missing:
        raise ValueError(f"world.composition 'us_foreign_born' needs the statuses {list(US_COMPOSITION_STATUSES)}; "
                         f"jurisdiction {vocab.name!r} lacks {missing}: use composition 'shares' with status_shares")
    code = vocab.code
    fb = p.p_foreign_born
    mix = p.foreign_born_mix
    unauth_all = fb * mix["unauthorised"] * p.rel_unauthorised_metro
    shares = np.zeros(len(vocab.statuses))
    shares[code("naturalised")] = fb * mix["naturalised"]
    shares[code("lpr")] = fb * mix["lpr"]
    shares[code("visa")] = fb * mix["visa"]
    shares[code("protected")] = unauth_all * p.p_protected
    unprotected = unauth_all * (1.0 - p.p_protected)
    shares[code("final_order")] = unprotected * p.p_final_order
    shares[code("unauthorised")] = unprotected * (1.0 - p.p_final_order)
    foreign_total = shares.sum()
    if foreign_total > 1.0:
        shares /= foreign_total
        foreign_total = 1.0
    shares[code("citizen_birth")] = 1.0 - foreign_total
    return shares


def _grid(n_tracts: int) -> tuple[np.ndarray, np.ndarray]:
    side = int(np.ceil(np.sqrt(n_tracts)))
    idx = np.arange(n_tracts)
    return (idx % side).astype(np.float64), (idx // side).astype(np.float64)


def _enclave_field(gx: np.ndarray, gy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A smooth field with standard-normal marginals: ranked sum of Gaussian bumps around enclave centres."""
    n_centres = max(1, int(round(gx.size / 25)))
    cx = rng.uniform(gx.min(), gx.max() + 1e-9, n_centres)
    cy = rng.uniform(gy.min(), gy.max() + 1e-9, n_centres)
    width = 1.5
    z = np.zeros(gx.size)
    for i in range(n_centres):
        z += np.exp(-((gx - cx[i]) ** 2 + (gy - cy[i]) ** 2) / (2 * width**2))
    ranks = np.argsort(np.argsort(z + rng.normal(0.0, 1e-9, z.size), kind="stable"), kind="stable")
    return ndtri((ranks + 0.5) / z.size)  # Gaussian copula: normal scores of the smooth field


def synthetic_tracts(p: WorldParams, rng: np.random.Generator, vocab: Vocabulary | None = None) -> TractPlan:
    """Lay out the synthetic metro and decide how many people of each status live in each tract.

    Args:
        p: World parameters.
        rng: The ``world.tracts`` stream.
        vocab: The jurisdiction's vocabulary (default: the US).

    Returns:
        A :class:`TractPlan` whose ``status_counts`` sum to ``p.n_people``.
    """
    n_tracts = max(1, int(round(p.n_people / p.tract_population)))
    gx, gy = _grid(n_tracts)
    weights = rng.lognormal(0.0, 0.25, n_tracts)
    population = rng.multinomial(p.n_people, weights / weights.sum()).astype(np.float64)

    vocab = vocab or Vocabulary.default()
    shares = metro_status_shares(p, vocab)
    native = int(np.flatnonzero(vocab.native)[0])
    fb_mean = 1.0 - shares[native]
    z = _enclave_field(gx, gy, rng)
    tilt = np.exp(ENCLAVE_STRENGTH * p.segregation * z)
    scale = fb_mean / max(np.average(tilt, weights=population + 1e-12), 1e-12)
    for _ in range(50):  # rescale so the capped shares still average fb_mean over the population
        fb = np.minimum(0.9, scale * tilt)
        got = np.average(fb, weights=population + 1e-12)
        if abs(got - fb_mean) < 1e-9 or got <= 0:
            break
        scale *= fb_mean / got
    fb = np.minimum(0.9, scale * tilt) if fb_mean > 0 else np.zeros(n_tracts)

    foreign = shares.copy()
    foreign[native] = 0.0
    foreign = np.tile(foreign, (n_tracts, 1))
    removable_like = vocab.codes_where(vocab.undocumented)
    rel_fb = fb / fb_mean if fb_mean > 0 else np.ones(n_tracts)
    foreign[:, removable_like] *= (rel_fb ** (0.5 * p.segregation))[:, None]
    row = foreign.sum(axis=1, keepdims=True)
    foreign = np.divide(foreign, row, out=np.zeros_like(foreign), where=row > 0)
    probs = foreign * fb[:, None]
    probs[:, native] = 1.0 - fb
    counts = rng.multinomial(population.astype(np.int64), probs)

    race_mix = np.array([p.race_mix[s] for s in vocab.statuses], dtype=np.float64)
    assert race_mix.shape == (len(vocab.statuses), len(RACES))
    return TractPlan(
        x=(gx * TRACT_KM).astype(np.float32),
        y=(gy * TRACT_KM).astype(np.float32),
        status_counts=counts.astype(np.int64),
        race_mix=race_mix,
    )

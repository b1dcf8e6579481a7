"""Scores: how far one simulation lies from one observed target, as a deviance (>= 0).

Every score is a deviance, ``-2 log`` of a likelihood ratio against the best fit, so that it is
zero when the simulation reproduces the observation, grows as it moves away, and adds up over
independent targets (the ABC distance is the sum over targets). Each is roughly a chi-squared
variable on one degree of freedom for a simulation at the true parameters, so a total of about
the number of targets is a good fit.

* **A count**, ``k`` of ``n`` observed and ``k_sim`` of ``n_sim`` simulated: the two-sample
  binomial deviance (the G statistic of the 2x2 table): twice the log-likelihood ratio of "each
  has its own rate" against "both share one rate". It is the binomial log-likelihood of the
  observed count given the simulated rate when the simulation is large, and when the simulation
  is small (a metro of 10^5 people against a national denominator of 222,000 arrests) it charges
  the simulation's own binomial noise instead of treating 3 simulated events as an exact rate.
  Zero counts need no smoothing (``0 log 0 = 0``): 0 of 4,000 simulated against 170 of 222,000
  observed scores a finite 6.1. A simulation with ``n_sim = 0`` (no arrests at all) cannot
  reproduce a rate and scores infinity.
* **An undercount** ``[lo, hi]``: the true count is ``k * u`` for an unknown ``u`` in
  ``[lo, hi]``; the score is the deviance at the ``u`` that fits best (the profile likelihood),
  so it is zero whenever the simulated rate lies in ``[k/n * lo, k/n * hi]``.
* **A band on a rate of counts**: zero when the simulated rate lies in the band; outside, the
  deviance of the simulated count against the nearest edge of the band, binomial (a share) or
  Poisson (a rate per unit of the denominator, such as scans per arrest).
* **A band on a single metric** (no counts): zero inside; outside, ``(ln(x / edge) / s)^2`` with
  ``s`` a quarter of the band's width on the log scale (the band read as +/- 2 standard deviations
  of a log-normal), or on the linear scale when the band starts at 0.
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

from scrutiny.calibration._targets import Target

__all__ = [
    "binomial_deviance",
    "undercount_deviance",
    "band_count_deviance",
    "band_value_deviance",
    "target_deviance",
]


#: Deviances below this are rounding error (the scale of a deviance is about 1 per target).
TINY = 1e-9


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def binomial_deviance(k_obs, n_obs, k_sim, n_sim, model: str = "binomial") -> np.ndarray:
    """Two-sample deviance (G statistic) of observed ``k_obs/n_obs`` against simulated ``k_sim/n_sim``.

    Zero when the rates are equal; increases as either moves away from the other; finite for zero
    counts; infinite when ``n_sim`` is 0. Arrays broadcast. ``model = "poisson"`` reads each count
    as Poisson with its denominator as exposure (a rate that may exceed 1).

    Examples:
        >>> float(binomial_deviance(5, 100, 50, 1000))
        0.0
        >>> round(float(binomial_deviance(170, 222000, 0, 4000)), 2)
        6.07
    """
    a, n1, c, n2 = _f(k_obs), _f(n_obs), _f(k_sim), _f(n_sim)
    total = n1 + n2
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (a + c) / total
        if model == "binomial":
            cells = ((a, n1 * pooled), (n1 - a, n1 * (1.0 - pooled)), (c, n2 * pooled), (n2 - c, n2 * (1.0 - pooled)))
        elif model == "poisson":
            cells = ((a, n1 * pooled), (c, n2 * pooled))
        else:
            raise ValueError(f"count model must be 'binomial' or 'poisson'; got {model!r}")
        g = 2.0 * sum(_cell(o, e) for o, e in cells)
    return np.where(n2 > 0, _snap(g), np.inf)


def _cell(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``o ln(o/e) - o + e``: each cell's share of a deviance, never negative, so nothing cancels."""
    return np.where(o > 0, xlogy(o, o / np.where(e > 0, e, 1.0)), 0.0) - o + e


def _snap(dev: np.ndarray) -> np.ndarray:
    """Deviances below ``TINY`` are rounding error: count them as an exact fit."""
    return np.where(np.isnan(dev), np.inf, np.where(dev < TINY, 0.0, dev))


def undercount_deviance(k_obs, n_obs, k_sim, n_sim, lo: float, hi: float, model: str = "binomial") -> np.ndarray:
    """Deviance when the observed count is ``k_obs`` times an unknown factor in ``[lo, hi]`` (best factor).

    The deviance is unimodal in the observed count with its minimum where the two rates are equal,
    so the best factor is that equality clipped to the range.

    Examples:
        >>> float(undercount_deviance(170, 222000, 7, 4000, 1.0, 10.0))  # 0.175% lies in [0.077%, 0.77%]
        0.0
    """
    k_obs, n_obs, k_sim, n_sim = _f(k_obs), _f(n_obs), _f(k_sim), _f(n_sim)
    with np.errstate(invalid="ignore", divide="ignore"):
        best = n_obs * k_sim / n_sim
    top = np.minimum(k_obs * hi, n_obs) if model == "binomial" else k_obs * hi
    k_true = np.clip(np.nan_to_num(best, nan=0.0), k_obs * lo, top)
    return binomial_deviance(k_true, n_obs, k_sim, n_sim, model)


def band_count_deviance(k_sim, n_sim, lo: float, hi: float, model: str = "binomial") -> np.ndarray:
    """Deviance of a simulated count ``k_sim`` of ``n_sim`` against the nearest rate in ``[lo, hi]``.

    Args:
        k_sim: Simulated counts.
        n_sim: Their denominators (exposure for ``"poisson"``).
        lo: Lower edge of the band.
        hi: Upper edge.
        model: ``"binomial"`` (a share, ``k <= n``) or ``"poisson"`` (a rate per unit of ``n``).

    Examples:
        >>> float(band_count_deviance(30, 100, 0.2, 0.4))
        0.0
        >>> float(band_count_deviance(0, 4000, 0.0002, 0.01)) < 2  # zero events is consistent with 0.02%
        True
    """
    k, n = _f(k_sim), _f(n_sim)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, k / np.where(n > 0, n, 1.0), 0.0)
        p = np.clip(rate, lo, hi)
        if model == "binomial":
            dev = 2.0 * (_cell(k, n * p) + _cell(n - k, n * (1.0 - p)))
        elif model == "poisson":
            dev = 2.0 * _cell(k, n * p)
        else:
            raise ValueError(f"count model must be 'binomial' or 'poisson'; got {model!r}")
        dev = np.where((p == 0) & (k > 0) | (p == 1) & (k < n), np.inf, dev)
    return np.where(n > 0, _snap(dev), np.inf)


def band_value_deviance(x, lo: float, hi: float) -> np.ndarray:
    """Zero inside ``[lo, hi]``; outside, the squared distance to the nearest edge in units of a quarter band.

    The distance is on the log scale when ``lo > 0`` and linear otherwise; an undefined value
    (NaN, or a non-positive value on the log scale) scores infinity.

    Examples:
        >>> float(band_value_deviance(0.5, 0.2, 0.8)), round(float(band_value_deviance(1.6, 0.2, 0.8)), 3)
        (0.0, 4.0)
    """
    x = _f(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        if lo > 0:
            s = np.log(hi / lo) / 4.0
            z = np.where(x < lo, np.log(lo / x), np.where(x > hi, np.log(x / hi), 0.0)) / s
        else:
            s = (hi - lo) / 4.0
            z = np.where(x < lo, lo - x, np.where(x > hi, x - hi, 0.0)) / s
    dev = np.where(np.isnan(x), np.inf, z * z)
    return np.where(np.isfinite(dev), _snap(dev), np.inf)


def target_deviance(target: Target, sim_k, sim_n=None) -> np.ndarray:
    """The score of simulations against ``target``.

    Args:
        target: The target.
        sim_k: Simulated counts (the summed numerator), or the metric values for a metric band.
        sim_n: Simulated denominators (``None`` for a metric band).

    Returns:
        float64 deviances, ``inf`` where a simulation cannot be scored.
    """
    kind = target.kind
    if kind == "band_metric":
        return band_value_deviance(sim_k, *target.band)
    if kind == "band_counts":
        return band_count_deviance(sim_k, sim_n, *target.band, model=target.count_model)
    obs = target.observed
    if target.undercount is not None:
        return undercount_deviance(obs.k, obs.n, sim_k, sim_n, *target.undercount, model=target.count_model)
    return binomial_deviance(obs.k, obs.n, sim_k, sim_n, target.count_model)

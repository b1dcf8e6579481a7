"""Feedback of outcomes into place scores, and how each update rule maps to Ensign et al.'s urns.

Ensign, Friedler, Neville, Scheidegger and Venkatasubramanian (2018), "Runaway Feedback Loops in
Predictive Policing" (FAT*), model place allocation as a Pólya urn. The urn holds balls of one
colour per region (initially the historical data); each day a ball is drawn and police go to its
region, so a region is visited with probability equal to its share of the urn; an incident
*discovered* there (probability ``lambda_region``) adds a ball of that colour. This is a generalised
Pólya urn with replacement matrix ``diag(lambda_A, lambda_B)``: the region with the larger rate
ends up with all of the urn (with equal rates the limit is random), so the allocation does not
converge to the true rates ``lambda_A / (lambda_A + lambda_B)``. Incidents *reported* by the public
arrive whatever the allocation and add balls in proportion to the true rates; they attenuate the
runaway but do not remove it. Their fix: when the region visited had probability ``p_r`` of being
visited, add the discovered ball only with probability ``min_r' p_r' / p_r``, so that each region
gains balls at a rate proportional to ``lambda_r`` whatever the allocation, and the urn converges to
the true rates.

How Scrutiny's targeting maps onto the urn. A place's score is its number of balls:
``prior_weight * prior + L + feedback_weight * F``. The feedback term ``F_p`` holds the balls added
by outcomes: the arrests *discovered* at visited places and the reports *received* about the place.
Each day (:meth:`scrutiny.targeting.Targeter.receive`, then ``select`` and ``observe``):

1. ``F`` fades: it loses the share ``targeting.feedback_decay`` (:func:`fade`; 1% a day by default,
   a 69-day half-life); thompson's arrest and visit counts fade alike. Ensign et al.'s urn never
   forgets; an agency that weighs a two-year-old arrest like yesterday's is implausible.
2. Reports arrive: each of the day's leads from a ``targeting.report_channels`` source (tips from
   the public, reports from service points) adds ``targeting.report_weight`` to ``F`` at its place
   (:func:`reported`), whatever the allocation: the urn's *reported* incidents. They are not
   corrected (their arrival does not depend on where teams went). Tips also enter the lead book as
   pins on a person; as reports they are a record about the place, which outlives the pin.
3. Teams visit today's places and the arrests there update ``F`` under the policy's rule.

The census prior is not a ball: it is the agency's standing belief from public aggregates,
recomputed every day, and it does not fade. The urn's initial balls (historical data) would be an
initial ``F``, which Scrutiny starts at zero; the initial lead book plays that part and fades with
the leads' own half-lives. Keeping the prior standing matters under decay: a place whose only
weight were fading initial balls could be forgotten before it is first visited, whatever the
correction (with a 100:1 start as initial balls and no standing prior, thinning misses the true
share by more than 0.1 in 29 of 100 runs, 23 of which never visit the starved place after day 1,000).

The rules:

* ``probability_matching`` is the urn itself: places are drawn with probability proportional to
  their score (``capacity`` draws a day without replacement, by systematic PPS sampling, which
  gives each place exactly its inclusion probability ``pi_p``) and every arrest adds
  ``feedback_weight`` to the place visited: :func:`feedback_increment` with ``corrected=False``.
  With decay the urn forgets its early luck but still runs away: with two places at rates 2 and 1,
  it settles near 0.95 of visits at the higher-rate place (true 0.67). Reports in proportion to
  the true rates (as many a day at each place as a visit there would discover) attenuate it to
  0.73 but do not remove it.
* ``dense_first`` takes the places with the most balls (the urn's deterministic limit) with the same
  uncorrected update. With two places and no reported balls, the first place that yields an arrest
  is visited forever, whichever has the higher rate: a stronger runaway than the urn's. Decay does
  not unlock it (it scales ``F`` without changing its sign). Reports can break a lock on the
  lower-rate place (for good once, with ``rho * lambda`` reports a day at each place, its rival's
  reports outgrow its own arrests and reports: ``rho * lambda_A > (1 + rho) * lambda_B``), but every
  visit still goes to one place.
* ``feedback_corrected`` is Ensign et al.'s correction with PPS sampling, by one of two rules
  (``targeting.policy.correction``):

  - ``thin`` (default; :func:`thinned`): an arrest at place ``p`` is kept with probability
    ``pi_min / pi_p`` (``pi_min``: the smallest inclusion probability among today's candidates),
    so every place gains ``pi_min * lambda_p`` balls a day in expectation: in proportion to its true
    rate, and no faster than the least-visited place can. Each arrest's draw is a counter-based
    uniform (stream ``targeting.thin``) keyed by place, day and the arrest's rank there, so arms of
    a replicate thin alike.
  - ``weight`` (:func:`feedback_increment` with ``corrected=True``): an arrest counts
    ``w_p = pi_mean / pi_p`` (``pi_mean``: mean inclusion probability of today's candidates), so a
    place's expected daily gain is ``pi_mean * lambda_p``, also proportional to its true rate, with
    less noise. Weights are capped at ``targeting.policy.max_weight`` so that one lucky raid at a
    place chosen with tiny probability cannot dominate (a bias for places visited less than
    ``1 / max_weight`` times as often as the average).

  Why thinning is the default. The two rules have the same drift up to a factor common to all
  places on a day (``pi_mean / pi_min``), but that factor is the *pace* at which the urn learns,
  and the pace matters once there is a standing prior and decay. Weighting lets the well-visited
  place's balls grow at full pace while a starved place is unseen; with decay the starved place's
  visit chance then falls to its prior over the full urn (``0.05 / 105`` a day in the truth
  check), and many runs never recover. Thinning throttles every place to the pace of the least
  visited, so the starved place keeps its prior share until it yields an arrest. The truth check
  in ``tests/unit/targeting/test_runaway.py``: two places, rates 2 and 1, priors 5 and 0.05, 1%
  decay, 3,000 days; judged on days 1,000-3,000, thinning puts ``F`` within 0.06 of the true share
  and the visits within 0.10 for every seed in 0-99 (largest misses 0.040 and 0.072), while
  weighting misses by more than 0.1 in 66 of 100 seeds (53 uncapped). With fair priors and no
  decay both converge. The price of thinning: with thousands of candidate places ``pi_min`` is
  tiny and almost every arrest is dropped (none of about 100 in a 60-day, 20,000-person run), so
  the corrected policy learns from reports and leads rather than from its own arrests: for every
  place's gain to stay in proportion to its true rate, none may learn faster than the least visited.

  Teams visit the selected places in a random order, so a quota that stops the day early scales
  every place's visit probability by the same factor, which cancels in both rules.
* ``thompson`` is not an urn of arrests but a Gamma-Poisson model of arrests *per visit*
  (``Gamma(k * score + arrests, k + visits)``, ``k = targeting.policy.prior_visits``): conditioning on visits
  removes the sampling bias, so it does not run away to a low-rate place, but by design it
  concentrates on the places with the highest posterior yields rather than spreading in proportion.
  Decay fades its arrests and visits alike (discounted Thompson sampling); reports do not enter it.
* ``random`` and ``warrant_only`` ignore outcomes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["arrest_ids", "fade", "feedback_increment", "reported", "thinned"]

#: Arrest slots per place and day in :func:`arrest_ids` (far more than a day's arrests at one place).
_PER_PLACE = 1 << 20


def feedback_increment(
    arrests: np.ndarray, p_visit: np.ndarray, p_mean: float, *, corrected: bool, max_weight: float = np.inf
) -> np.ndarray:
    """Return what today's arrests add to the visited places' feedback ``F``.

    Args:
        arrests: Arrests at each visited place.
        p_visit: Probability that the policy selected each of these places today.
        p_mean: Mean selection probability over today's candidate places.
        corrected: Apply Ensign et al.'s correction (weight ``p_mean / p_visit``, capped).
        max_weight: Cap on the correction weight.

    Returns:
        float64 array aligned with ``arrests``.

    Examples:
        >>> feedback_increment(np.array([2, 2]), np.array([0.8, 0.2]), 0.5, corrected=False).tolist()
        [2.0, 2.0]
        >>> feedback_increment(np.array([2, 2]), np.array([0.8, 0.2]), 0.5, corrected=True).tolist()
        [1.25, 5.0]
    """
    arrests = np.asarray(arrests, dtype=np.float64)
    if not corrected:
        return arrests
    weight = np.minimum(max_weight, p_mean / np.maximum(np.asarray(p_visit, dtype=np.float64), 1e-300))
    return arrests * weight


def thinned(arrests: np.ndarray, p_visit: np.ndarray, p_min: float, u: np.ndarray) -> np.ndarray:
    """Return what today's arrests add to ``F`` under Ensign et al.'s thinning.

    The ``k``-th arrest at a visited place ``i`` is kept iff its uniform is below ``p_min / p_visit_i``,
    so every place gains ``p_min * lambda_i`` balls a day in expectation, whatever the allocation.

    Args:
        arrests: Arrests at each visited place.
        p_visit: Probability that the policy selected each of these places today.
        p_min: Smallest selection probability over today's candidate places.
        u: One uniform per arrest, in place order then arrest order (``arrest_ids``' order).

    Returns:
        float64 array aligned with ``arrests``: the arrests kept.

    Examples:
        >>> thinned(np.array([2, 1]), np.array([0.8, 0.2]), 0.2, np.array([0.1, 0.3, 0.9])).tolist()
        [1.0, 1.0]
    """
    arrests = np.asarray(arrests, dtype=np.int64)
    q = np.minimum(1.0, p_min / np.maximum(np.asarray(p_visit, dtype=np.float64), 1e-300))
    kept = np.asarray(u) < np.repeat(q, arrests)
    return np.bincount(np.repeat(np.arange(arrests.size), arrests), weights=kept, minlength=arrests.size)


def arrest_ids(sites: np.ndarray, arrests: np.ndarray) -> np.ndarray:
    """Counter ids of today's arrests, one per arrest: ``place * 2**20 + k`` for the ``k``-th arrest at a place.

    A counter-based uniform on these ids (:meth:`scrutiny.rng.Streams.uniform`) depends only on the
    place, the day and the arrest's rank there, so two arms of a replicate thin alike.

    Examples:
        >>> arrest_ids(np.array([3, 0]), np.array([2, 1])).tolist()
        [3145728, 3145729, 0]
    """
    arrests = np.asarray(arrests, dtype=np.int64)
    if arrests.size and arrests.max() >= _PER_PLACE:
        raise ValueError(f"at most {_PER_PLACE - 1} arrests per place and day can be thinned; got {arrests.max()}")
    start = np.cumsum(arrests) - arrests
    rank = np.arange(int(arrests.sum())) - np.repeat(start, arrests)
    return np.repeat(np.asarray(sites, dtype=np.int64), arrests) * _PER_PLACE + rank


def fade(values: np.ndarray, decay: float, days: int = 1) -> np.ndarray:
    """Return ``values`` after ``days`` days of losing the share ``decay`` a day (the same array if nothing fades).

    Examples:
        >>> fade(np.array([100.0, 2.0]), 0.5, days=2).tolist()
        [25.0, 0.5]
    """
    if decay <= 0.0 or days <= 0:
        return values
    return values * (1.0 - decay) ** days


def reported(places: np.ndarray, n_places: int, weight: float) -> np.ndarray:
    """Return what the day's reports add to ``F``: ``weight`` per report at its place (float64[n_places]).

    Examples:
        >>> reported(np.array([2, 0, 2]), 3, 0.5).tolist()
        [0.5, 0.0, 1.0]
    """
    return weight * np.bincount(np.asarray(places, dtype=np.int64), minlength=n_places).astype(np.float64)

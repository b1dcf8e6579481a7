"""Place scores: what the ELITE-like model believes about how many removable people a place holds.

The model chosen is an expected count, because that is what "target-rich" means and because it is
auditable term by term. The score of place ``p`` on day ``t`` is

    score_p(t) = w_prior * prior_p(t) + L_p(t) + w_fb * F_p(t)

* ``prior_p`` is the expected number of removable people present, from public aggregates only:
  the tract's non-citizen share (ACS) times the national removable share of non-citizens, times
  the people the place holds (residents, workers, pupils, expected visitors), times a multiplier
  by place type and, for workplaces, by sector. Protest sites hold people only on event days,
  which are public: their prior is the event-day expectation on event days and 0 otherwise.
* ``L_p`` is the lead mass: the summed confidence of the active pins at the place (see
  :class:`scrutiny.targeting.LeadBook`). A pin with confidence c is c% likely to put its subject at
  the place, so ``L_p`` is the expected number of lead subjects present, taking the records at
  their word (the model cannot see that a record's status is wrong).
* ``F_p`` is the feedback from past outcomes, fading by ``feedback_decay`` a day: arrests at the
  place, counted as they come (``dense_first``, ``probability_matching``: uncorrected, the loop that
  can run away because the model learns only where it looked) or corrected for the chance the place
  was visited (``feedback_corrected``: thinned or weighted), plus ``report_weight`` per report about
  the place, which arrives whatever the allocation (see :mod:`scrutiny.targeting._feedback`). ``thompson`` uses
  ``w_prior * prior + L`` as the prior mean of a place's arrests per visit and updates it with
  arrests and visits instead; ``warrant_only`` uses only the mass of pins on named people.

``w_prior`` is small (the agency trusts pins more than area data) and ``w_fb`` is 0.25 per arrest:
four arrests at a place weigh as much as one certain pin.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import PLACE_TYPES, Vocabulary, code
from scrutiny.scenario import Scenario, TargetingParams
from scrutiny.world import World, metro_status_shares

__all__ = ["place_prior", "score_places"]


def _removable_share_of_noncitizens(s: Scenario, vocab: Vocabulary) -> float:
    shares = metro_status_shares(s.world, vocab)
    noncit = vocab.codes_where(~vocab.citizen)
    removable = vocab.codes_where(vocab.removable)
    total = shares[noncit].sum()
    return float(shares[removable].sum() / total) if total > 0 else 0.0


def place_prior(world: World, s: Scenario) -> np.ndarray:
    """Return the census-based prior expected number of removable people at each place (float64[P]).

    Uses only public aggregates (tract population and non-citizens) and place sizes.
    """
    tracts, places = world.tracts, world.places
    q = _removable_share_of_noncitizens(s, world.vocab)
    r_tract = q * tracts.noncitizen / np.maximum(tracts.population, 1)
    r_metro = q * tracts.noncitizen.sum() / max(int(tracts.population.sum()), 1)
    kind, tract = places.kind, places.tract
    people_here = np.zeros(places.n, dtype=np.float64)
    n_res = places.n_residences
    people_here[:n_res] = np.diff(places.resident_start)
    people_here[n_res:] = np.diff(places.day_start)[n_res:]
    pp = s.world.places
    per_tract = tracts.population.astype(np.float64)
    for name, rate in (("clinic", pp.p_visit_clinic), ("church", pp.p_visit_church_sunday / 7.0)):
        mask = kind == code(PLACE_TYPES, name)
        n_in_tract = np.bincount(tract[mask], minlength=tracts.n)
        people_here[mask] = per_tract[tract[mask]] * rate / np.maximum(n_in_tract[tract[mask]], 1)
    metro = float(per_tract.sum())
    for name, rate in (("courthouse", pp.p_visit_courthouse), ("protest_site", pp.p_attend_protest * pp.p_protest_day)):
        mask = kind == code(PLACE_TYPES, name)
        people_here[mask] = metro * rate / max(int(mask.sum()), 1)
    share = np.where(np.isin(kind, [code(PLACE_TYPES, "courthouse"), code(PLACE_TYPES, "protest_site")]),
                     r_metro, r_tract[tract])
    sector_mult = np.asarray(s.targeting.rel_place_prior, dtype=np.float64)[kind]
    wp = kind == code(PLACE_TYPES, "workplace")
    sector_mult[wp] *= np.asarray(s.targeting.rel_sector_prior)[places.sector[wp]]
    return people_here * share * sector_mult


def score_places(
    prior: np.ndarray, mass: np.ndarray, feedback: np.ndarray, p: TargetingParams, *,
    out: np.ndarray | None = None, support: np.ndarray | None = None,
) -> np.ndarray:
    """Combine prior, lead mass and feedback into each place's score (float64[P]).

    Args:
        prior: Census prior per place.
        mass: Lead mass per place.
        feedback: The feedback term ``F`` per place.
        p: Targeting parameters (the weights).
        out: Where to write the scores (float64[P]; may be ``mass`` itself); default a new array.
        support: Unique place ids outside which ``feedback`` is 0 (only they are read); default all.

    The sum is formed in the same order either way, so the scores are the same to the bit.

    Examples:
        >>> from scrutiny.scenario import TargetingParams
        >>> score_places(np.array([10.0]), np.array([0.5]), np.array([2.0]), TargetingParams()).tolist()
        [2.0]
    """
    if out is None:
        return p.prior_weight * prior + mass + p.feedback_weight * feedback
    if out is mass:
        out += p.prior_weight * prior  # x + y == y + x to the bit
    else:
        np.multiply(prior, p.prior_weight, out=out)
        out += mass
    if support is None or 4 * support.size > out.size:  # most places: one pass over all is cheaper
        out += p.feedback_weight * feedback
    elif support.size:
        out[support] += p.feedback_weight * feedback[support]
    return out

"""Stage 4, targeting: the ELITE-like model that scores places and picks where teams go.

* :class:`LeadBook`: the model's belief about who is where (pins from every source, combined by
  noisy-OR, decaying with age, closed on detention); :meth:`LeadBook.subjects_at` says whom the
  leads at each site name (for a scan policy that scans only them).
* :func:`place_prior`, :func:`score_places`: the score model (see :mod:`scrutiny.targeting._score`).
* :class:`SelectionPolicy` and the registered policies (:mod:`scrutiny.targeting._policies`);
  :func:`select_sites` runs the one named by the scenario; :func:`feedback_increment`,
  :func:`thinned`, :func:`fade` and :func:`reported`: how outcomes and reports feed back and fade,
  and how each rule maps to Ensign et al.'s urn models (:mod:`scrutiny.targeting._feedback`).
* :class:`Targeter`: the per-replicate state the daily loop calls.

It exists to be measured inside the simulation: there is no interface that scores real locations.
"""

from scrutiny.targeting._base import PlaceScores, Selection, SelectionPolicy, TargetingState, make_policy
from scrutiny.targeting._book import LeadBook
from scrutiny.targeting._feedback import arrest_ids, fade, feedback_increment, reported, thinned
from scrutiny.targeting._policies import (
    DenseFirst,
    FeedbackCorrected,
    ProbabilityMatching,
    Random,
    Thompson,
    WarrantOnly,
)
from scrutiny.targeting._policy import Targeter
from scrutiny.targeting._score import place_prior, score_places
from scrutiny.targeting._select import eligible_places, inclusion_probabilities, select_sites

__all__ = [
    "LeadBook",
    "Targeter",
    "PlaceScores",
    "Selection",
    "place_prior",
    "score_places",
    "eligible_places",
    "inclusion_probabilities",
    "select_sites",
    "feedback_increment",
    "thinned",
    "arrest_ids",
    "fade",
    "reported",
    "SelectionPolicy",
    "TargetingState",
    "make_policy",
    "DenseFirst",
    "ProbabilityMatching",
    "Thompson",
    "FeedbackCorrected",
    "Random",
    "WarrantOnly",
]

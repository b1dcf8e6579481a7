"""Stage 4, targeting: the ELITE-like model that scores places and picks where teams go.

It exists to be measured inside the simulation: there is no interface that scores real locations.
"""

from scrutiny.targeting._score import lead_mass, place_prior, score_places
from scrutiny.targeting._select import eligible_places, select_sites

__all__ = ["place_prior", "lead_mass", "score_places", "eligible_places", "select_sites"]

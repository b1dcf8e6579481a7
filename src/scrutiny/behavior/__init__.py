"""Stage 7, behavior: fear of visible enforcement, and the avoidance and evasion it causes.

Avoidance of clinics, schools, churches, courts and protests after visible enforcement, by status
and household type, decaying over time; evasion of targeted places. :class:`Chilling` holds a
replicate's fear and the visits it cost.
"""

from scrutiny.behavior._chilling import CHILLED_PLACES, Chilling, visit_rates
from scrutiny.behavior._effects import SourcedEffects, school_days_lost_after_one_operation
from scrutiny.behavior._fear import avoidance, avoidance_table, evasion, update_fear

__all__ = ["update_fear", "avoidance", "avoidance_table", "evasion", "Chilling", "CHILLED_PLACES", "visit_rates",
           "SourcedEffects", "school_days_lost_after_one_operation"]

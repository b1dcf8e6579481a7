"""Stage 6, operations: the daily loop with teams, capacity and quota, detention and release, and
the feedback of each day's outcomes into the next day's targeting.
"""

from scrutiny.operations._detention import NEVER_FREE, Detention
from scrutiny.operations._loop import CHILLED_PLACES, RunOutput, capacity_and_quota, simulate

__all__ = ["simulate", "RunOutput", "capacity_and_quota", "Detention", "NEVER_FREE", "CHILLED_PLACES"]

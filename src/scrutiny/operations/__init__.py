"""Stage 6, operations: the daily loop, quota pressure, detention and release.

Teams, capacity and quota, what quota pressure does, detention and release, and the feedback of
each day's outcomes into the next day's targeting.
"""

from scrutiny.operations._detention import NEVER_FREE, Detention
from scrutiny.operations._loop import (
    CHILLED_PLACES,
    DAILY_SERIES,
    RunOutput,
    capacity_and_quota,
    simulate,
)
from scrutiny.operations._pressure import QuotaPressure
from scrutiny.operations._protest import PROTEST_SERIES, Protests
from scrutiny.operations._site_visit import SiteVisit
from scrutiny.operations._status_check import STATUS_CHECK_SERIES, StatusCheck
from scrutiny.operations._triggers import CustodyTransfer, Trigger, TriggerDay, make_triggers

__all__ = [
    "simulate",
    "RunOutput",
    "capacity_and_quota",
    "Detention",
    "NEVER_FREE",
    "CHILLED_PLACES",
    "DAILY_SERIES",
    "QuotaPressure",
    "Trigger",
    "TriggerDay",
    "SiteVisit",
    "StatusCheck",
    "STATUS_CHECK_SERIES",
    "CustodyTransfer",
    "make_triggers",
    "Protests",
    "PROTEST_SERIES",
]

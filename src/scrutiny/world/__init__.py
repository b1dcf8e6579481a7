"""Stage 2, world: geography, places, synthetic people, mixed-status households and schedules.

Everyone is synthetic. Real geography can enter only as public tract aggregates; the embedded
default is a synthetic metro on a grid.
"""

from scrutiny.world._build import build_world, criminal_history, world_from_plan
from scrutiny.world._calendar import HearingCalendar
from scrutiny.world._import import (
    ACS_ASSUMPTIONS,
    Aggregates,
    geography_label,
    load_aggregates,
    plan_from_aggregates,
    population_of,
)
from scrutiny.world._metro import TRACT_KM, TractPlan, metro_status_shares, synthetic_tracts
from scrutiny.world._types import People, Places, Tracts, World

__all__ = [
    "HearingCalendar",
    "criminal_history",
    "World",
    "People",
    "Places",
    "Tracts",
    "TractPlan",
    "TRACT_KM",
    "build_world",
    "world_from_plan",
    "synthetic_tracts",
    "metro_status_shares",
    "Aggregates",
    "load_aggregates",
    "plan_from_aggregates",
    "population_of",
    "ACS_ASSUMPTIONS",
    "geography_label",
]

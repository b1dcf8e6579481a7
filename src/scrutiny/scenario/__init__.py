"""Stage 1, scenario: one validated, immutable configuration (TOML), every field documented.

Every field has a default, a unit, a range and the public source of its default (or is labelled
an assumption). ``load_scenario`` is the one entry point that validates.
"""

from scrutiny.scenario._behavior import BehaviorParams
from scrutiny.scenario._border import CheckpointParams, PortOfEntryParams
from scrutiny.scenario._field import CAPTURES, DECISION_RULES, SCAN_POLICIES, FieldParams
from scrutiny.scenario._fields import ComponentParams, param
from scrutiny.scenario._galleries import GalleriesParams, GalleryParams
from scrutiny.scenario._load import apply_overrides, dump_toml, list_presets, load_scenario
from scrutiny.scenario._model import Scenario, config_hash, field_value, iter_fields
from scrutiny.scenario._operations import TRIGGERS, OperationsParams
from scrutiny.scenario._protest import ProtestParams
from scrutiny.scenario._services import OfflineProofParams  # noqa: F401 (registers the decision rule)
from scrutiny.scenario._sources import (
    SOURCES,
    AdminRecordsParams,
    AgencyParams,
    BrokerParams,
    CellSiteParams,
    HealthRecordsParams,
    PlateReaderParams,
    SchoolRecordsParams,
    SourcesParams,
    TaxRecordsParams,
    TipParams,
)
from scrutiny.scenario._targeting import POLICIES, SELECTION_POLICIES, TargetingParams
from scrutiny.scenario._world import PlaceParams, WorldParams

__all__ = [
    "Scenario",
    "load_scenario",
    "list_presets",
    "apply_overrides",
    "dump_toml",
    "config_hash",
    "iter_fields",
    "field_value",
    "WorldParams",
    "PlaceParams",
    "SourcesParams",
    "SOURCES",
    "AdminRecordsParams",
    "BrokerParams",
    "AgencyParams",
    "HealthRecordsParams",
    "SchoolRecordsParams",
    "TaxRecordsParams",
    "PlateReaderParams",
    "CellSiteParams",
    "TipParams",
    "ProtestParams",
    "TargetingParams",
    "POLICIES",
    "SELECTION_POLICIES",
    "ComponentParams",
    "param",
    "FieldParams",
    "CAPTURES",
    "SCAN_POLICIES",
    "DECISION_RULES",
    "GalleriesParams",
    "GalleryParams",
    "OperationsParams",
    "TRIGGERS",
    "BehaviorParams",
    "CheckpointParams",
    "PortOfEntryParams",
]

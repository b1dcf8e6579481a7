"""Stage 3, sources: observation models that turn the world into records and leads.

Each source has coverage, error and recency, is switchable, and has its own random streams:

* ``admin``: administrative status records (status errors, stale addresses); they define the watch
  list, the people whose record shows a removable status;
* ``broker``: broker and utility records (large coverage, address linkage error);
* ``agency_health``, ``agency_school``, ``agency_tax``: cross-agency data (address yield as observed;
  status-inference flags with the observed false-positive share);
* ``plates``: licence-plate readers (every vehicle read and retained; hot-list hits; false alerts);
* ``cell``: cell-site simulators (every phone in range captured; phone-to-person linking error);
* ``tips``: tips from the public, arriving whatever the allocation (the reported share of leads).

Each yields leads (person-at-place claims with an address confidence 0-100) at the start and as a
daily flow, and records on people who are not targets (bystanders), counted per source. Sources
never see true status directly: they see records, which can be wrong.
"""

from scrutiny.sources._admin import AdminSource, Records, admin_records, record_leads, watch_list
from scrutiny.sources._base import RecordFlow, Source, SourceContext, channel_code, source_channels
from scrutiny.sources._bulk import (
    AGENCY_DATASETS,
    AgencySource,
    BrokerSource,
    RecordSource,
    agency_sources,
    broker_source,
)
from scrutiny.sources._court import CourtCalendar
from scrutiny.sources._flow import SourceSet, nominal_arrests_per_day
from scrutiny.sources._jail import JailData
from scrutiny.sources._leads import (
    ADDRESS,
    SIGHTING,
    Leads,
    Tally,
    concat_leads,
    empty_leads,
    make_leads,
    residence_tract_start,
    wrong_address,
)
from scrutiny.sources._reports import ServiceReports
from scrutiny.sources._sensors import CellSites, CellSiteSource, PlateReaders, PlateReaderSource, plate_day_counts
from scrutiny.sources._tips import Tips, TipSource

#: The built-in sources' channels, in code order (``source_channels()`` also lists plug-ins).
SOURCE_NAMES: tuple[str, ...] = source_channels()

__all__ = [
    "Source",
    "SourceContext",
    "RecordFlow",
    "source_channels",
    "channel_code",
    "AdminSource",
    "BrokerSource",
    "AgencySource",
    "PlateReaderSource",
    "CellSiteSource",
    "TipSource",
    "ServiceReports",
    "CourtCalendar",
    "JailData",
    "Records",
    "Leads",
    "Tally",
    "SOURCE_NAMES",
    "AGENCY_DATASETS",
    "ADDRESS",
    "SIGHTING",
    "SourceSet",
    "RecordSource",
    "PlateReaders",
    "CellSites",
    "Tips",
    "admin_records",
    "record_leads",
    "watch_list",
    "broker_source",
    "agency_sources",
    "plate_day_counts",
    "nominal_arrests_per_day",
    "make_leads",
    "empty_leads",
    "concat_leads",
    "wrong_address",
    "residence_tract_start",
]

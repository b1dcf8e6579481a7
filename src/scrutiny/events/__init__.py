"""Stage 8, events: one columnar event log (encounters, scans, matches, detentions, releases,
removals), written as Parquet with provenance.
"""

from scrutiny.events._log import CATEGORIES, COLUMNS, EventBuffer, EventLog, from_arrow, read_events

__all__ = ["EventLog", "EventBuffer", "COLUMNS", "CATEGORIES", "read_events", "from_arrow"]

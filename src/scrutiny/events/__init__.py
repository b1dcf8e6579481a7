"""Stage 8, events: one columnar event log, written as Parquet with provenance.

The log holds encounters, scans, matches, detentions, releases and removals.
"""

from scrutiny.events._log import CATEGORIES, COLUMNS, EventBuffer, EventLog, categories, from_arrow, read_events

__all__ = ["EventLog", "EventBuffer", "COLUMNS", "CATEGORIES", "read_events", "from_arrow", "categories"]

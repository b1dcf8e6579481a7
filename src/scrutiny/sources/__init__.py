"""Stage 3, sources: observation models that turn the world into records and leads.

Each source has coverage and error, and yields leads (person-at-place claims with an address
confidence 0-100) that the targeting stage sees. Sources never see true status directly: they see
records, which can be wrong.
"""

from scrutiny.sources._admin import SOURCE_NAMES, Leads, Records, admin_records, empty_leads, record_leads

__all__ = ["Records", "Leads", "SOURCE_NAMES", "admin_records", "record_leads", "empty_leads"]

"""Stage 11, report: a self-contained HTML report (opens offline) of a run."""

from scrutiny.report._html import HEADLINES, assumptions_table, render_run

__all__ = ["render_run", "assumptions_table", "HEADLINES"]

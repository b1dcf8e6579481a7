"""Stage 9, metrics: pure functions over the event log, and the registry of summary metrics."""

from scrutiny.metrics._biometric import (
    BIOMETRIC_METRICS,
    count_by_group,
    rate_by_group,
    records_retained,
    series_by_day,
)
from scrutiny.metrics._core import (
    count,
    days_detained,
    event_key,
    gini,
    per_1000,
    rate_ratio_max,
    share,
    top_share,
    total_variation,
)
from scrutiny.metrics._intervals import aggregate, band, intervals, mean_interval, paired_difference
from scrutiny.metrics._registry import BY, FAMILIES, Context, Metric
from scrutiny.metrics._spread import counts_by, cumulative_top_share, lorenz_curve, rate_ratios
from scrutiny.metrics._summary import FUNNEL_STAGES, METRICS, funnel_by_status, replicate_values, summarize

__all__ = [
    "METRICS",
    "Metric",
    "Context",
    "FAMILIES",
    "BY",
    "summarize",
    "replicate_values",
    "funnel_by_status",
    "FUNNEL_STAGES",
    "count",
    "per_1000",
    "share",
    "top_share",
    "gini",
    "rate_ratio_max",
    "event_key",
    "days_detained",
    "counts_by",
    "lorenz_curve",
    "cumulative_top_share",
    "rate_ratios",
    "rate_by_group",
    "count_by_group",
    "records_retained",
    "series_by_day",
    "BIOMETRIC_METRICS",
    "total_variation",
    "band",
    "mean_interval",
    "aggregate",
    "intervals",
    "paired_difference",
]

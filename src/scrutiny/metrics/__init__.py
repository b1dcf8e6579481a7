"""Stage 9, metrics: pure functions over the event log, the registry of summary metrics, and intervals.

``METRICS`` lists every summary metric with its compute function (:class:`Metric`);
:func:`summarize` computes them for one replicate, :func:`replicate_values` reads one back from
per-replicate summaries, and the interval routines (:func:`mean_interval`, :func:`band`,
:func:`paired_difference`) turn replicates into estimates. The views (:func:`funnel_by_status`,
:func:`tract_counts`, :func:`top_share_by_day`, :func:`group_rates`) are what the report draws
beyond single numbers.
"""

from scrutiny.metrics._biometric import (
    BIOMETRIC_METRICS,
    count_by_group,
    rate_by_group,
    records_retained,
    series_by_day,
)
from scrutiny.metrics._border import BORDER_METRICS, border_note
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
from scrutiny.metrics._intervals import (
    NON_NEGATIVE,
    UNBOUNDED,
    UNIT,
    aggregate,
    band,
    intervals,
    mean_interval,
    paired_difference,
    support_of,
)
from scrutiny.metrics._registry import BY, FAMILIES, Context, Metric
from scrutiny.metrics._spread import counts_by, cumulative_top_share, lorenz_curve, rate_ratios
from scrutiny.metrics._summary import METRICS, replicate_values, summarize
from scrutiny.metrics._views import FUNNEL_STAGES, funnel_by_status, group_rates, top_share_by_day, tract_counts

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
    "tract_counts",
    "top_share_by_day",
    "group_rates",
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
    "BORDER_METRICS",
    "border_note",
    "total_variation",
    "band",
    "mean_interval",
    "aggregate",
    "intervals",
    "paired_difference",
    "support_of",
    "NON_NEGATIVE",
    "UNIT",
    "UNBOUNDED",
]

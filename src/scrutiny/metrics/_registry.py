"""The shape of a summary metric, and what its compute function receives.

A :class:`Metric` carries everything about one figure of the summary: its name, how to read it
(label, unit, description, family, bounds, which direction is worse), what it is computed from
(:attr:`Metric.requires`), and its compute function, which takes one replicate's
:class:`Context` (the event log and the run's tallies) and returns a number or ``{key: number}``.
``scrutiny.metrics.METRICS`` lists them in summary order, and :func:`scrutiny.metrics.summarize`
is a loop over it.

Adding a metric is one entry in a family's tuple (``_summary.py`` or ``_biometric.py``, or a new
module listed in ``_summary.METRICS``) plus its function; the summary, ``summary.json``, the
comparison and the report's "All figures" table pick it up from there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from scrutiny.codes import EVENT_KINDS
from scrutiny.events import EventLog

__all__ = ["Metric", "Context", "Masks", "FAMILIES", "BY", "flagged_matches"]

#: Families of metrics, in the order the report lists them, with the title of each.
FAMILIES: dict[str, str] = {
    "volume": "Volumes",
    "collateral": "Citizens and lawful residents swept up",
    "precision": "Precision of targeting",
    "disparity": "Who bears the errors",
    "concentration": "Where operations go",
    "data": "Data collected on people who are not targets",
    "chilling": "Chilling",
    "identification": "Identification and safeguards",
    "services": "Everyday status checks and data sharing",
    "dissent": "Chilling and dissent",
}
#: What a nested metric is keyed by (``None``: the metric is one number). ``"day"`` marks a series.
BY: tuple[str, ...] = ("status", "group", "place_type", "source", "safeguard", "day", "service")

_K = {k: i for i, k in enumerate(EVENT_KINDS)}


@dataclass(frozen=True, slots=True)
class Metric:
    """One summary metric: what it means and how it is computed.

    Attributes:
        name: The key in the summary (``summary.json``), ``snake_case``.
        label: A short title for tables and charts.
        unit: Unit of the value (``"share"`` values are shown as percentages).
        description: One or two plain sentences: what is counted, of whom.
        family: Section of the report it belongs to (a key of :data:`FAMILIES`).
        compute: ``compute(context) -> float | {key: float}`` for one replicate.
        requires: Inputs of the :class:`Context` the metric needs besides the event log
            (``"sources"``, ``"sources.removable_by_tract"``, ``"lost_visits"``,
            ``"daily.fpir_reference"``...); the metric is left out of a summary that lacks them.
        by: What a nested value is keyed by (one of :data:`BY`), or ``None`` for a number.
        bounded: The value (each value, when nested) lies in [0, 1].
        higher_is_worse: ``True`` when more is more harm, ``False`` when more is better, ``None``
            for a volume that is neither.
        numerator: For a ratio of two other metrics: the metric whose value (summed over its keys
            when nested) is the numerator, so that ``value == scale * numerator / denominator``
            in every replicate.
        denominator: The metric that is the denominator of such a ratio.
        scale: The ratio's multiplier (1000 for "per 1,000").
        signed: The value can be negative (a change or a difference). Every metric registered so
            far counts things or divides counts, so it is never negative (see :attr:`support`).
        part_of_denominator: For a ratio, the numerator counts a subset of what the denominator
            counts (citizens among arrests), so the value lies in [0, scale] (see :attr:`support`).
    """

    name: str
    label: str
    unit: str
    description: str
    family: str
    compute: Callable[[Context], float | dict[str, float]] = field(repr=False, compare=False)
    requires: tuple[str, ...] = ()
    by: str | None = None
    bounded: bool = False
    higher_is_worse: bool | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    signed: bool = False
    part_of_denominator: bool = False

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"metric {self.name!r}: family must be one of {list(FAMILIES)}; got {self.family!r}")
        if self.by is not None and self.by not in BY:
            raise ValueError(f"metric {self.name!r}: by must be None or one of {list(BY)}; got {self.by!r}")
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError(f"metric {self.name!r}: give both numerator and denominator, or neither")

    @property
    def support(self) -> tuple[float, float]:
        """The range the metric's values lie in: [0, 1], [0, scale], [0, inf) or any number.

        [0, 1] when bounded; [0, scale] for a ratio whose numerator is part of its denominator;
        [0, inf) unless signed. Intervals of the metric's mean stay inside it (:func:`scrutiny.metrics.mean_interval`).
        """
        if self.bounded:
            return (0.0, 1.0)
        if self.part_of_denominator:
            return (0.0, float(self.scale))
        return (-math.inf, math.inf) if self.signed else (0.0, math.inf)

    @property
    def is_scalar(self) -> bool:
        """Whether the metric is one number per replicate (not keyed)."""
        return self.by is None


@dataclass(frozen=True, slots=True)
class Masks:
    """Boolean masks over the rows of an event log, shared by the metrics."""

    det: np.ndarray  # detention events
    scan: np.ndarray
    match: np.ndarray
    ops: np.ndarray  # operation (site visit) events
    citizen: np.ndarray  # the person is a citizen (the jurisdiction's citizen statuses)
    lawful: np.ndarray  # the person is a citizen or lawful resident (not removable)
    flagged: np.ndarray  # a decision about a flagged person: a record showing a removable status, found by a
    #                      search or (for a named subject not scanned) from their own record


def flagged_matches(events: EventLog, match: np.ndarray) -> np.ndarray:
    """Match events whose returned record shows a removable status (under the log's jurisdiction)."""
    return match & events.vocab.shows_removable(events["record"])


@dataclass(frozen=True)
class Context:
    """What one replicate's metrics are computed from: its event log and the run's tallies.

    Masks and per-unit counts that several metrics share are computed once, on first use.

    Attributes:
        events: The replicate's event log.
        n_days: Days simulated (detention days are censored there).
        n_tracts: Number of tracts.
        retention_days: How long scan records are kept (``field.retention_days``).
        sources: Per-source tallies (``bystander_records``, ``leads``, ``good_leads``: ``{source: n}``)
            and ``removable_by_tract``, as in :attr:`scrutiny.operations.RunOutput.sources`.
        lost_visits: float64[place types, statuses] expected visits avoided.
        expected_visits: float64[place types, statuses] visits expected without avoidance.
        daily: The run's per-day series (:attr:`scrutiny.operations.RunOutput.daily`).
        dissent: Chilling and dissent (:attr:`scrutiny.operations.RunOutput.dissent`): ``effects`` (school
            days and prenatal WIC enrolments lost) and, when protests ran, ``protest``.
    """

    events: EventLog
    n_days: int
    n_tracts: int
    retention_days: float = math.inf
    sources: Mapping | None = None
    lost_visits: np.ndarray | None = None
    expected_visits: np.ndarray | None = None
    daily: Mapping[str, np.ndarray] | None = None
    dissent: Mapping | None = None

    def has(self, need: str) -> bool:
        """Whether the input ``need`` (``"sources"``, or ``"sources.removable_by_tract"``: a key in it) is here.

        Examples:
            >>> from scrutiny.events import EventBuffer
            >>> c = Context(EventBuffer().finish(), n_days=1, n_tracts=1, daily={"threshold": np.zeros(1)})
            >>> c.has("daily"), c.has("daily.threshold"), c.has("daily.fpir_reference"), c.has("sources")
            (True, True, False, False)
        """
        name, _, key = need.partition(".")
        value = getattr(self, name)
        return value is not None and (not key or key in value)

    @cached_property
    def masks(self) -> Masks:
        """Detentions, scans, matches, operations, citizens, lawful people and flagged matches."""
        kind, status, vocab = self.events["kind"], self.events["status"], self.events.vocab
        match = kind == _K["match"]
        return Masks(
            det=kind == _K["detention"], scan=kind == _K["scan"], match=match, ops=kind == _K["operation"],
            citizen=vocab.is_citizen(status), lawful=vocab.is_lawful(status), flagged=kind == _K["decision"],
        )

    def kind(self, name: str) -> np.ndarray:
        """Rows of event kind ``name`` (``"encounter"``, ``"removal"``, ``"decision"``...)."""
        return self.events["kind"] == _K[name]

    @cached_property
    def ops_per_place(self) -> np.ndarray:
        """Operations at each place visited at least once (in place-id order)."""
        return np.unique(self.events["place"][self.masks.ops], return_counts=True)[1]

    @cached_property
    def ops_per_tract(self) -> np.ndarray:
        """Operations in each tract, ``int[n_tracts]``."""
        return np.bincount(self.events["tract"][self.masks.ops], minlength=self.n_tracts)

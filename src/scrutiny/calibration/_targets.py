"""Calibration targets: the observed outcomes a calibration must reproduce, read from a TOML file.

A targets file is validated like a scenario (frozen pydantic models, unknown keys refused, every
message naming the target and the field)::

    description = "US interior enforcement, 2025-26"
    parameters = ["field.threshold", "field.rel_gallery_size=0.005:1.5:log"]  # default unknowns

    [targets.citizens_held_2025]
    numerator = "citizens_detained"        # a summary metric; a nested key with a dot; or a list, summed
    denominator = "arrests"
    observed = { k = 170, n = 222000 }     # k of n
    undercount = [1, 10]                   # optional: the true count is k times an unknown factor in [1, 10]
    source = "ProPublica, 16 Oct 2025; Deportation Data Project"
    note = "How a national figure maps to the synthetic metro."

    [targets.scans_per_arrest]
    numerator = "scans"
    denominator = "arrests"
    band = [0.2, 1.0]                      # the rate must lie in the band
    count_model = "poisson"                # scans are not a subset of arrests: a rate per arrest
    source = "Wired, 5 Feb 2026"

A target is either a count ``observed = {k, n}`` (scored by a binomial deviance, see
:mod:`._score`) or a ``band = [lo, hi]`` on a rate (``numerator`` / ``denominator``, scored from
the simulated counts) or on a single ``metric`` (a ratio Scrutiny computes). Metric names are
checked against a simulated summary at run time, not here, so a file may name metrics that a
later model provides.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scrutiny.errors import ConfigError, did_you_mean

__all__ = [
    "Observed",
    "Target",
    "TargetSet",
    "load_targets",
    "default_targets_path",
    "metric_value",
    "metric_names",
    "check_metrics",
]


class Observed(BaseModel):
    """An observed count: ``k`` events out of ``n`` (``n`` may be a national figure; the exposure of a Poisson rate)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    k: float = Field(ge=0, description="The observed count (the numerator).")
    n: float = Field(gt=0, description="Its denominator.")

    @model_validator(mode="after")
    def _k_at_most_n(self) -> Observed:
        if not (math.isfinite(self.k) and math.isfinite(self.n)):
            raise ValueError("k and n must be finite numbers")
        return self

    @property
    def rate(self) -> float:
        """``k / n``."""
        return self.k / self.n


def _names(value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)):
        if not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError("expected a metric name or a non-empty list of metric names")
        return tuple(v.strip() for v in value)
    return value


def _pair(value: Any, what: str) -> tuple[float, float]:
    lo, hi = value
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"{what} must be two finite numbers")
    if lo > hi:
        raise ValueError(f"{what} needs lo <= hi; got [{lo:g}, {hi:g}]")
    return lo, hi


class Target(BaseModel):
    """One observed outcome, the metric(s) that reproduce it, how it is scored and its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1, description="The target's name (its key in the file).")
    numerator: tuple[str, ...] | None = Field(None, description="Metric(s) counted, summed; nested keys with a dot.")
    denominator: tuple[str, ...] | None = Field(None, description="Metric(s) the count is out of, summed.")
    metric: str | None = Field(None, description="A single metric compared with a band (a ratio Scrutiny computes).")
    observed: Observed | None = Field(None, description="The observed count, {k, n}.")
    band: tuple[float, float] | None = Field(None, description="The band [lo, hi] the rate or metric must lie in.")
    undercount: tuple[float, float] | None = Field(
        None, description="The observed k is an undercount: the true count is k times a factor in [lo, hi].")
    count_model: Literal["binomial", "poisson"] = Field(
        "binomial", description="How counts vary: binomial (k is a subset of n) or poisson (a rate per unit of n).")
    source: str = Field(min_length=1, description="The public source of the observed figure.")
    note: str = Field("", description="How the figure maps to the synthetic metro, and caveats.")
    fit: bool = Field(True, description="Whether the target drives the fit (its score enters the ABC distance); "
                      "false keeps it as a check: its posterior predictive is still reported beside its band.")

    @field_validator("numerator", "denominator", mode="before")
    @classmethod
    def _metric_names(cls, v: Any) -> Any:
        return _names(v)

    @field_validator("source")
    @classmethod
    def _source_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("give the public source of the observed figure")
        return v.strip()

    @model_validator(mode="after")
    def _one_kind(self) -> Target:
        counts = self.numerator is not None or self.denominator is not None
        if (self.observed is None) == (self.band is None):
            raise ValueError("give either observed = {k, n} or band = [lo, hi] (exactly one)")
        if counts and (self.numerator is None or self.denominator is None):
            raise ValueError("numerator and denominator go together")
        if self.metric is not None and counts:
            raise ValueError("give either metric or numerator/denominator, not both")
        if self.observed is not None and not counts:
            raise ValueError("an observed count needs numerator and denominator (the simulated k and n)")
        if self.observed is not None and self.count_model == "binomial" and self.observed.k > self.observed.n:
            raise ValueError(f"observed k ({self.observed.k:g}) cannot exceed n ({self.observed.n:g}) in a binomial "
                             "count; use count_model = 'poisson' for a rate per unit of n")
        if self.band is None and self.metric is not None:
            raise ValueError("a single metric is compared with a band = [lo, hi]")
        if self.band is not None and not counts and self.metric is None:
            raise ValueError("a band needs metric, or numerator and denominator")
        if self.band is not None:
            lo, hi = _pair(self.band, "band")
            if lo < 0:
                raise ValueError(f"band must be >= 0; got [{lo:g}, {hi:g}]")
            if counts and self.count_model == "binomial" and hi > 1:
                raise ValueError("a binomial band is a share in [0, 1]; use count_model = 'poisson' for a rate")
            if self.metric is not None and not lo < hi:
                raise ValueError("a metric band needs lo < hi")
        if self.undercount is not None:
            if self.observed is None:
                raise ValueError("undercount applies to an observed count")
            lo, hi = _pair(self.undercount, "undercount")
            if lo <= 0:
                raise ValueError(f"undercount factors must be > 0; got [{lo:g}, {hi:g}]")
        if self.metric is None and not counts:
            raise ValueError("name the metric(s): numerator and denominator, or metric")
        return self

    @property
    def kind(self) -> str:
        """``"count"`` (observed k of n), ``"band_counts"`` (a band on a rate of counts) or ``"band_metric"``."""
        if self.observed is not None:
            return "count"
        return "band_metric" if self.metric is not None else "band_counts"

    def observed_band(self) -> tuple[float, float]:
        """The observed value as a range of rates: the band, or k/n stretched by the undercount factors."""
        if self.band is not None:
            return self.band
        rate = self.observed.rate
        lo, hi = self.undercount or (1.0, 1.0)
        return rate * lo, min(rate * hi, 1.0)

    def metrics(self) -> tuple[str, ...]:
        """Every metric name this target reads."""
        if self.metric is not None:
            return (self.metric,)
        return tuple(self.numerator) + tuple(self.denominator)


class TargetSet(BaseModel):
    """A targets file: a description, optional default unknowns, and the targets by name."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    description: str = ""
    parameters: tuple[str, ...] = Field(
        (), description="Default unknowns, as for --params: NAME (documented range) or NAME=LO:HI[:log|lin].")
    targets: dict[str, Target] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _names_from_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("targets"), Mapping):
            targets = {}
            for key, spec in data["targets"].items():
                targets[key] = {"name": key, **spec} if isinstance(spec, Mapping) and "name" not in spec else spec
            data = {**data, "targets": targets}
        return data

    @model_validator(mode="after")
    def _keys_match(self) -> TargetSet:
        for key, target in self.targets.items():
            if target.name != key:
                raise ValueError(f"target {key!r} is named {target.name!r}; leave name out (the key names it)")
        if not any(t.fit for t in self.targets.values()):
            raise ValueError("at least one target must drive the fit (fit = true)")
        return self

    def __iter__(self):  # type: ignore[override]
        return iter(self.targets.values())

    def __len__(self) -> int:
        return len(self.targets)

    @property
    def names(self) -> list[str]:
        """Target names in file order."""
        return list(self.targets)

    def canonical_hash(self) -> str:
        """SHA-256 of the validated content (comments and layout of the file do not count)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _allowed(loc: tuple) -> list[str]:
    model: type[BaseModel] = TargetSet
    for part in loc[:-1]:
        if model is TargetSet and part == "targets":
            model = Target
            continue
        if model is Target and part == "observed":
            model = Observed
    return sorted(model.model_fields)


def _format(err: ValidationError, origin: str) -> str:
    lines = [f"Invalid targets ({origin}):"]
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        dotted = ".".join(str(p) for p in loc) or "<root>"
        value = e.get("input")
        if e["type"] == "extra_forbidden":
            allowed = [a for a in _allowed(loc) if a != "name"]
            lines.append(f"  - {dotted}: unknown key (value {value!r}).{did_you_mean(str(loc[-1]), allowed)} "
                         f"Allowed here: {allowed}")
            continue
        msg = e["msg"].removeprefix("Value error, ")
        got = "" if e["type"] == "missing" or isinstance(value, Mapping) else f"; got {value!r}"
        lines.append(f"  - {dotted}: {msg}{got}")
    return "\n".join(lines)


def default_targets_path(preset: str = "us-interior") -> Path:
    """The packaged targets file of a preset.

    Raises:
        ConfigError: If the preset has no packaged targets (the message lists those that do).
    """
    folder = resources.files("scrutiny.calibration") / "targets"
    have = sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    if preset not in have:
        raise ConfigError(f"No packaged calibration targets for preset {preset!r}; packaged: {have}."
                          f"{did_you_mean(preset, have)} Give a targets file with --targets.")
    return Path(str(folder / f"{preset}.toml"))


def load_targets(source: str | Path | Mapping[str, Any] | TargetSet | None = None) -> TargetSet:
    """Read and validate a targets file (or mapping); ``None`` is the packaged us-interior file.

    Raises:
        ConfigError: For a missing file, bad TOML, or any invalid target; the message names each
            target, its bad field, the value and what is allowed.

    Examples:
        >>> t = load_targets({"targets": {"share": {"numerator": "a", "denominator": "b",
        ...                   "observed": {"k": 3, "n": 10}, "source": "toy"}}})
        >>> t.targets["share"].kind, t.targets["share"].numerator
        ('count', ('a',))
    """
    from scrutiny.scenario._load import read_toml

    if isinstance(source, TargetSet):
        return source
    origin = "targets"
    if source is None:
        source = default_targets_path()
    if isinstance(source, (str, Path)):
        origin = str(source)
        source = read_toml(source, what="Targets")
    if not isinstance(source, Mapping):
        raise ConfigError(f"Targets must be a TOML file or a mapping; got {source!r}.")
    try:
        return TargetSet.model_validate(dict(source))
    except ValidationError as exc:
        raise ConfigError(_format(exc, origin)) from None


def metric_names(summary: Mapping[str, Any]) -> list[str]:
    """Every number a summary holds, nested keys joined with a dot.

    Examples:
        >>> metric_names({"arrests": 3.0, "detained_by_status": {"citizen_birth": 1.0}})
        ['arrests', 'detained_by_status.citizen_birth']
    """
    out = []
    for key, value in summary.items():
        if isinstance(value, Mapping):
            out += [f"{key}.{k}" for k, v in value.items() if not isinstance(v, Mapping)]
        else:
            out.append(str(key))
    return out


def metric_value(summary: Mapping[str, Any], name: str) -> float:
    """The value of metric ``name`` (``"a.b"`` reads ``summary["a"]["b"]``); NaN for ``None``.

    Raises:
        KeyError: If the summary has no such metric.
    """
    if name in summary and not isinstance(summary[name], Mapping):
        value = summary[name]
    else:
        head, _, tail = name.partition(".")
        node = summary.get(head)
        if not tail or not isinstance(node, Mapping) or tail not in node:
            raise KeyError(name)
        value = node[tail]
    return math.nan if value is None else float(value)


def check_metrics(targets: Iterable[Target], summary: Mapping[str, Any], *, origin: str = "targets") -> None:
    """Check that every metric the targets name exists in a simulated summary.

    Raises:
        ConfigError: Naming the target and the metric, with the closest existing name.
    """
    have = metric_names(summary)
    bad = []
    for target in targets:
        for name in target.metrics():
            try:
                metric_value(summary, name)
            except KeyError:
                bad.append(f"  - target {target.name!r}: metric {name!r} is not in a Scrutiny summary."
                           f"{did_you_mean(name, have)}")
    if bad:
        raise ConfigError(f"Invalid targets ({origin}):\n" + "\n".join(bad) +
                          "\n  (`scrutiny run` writes every metric to summary.json; nested keys take a dot, "
                          "e.g. detained_by_status.citizen_birth)")


def sum_metrics(summaries: Sequence[Mapping[str, Any]], names: Sequence[str]) -> float:
    """The sum of metrics ``names`` over replicate ``summaries``."""
    return float(sum(metric_value(s, n) for s in summaries for n in names))

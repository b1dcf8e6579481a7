"""The report's plain-language summary: a few sentences a non-specialist can quote, each number with its interval.

Every sentence says "in this simulation" in some form, and every number in it is a metric's mean
from ``summary.json`` with its 95% interval, written with one number of decimals for the mean and
both ends. Each number is a part that carries the metric's name and its raw mean and interval, so
the page can be checked against ``summary.json`` (the tests do).
"""

from __future__ import annotations

from typing import Any

from scrutiny.metrics import METRICS
from scrutiny.report._data import RunData
from scrutiny.report._format import estimate, fmt, fmt_estimate

__all__ = ["number", "text", "run_brief", "citizens_of", "observed_sentence", "replicate_warning", "MIN_REPLICATES"]

#: Fewer replicates than this and the report warns that its intervals are not fit to quote.
MIN_REPLICATES = 5


def text(words: str) -> dict[str, Any]:
    """A part of a sentence that is only words."""
    return {"text": words}


def number(metrics: dict, key: str, *, first: bool = False, signed: bool = False, entry: Any = None,
           unit: str | None = None) -> dict[str, Any] | None:
    """A number of a sentence: a metric's mean and its interval (``first``: say "95% interval"); None if absent.

    ``entry`` replaces ``metrics[key]``: a paired difference (``signed``), for instance, which the part
    then marks as ``kind = "difference"``.
    """
    value = metrics.get(key) if entry is None else entry
    if value is None:
        return None
    meta = METRICS.get(key)
    unit = (meta.unit if meta else "") if unit is None else unit
    est = estimate(value, bounded=bool(meta and meta.bounded), signed=signed)
    if est["mean"] is None:
        return None
    shown, interval = fmt_estimate(est, unit, signed=signed)
    return {"metric": key, "value": shown, "interval": interval, "raw": est["mean"], "lo": est["lo"], "hi": est["hi"],
            "first": first, "unit": unit, "kind": "difference" if signed else "value"}


def _sentence(*parts: dict | str | None) -> list[dict] | None:
    """A sentence from words and numbers; None when one of its numbers is missing."""
    if any(p is None for p in parts):
        return None
    return [text(p) if isinstance(p, str) else p for p in parts]


def _mean(metrics: dict, key: str) -> float | None:
    return estimate(metrics.get(key))["mean"] if key in metrics else None


def citizens_of(scenario: Any) -> str:
    """The adjective for the scenario's jurisdiction's citizens ("US"), or "" (the jurisdiction's ``citizens``)."""
    return scenario.jurisdiction.citizens


def run_brief(data: RunData, observed: dict[str, Any] | None = None) -> list[list[dict]]:
    """Three to five sentences about one run (or a comparison's baseline), every number with its interval.

    Args:
        data: The run.
        observed: The run's figures beside observed ones (:func:`scrutiny.report._trust.observed_comparison`);
            its first row on citizens detained per 1,000 arrests becomes the last sentence.
    """
    m = data.metrics
    people = data.world_info.get("n_people", data.scenario.world.n_people)
    where = f"{int(people):,} synthetic people over {data.scenario.n_days} days ({data.scenario.name})"
    out = [
        _sentence(f"In this simulation of {where}, agents made ", number(m, "arrests", first=True), " arrests."),
        _sentence("Of every 1,000 people arrested, ", number(m, "citizens_detained_per_1000_arrests"),
                  f" were {(citizens_of(data.scenario) + ' citizens').strip()}, and ",
                  number(m, "lawful_residents_detained_per_1000_arrests"),
                  " were citizens or residents with a lawful status."),
        _sentence("Agents ran ", number(m, "scans"), " face scans, ", number(m, "scans_of_non_targets"),
                  " of them of citizens and lawful residents."),
    ]
    days = number(m, "wrongful_detention_days")
    removed = _mean(m, "citizens_removed")
    if days is not None:
        tail = (["; none of them was removed from the country before proving their status."] if removed == 0 else
                [", and ", number(m, "citizens_removed"), " were removed before they could prove their status."])
        out.append(_sentence("Citizens and lawful residents who were wrongly detained spent ", days,
                             " days in detention in all", *tail))
    out.append(observed_sentence(observed))
    return [s for s in out if s]


def observed_sentence(observed: dict[str, Any] | None, *, baseline: bool = False) -> list[dict] | None:
    """The summary's sentence on the citizen figure against what has been observed (or that nothing is packaged)."""
    if observed is None:
        return None
    rows = [r for r in observed.get("rows", []) if r["metric"] == "citizens_detained_per_1000_arrests"]
    if not rows:
        if observed.get("rows"):
            return None
        return [text(f"No observed figures are packaged for {observed['preset']}, so nothing in this simulation "
                     "has been checked against what has been observed (see How far to trust this).")]
    r = rows[0]
    where = {"inside": "is consistent with", "above": "is above", "below": "is below"}.get(r["verdict"],
                                                                                          "compares with")
    seen = fmt(r["lo"]) if r["lo"] == r["hi"] else f"between {fmt(r['lo'])} and {fmt(r['hi'])}"
    which = "The baseline's citizen figure" if baseline else "The citizen figure"
    return [text(f"{which} {where} what has been observed in the United States, {seen} {r['unit']} "
                 f"({r['short_source']}); see How far to trust this.")]


def replicate_warning(n: int) -> str:
    """A warning when there are too few replicates for intervals worth quoting (empty otherwise).

    Examples:
        >>> replicate_warning(10)
        ''
        >>> replicate_warning(2)[:40]
        'Only 2 replicates: with fewer than 5, an'
    """
    if n >= MIN_REPLICATES:
        return ""
    if n == 1:
        return ("One replicate: these figures have no interval, so nothing shows how much they move from one simulated "
                "world to another. Run 10 replicates (the default) before quoting them.")
    return (f"Only {n} replicates: with fewer than {MIN_REPLICATES}, an interval rests on so few simulated worlds that "
            f"it is very wide (the t multiplier with {n - 1} degree{'s' if n > 2 else ''} of freedom is "
            f"{_t(n - 1)}) and its own width is uncertain. Run 10 replicates (the default) before quoting these "
            "figures.")


def _t(df: int) -> str:
    from scipy import stats

    return fmt(float(stats.t.ppf(0.975, df)))

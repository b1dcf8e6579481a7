"""A comparison in words: its lead, and the results a reader would not expect, explained from the figures.

* The lead names a best safeguard only when its interval separates it from the next one (a paired
  difference, replicate by replicate); otherwise it names the arms that cannot be told apart.
* An arm that lowers the number of citizens and lawful residents detained while raising their
  share per 1,000 arrests (a gallery of final orders only) is explained: it removes arrests of
  removable people even faster.
* An arm that changed nothing in any replicate, or did not change who was detained, is said in
  words, with the reason when the figures show it (no operation at a protected place to exclude,
  no one cleared by a rule).
* An arm that raised harm is said too.

Each sentence is a list of parts (:func:`scrutiny.report._brief.text` and
:func:`~scrutiny.report._brief.number`), so every number carries its metric and interval.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scrutiny.metrics import METRICS, mean_interval
from scrutiny.report._brief import number, text
from scrutiny.report._format import estimate, fmt

__all__ = ["lead", "explanations", "excludes_zero", "never_binds"]

HARM = "lawful_residents_detained"
RATE = "lawful_residents_detained_per_1000_arrests"


def excludes_zero(e: dict | None) -> bool:
    """Whether an interval lies wholly on one side of zero.

    Examples:
        >>> excludes_zero({"lo": 1.0, "hi": 3.0}), excludes_zero({"lo": -1.0, "hi": 3.0}), excludes_zero(None)
        (True, False, False)
    """
    if not e:
        return False
    lo, hi = e.get("lo"), e.get("hi")
    return lo is not None and hi is not None and np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0)


def _diff(summary: dict, arm: str, metric: str) -> dict | None:
    return summary.get("differences", {}).get(arm, {}).get(metric)


def _harm_number(row: dict, *, first: bool = False) -> dict | None:
    return number({}, HARM, entry=row["d_harm"], signed=True, first=first)


def _legit_number(row: dict) -> dict | None:
    return number({}, "arrests_of_removable_people", entry=row["d_legit"], signed=True, unit="arrests")


def _parts(*parts: Any) -> list[dict]:
    return [text(p) if isinstance(p, str) else p for p in parts if p is not None]


def lead(cmp: Any, rows: list[dict]) -> list[list[dict]]:
    """The comparison's first sentences: the harm without safeguards, then which safeguard removed most of it.

    Args:
        cmp: The :class:`~scrutiny.report.ComparisonData`.
        rows: The safeguard rows of :func:`scrutiny.report._compare_view.safeguards`, baseline first then
            sorted by harm removed; each has ``d_harm``, ``d_legit`` and ``h`` (harm per replicate).
    """
    base = cmp.arms[cmp.baseline]
    metrics = cmp.summary.get("arms", {}).get(cmp.baseline, {}).get("metrics") or base.metrics
    people = base.world_info.get("n_people", base.scenario.world.n_people)
    reps = base.n_replicates
    out = [_parts(f"In this simulation ({base.scenario.name}: {int(people):,} synthetic people over "
                  f"{base.scenario.n_days} days, {reps} paired replicate{'s' if reps != 1 else ''} per arm), "
                  "without any safeguard ", number(metrics, HARM, first=True),
                  " citizens and lawful residents were detained, out of ", number(metrics, "arrests"), " arrests.")]
    arms = [r for r in rows if not r["baseline"]]
    if not arms:
        return out
    n = len(arms)
    best = arms[0]
    reducing = [r for r in arms if excludes_zero(r["d_harm"]) and r["d_harm"]["hi"] < 0]
    if not reducing:
        out.append(_parts(f"None of the {n} safeguards reduced detentions of citizens and lawful residents by more "
                          f"than chance in these runs; the largest change, under {best['name']}, was ",
                          _harm_number(best), "."))
        return out
    ties = [r for r in arms[1:] if not _separated(best, r)]
    if not ties:
        nxt = arms[1] if len(arms) > 1 else None
        sep = "" if nxt is None else f", and its interval separates it from the next, {nxt['name']}"
        out.append(_parts(f"Of the {n} safeguards, {best['name']} removed the most of that harm: ",
                          _harm_number(best), f" detentions{sep}. Its cost: arrests of removable people changed by ",
                          _legit_number(best), "."))
    else:
        names = [best["name"]] + [r["name"] for r in ties]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        out.append(_parts(f"Of the {n} safeguards, {listed} removed the most harm, and with these replicates they "
                          "cannot be told apart: the paired difference between each of them and "
                          f"{best['name']} has an interval that includes zero. No single safeguard is named best. "
                          f"Under {best['name']}, detentions of citizens and lawful residents changed by ",
                          _harm_number(best), "."))
    return out


def _separated(best: dict, other: dict) -> bool:
    """Whether ``best`` removed more harm than ``other`` beyond chance (their paired difference excludes zero)."""
    a, b = np.asarray(best["h"], float), np.asarray(other["h"], float)
    d = mean_interval(a[: min(a.size, b.size)] - b[: min(a.size, b.size)])
    return bool(excludes_zero(d) and d["hi"] < 0)


def never_binds(summary: dict, arm: str) -> bool:
    """Whether an arm equals the baseline in every replicate for every scalar metric (every difference exactly 0)."""
    diffs = summary.get("differences", {}).get(arm, {})
    return bool(diffs) and all(d.get("mean") == 0 and d.get("lo") == 0 and d.get("hi") == 0 for d in diffs.values()
                               if isinstance(d, dict) and "mean" in d)


def _pct(d: dict | None, base: float | None) -> float | None:
    if not d or base is None or not base or d.get("mean") is None:
        return None
    return 100.0 * d["mean"] / base


def _why_unchanged(cmp: Any, arm: str) -> str:
    overrides = cmp.summary.get("arms", {}).get(arm, {}).get("overrides") or {}
    base_metrics = cmp.arms[cmp.baseline].metrics
    arm_metrics = cmp.arms[arm].metrics if arm in cmp.arms else {}
    if any(k.startswith("targeting.excluded_place_types") for k in overrides):
        ops = estimate(base_metrics.get("operations_at_protected_places"))["mean"]
        if ops == 0:
            return ("the baseline made no operation at a school, clinic, church, courthouse or protest site, so there "
                    "was nothing to exclude")
    if any(k.startswith("field.decision") for k in overrides):
        cleared = arm_metrics.get("cleared_by_safeguard") or {}
        if isinstance(cleared, dict) and all(estimate(v)["mean"] == 0 for v in cleared.values()):
            return "the decision rule it adds cleared no one: no flagged person reached it in these runs"
    if any("retention" in k for k in overrides):
        days = cmp.arms[arm].scenario.n_days
        return f"no record was old enough for the shorter retention to matter within the {days} days simulated"
    return "the situation it guards against did not arise in these runs"


def _other_changes(summary: dict, arm: str, k: int = 2) -> list[tuple[str, dict]]:
    """The arm's clearest changes in metrics that are harms or benefits (interval excludes zero), largest first."""
    diffs = summary.get("differences", {}).get(arm, {})
    base = summary.get("arms", {}).get(summary.get("provenance", {}).get("baseline_arm", ""), {}).get("metrics", {})
    found = []
    for name, d in diffs.items():
        meta = METRICS.get(name)
        if meta is None or meta.higher_is_worse is None or not excludes_zero(d):
            continue
        b = estimate(base.get(name))["mean"]
        rel = abs(d["mean"]) / abs(b) if b else abs(d["mean"])
        found.append((rel, name, d))
    found.sort(key=lambda x: -x[0])
    return [(name, d) for _, name, d in found[:k]]


def explanations(cmp: Any, rows: list[dict]) -> list[dict[str, Any]]:
    """Results a reader would not expect, each explained: ``[{"kind", "arm", "sentence"}]``.

    Kinds: ``"ratio"`` (fewer wrongful detentions, a higher share per 1,000 arrests), ``"unchanged"``
    (identical to the baseline in every replicate), ``"same_people"`` (who was detained did not change,
    other figures did), ``"fewer_arrests"`` (harm removed by arresting less, not more accurately),
    ``"more_harm"`` (more citizens and lawful residents detained), ``"no_clear_effect"`` (one sentence for the
    arms that moved neither harm nor cost beyond chance).
    """
    summary = cmp.summary
    base_metrics = summary.get("arms", {}).get(cmp.baseline, {}).get("metrics") or cmp.arms[cmp.baseline].metrics
    base_harm = estimate(base_metrics.get(HARM))["mean"]
    base_arrests = estimate(base_metrics.get("arrests"))["mean"]
    out: list[dict[str, Any]] = []
    unclear: list[str] = []  # arms that bound (changed something) but moved neither harm nor cost beyond chance
    for r in (r for r in rows if not r["baseline"]):
        arm = r["name"]
        rate = _diff(summary, arm, RATE)
        d_arrests = _diff(summary, arm, "arrests")
        if never_binds(summary, arm):
            out.append({"kind": "unchanged", "arm": arm, "sentence": _parts(
                f"{arm} changed nothing in any replicate: {_why_unchanged(cmp, arm)}.")})
            continue
        if r["same"]:
            changes = _other_changes(summary, arm)
            what = [] if not changes else [" It changed "] + _join([
                [METRICS[n].label.lower() + " by ", number({}, n, entry=d, signed=True)] for n, d in changes]) + ["."]
            out.append({"kind": "same_people", "arm": arm, "sentence": _parts(
                f"{arm} did not change who was detained in any replicate.", *what)})
            continue
        harm_down = excludes_zero(r["d_harm"]) and r["d_harm"]["hi"] < 0
        if harm_down and excludes_zero(rate) and rate["lo"] > 0:
            ph, pa = _pct(r["d_harm"], base_harm), _pct(d_arrests, base_arrests)
            shares = ""
            if ph is not None and pa is not None:
                shares = (f" Wrongful detentions fell by {fmt(-ph)}% but arrests fell by {fmt(-pa)}%, so the ones "
                          "that remain are a larger share of fewer arrests.")
            out.append({"kind": "ratio", "arm": arm, "sentence": _parts(
                f"{arm} lowers the number of citizens and lawful residents detained, by ", _harm_number(r),
                ", yet raises their share of arrests, by ", number({}, RATE, entry=rate, signed=True),
                " per 1,000 arrests, because it removes arrests of removable people even faster: by ",
                _legit_number(r), "." + shares + " Judged per 1,000 arrests it looks worse; judged by the people "
                "wrongly detained it is better.")})
        elif harm_down and not excludes_zero(rate) and excludes_zero(r["d_legit"]) and r["d_legit"]["hi"] < 0:
            out.append({"kind": "fewer_arrests", "arm": arm, "sentence": _parts(
                f"{arm} removes harm mostly by making fewer arrests, not by making them more accurate: arrests of "
                "removable people changed by ", _legit_number(r), ", while citizens and lawful residents per 1,000 "
                "arrests changed by ", number({}, RATE, entry=rate, signed=True), ", which is within chance.")})
        if excludes_zero(r["d_harm"]) and r["d_harm"]["lo"] > 0:
            out.append({"kind": "more_harm", "arm": arm, "sentence": _parts(
                f"{arm} increased the number of citizens and lawful residents detained, by ", _harm_number(r), ".")})
        if not excludes_zero(r["d_harm"]) and not excludes_zero(r["d_legit"]):
            unclear.append(arm)
    if unclear:
        names = unclear[0] if len(unclear) == 1 else ", ".join(unclear[:-1]) + f" and {unclear[-1]}"
        out.append({"kind": "no_clear_effect", "arm": " ".join(unclear), "sentence": _parts(
            f"{names} changed neither the number of citizens and lawful residents detained nor arrests of removable "
            "people beyond chance in these replicates: with them, the safeguard made no difference that this "
            "comparison can show (more replicates could reveal a small one).")})
    return out


def _join(items: list[list]) -> list:
    out: list = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out += item
    return out

"""Test helpers: a tiny comparison assembled per the comparison contract (not the compare engine).

``FakeComparison`` has what ``scrutiny.report.render_comparison`` needs: ``.summary()`` (provenance,
arms with their metrics, paired differences against the baseline) and ``.results`` ({arm: Results}),
and ``.write(DIR)`` lays out a comparison folder the way ``Comparison.write`` does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scrutiny.experiments import aggregate, mean_interval, run, to_json, write_atomic
from scrutiny.scenario import load_scenario

#: The arms of the default test comparison: (name, description, overrides).
ARMS = (
    ("baseline", "The scenario as given.", {}),
    ("threshold_strict", "A match threshold one decade stricter (FMR 10x lower).", {"field.threshold": 10.6}),
    ("protected_places", "No operations at schools, clinics, churches, courthouses or protests.",
     {"targeting.excluded_place_types": ["school", "clinic", "church", "courthouse", "protest_site"]}),
    ("no_quota", "Teams visit every site they can reach; no daily arrest target.", {"operations.quota_enabled": False}),
)


def _paired(base: list[dict], arm: list[dict]) -> dict:
    """Per-replicate differences arm minus baseline, aggregated to {mean, lo, hi, n}."""
    out: dict = {}
    for key, first in base[0].items():
        if isinstance(first, dict):
            out[key] = {k: mean_interval(np.array([a[key][k] - b[key][k] for a, b in zip(arm, base, strict=True)]))
                        for k in first}
        else:
            out[key] = mean_interval(np.array([a[key] - b[key] for a, b in zip(arm, base, strict=True)]))
    return out


def _one(v):
    """A single replicate's value in the contract's {mean, lo, hi, n} form."""
    if isinstance(v, dict):
        return {s: mean_interval(np.array([x])) for s, x in v.items()}
    return mean_interval(np.array([v]))


class FakeComparison:
    """A comparison of arms run with :func:`scrutiny.run` on the same seed (common random numbers)."""

    def __init__(self, base: dict, *, replicates: int = 2, arms=ARMS, name: str | None = None) -> None:
        self.arms = arms
        self.scenarios = {}
        for arm, _, over in arms:
            overrides = {**base, **over}
            if name is not None:
                overrides["name"] = name
            self.scenarios[arm] = load_scenario(overrides=overrides)
        self.results = {arm: run(s, replicates=replicates) for arm, s in self.scenarios.items()}
        self.replicates = replicates

    def summary(self) -> dict:
        base_name = self.arms[0][0]
        base = [r.summary for r in self.results[base_name].replicates]
        prov = self.results[base_name].provenance()
        metrics = {}
        for arm, _, _ in self.arms:
            reps = [r.summary for r in self.results[arm].replicates]
            agg = aggregate(reps)
            metrics[arm] = agg if self.replicates > 1 else {k: _one(v) for k, v in agg.items()}
        return {
            "provenance": {"scrutiny_version": prov["scrutiny_version"], "config_hash": prov["config_hash"],
                           "seed": prov["seed"], "replicates": self.replicates, "baseline_arm": base_name,
                           "arms": [a for a, _, _ in self.arms]},
            "arms": {arm: {"description": desc, "overrides": over,
                           "config_hash": self.scenarios[arm].config_hash(), "metrics": metrics[arm]}
                     for arm, desc, over in self.arms},
            "differences": {arm: _paired(base, [r.summary for r in self.results[arm].replicates])
                            for arm, _, _ in self.arms},
        }

    def write(self, out: str | Path) -> Path:
        """Lay out DIR/comparison.json, DIR/arms/<name>/ and DIR/report.html, as Comparison.write does."""
        from scrutiny.report import render_comparison

        out = Path(out)
        for arm, res in self.results.items():
            res.write(out / "arms" / arm)
        write_atomic(out, {"comparison.json": to_json(self.summary()).encode(),
                           "report.html": render_comparison(self).encode()})
        return out

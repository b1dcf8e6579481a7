"""Acceptance figures of the field encounter: wrongful detentions by decision rule and quota pressure.

Citizens and lawful residents detained per 1,000 arrests under each decision rule and quota-pressure
response, and the arms used to compare the default with history, on the default scenario.

Usage: python scripts/field_acceptance.py [REPLICATES] [ARM ...]
Prints, per arm, the mean and 95% interval over replicates, and the paired difference from the
default arm (same seed, so arms share common random numbers).
"""

from __future__ import annotations

import sys

import numpy as np

from scrutiny import load_scenario
from scrutiny.experiments import run
from scrutiny.metrics import mean_interval

ARMS: dict[str, dict] = {
    "match_is_definitive": {},
    "documents_honoured": {"field.decision": "documents_honoured"},
    "human_review": {"field.decision": "human_review"},
    "quota_pressure_none": {"operations.quota_pressure": "none"},
    "quota_pressure_lower_threshold": {"operations.quota_pressure": "lower_threshold"},
    # for the comparison with the historical citizen share of detainees
    "named_only": {"field.scan_policy": "named_only"},
    "no_field_capture_penalty": {"field.rel_fmr_capture": [1.0, 1.0, 1.0]},
    "threshold_for_fpir_0.003": {"field.threshold": 11.82},
    "final_orders_gallery_only": {"field.searched_record_statuses": ["final_order"]},
    "race_blind_false_matches": {"field.rel_false_match_same_race": 1.0},
}
KEYS = ("citizens_detained_per_1000_arrests", "lawful_residents_detained_per_1000_arrests", "arrests", "scans",
        "false_match_share_of_detained")


def main(replicates: int, names: list[str]) -> None:
    """Run each named arm with ``replicates`` replicates and print its figures."""
    base = None
    for name in names:
        s = load_scenario(preset="us-interior", overrides=ARMS[name])
        reps = run(s, replicates=replicates).replicates
        values = {k: np.array([r.summary[k] for r in reps], dtype=float) for k in KEYS}
        fpir = reps[0].world_info["fpir_reference"]
        if base is None:
            base = values
        print(f"\n{name}  (FPIR of the reference group at the base threshold: {fpir:.4f})")
        for k in KEYS:
            m = mean_interval(values[k])
            d = mean_interval(values[k] - base[k])
            fmt = ".3f" if k.endswith("share_of_detained") else ".1f"
            print(f"  {k:45s} {m['mean']:9{fmt}}  [{m['lo']:8{fmt}}, {m['hi']:8{fmt}}]   "
                  f"paired diff {d['mean']:+8{fmt}} [{d['lo']:+8{fmt}}, {d['hi']:+8{fmt}}]")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    main(n, sys.argv[2:] or list(ARMS))

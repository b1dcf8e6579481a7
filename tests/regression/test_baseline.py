"""The summary of a small fixed scenario, key by key, against baseline.json (update_baseline.py)."""

import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _scenario import baseline_summary  # noqa: E402


def test_summary_matches_baseline():
    expected = json.loads(Path(__file__).with_name("baseline.json").read_text())
    got = baseline_summary()
    missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
    assert not missing and not extra, f"missing {missing}, extra {extra}: run tests/regression/update_baseline.py"
    changed = []
    for key, want in expected.items():
        have = got[key]
        if want is None:
            if not (isinstance(have, float) and math.isnan(have)):
                changed.append((key, want, have))
        elif not np.isclose(have, want, rtol=1e-9, atol=1e-12):
            changed.append((key, want, have))
    assert not changed, f"changed (key, baseline, now): {changed}"

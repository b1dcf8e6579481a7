"""Rewrite baseline.json. Run on purpose after a change that is meant to move results; review the diff."""

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _scenario import baseline_summary  # noqa: E402

if __name__ == "__main__":
    summary = {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in baseline_summary().items()}
    path = Path(__file__).with_name("baseline.json")
    path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(summary)} metrics to {path}")

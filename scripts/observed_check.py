"""Set a comparison's baseline beside a preset's observed figures (its calibration targets).

    python scripts/observed_check.py uk --preset uk-hostile-environment

For each target: the observed band, the baseline's mean with its 95% interval over replicates, and
whether the mean lies in the band ("reproduced") or not. A count target (k of n) is read as its rate,
the baseline as the ratio of its summed numerator and denominator means.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scrutiny.calibration import default_targets_path, load_targets


def _mean(metrics: dict, name: str, key: str = "mean") -> float:
    head, _, tail = name.partition(".")
    node = metrics[head]
    node = node[tail] if tail else node
    return float(node[key]) if node.get(key) is not None else float("nan")


def main() -> None:
    """Print each target beside the baseline."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path, help="a comparison folder (comparison.json)")
    p.add_argument("--preset", default="uk-hostile-environment")
    p.add_argument("--targets", type=Path, help="a targets file (default: the preset's packaged one)")
    args = p.parse_args()
    summary = json.loads((args.folder / "comparison.json").read_text())
    base = summary["provenance"]["baseline_arm"]
    metrics = summary["arms"][base]["metrics"]
    targets = load_targets(args.targets or default_targets_path(args.preset))
    for t in targets:
        lo, hi = t.observed_band()
        if t.metric is not None:
            value, vlo, vhi = (_mean(metrics, t.metric, k) for k in ("mean", "lo", "hi"))
        else:
            num = sum(_mean(metrics, n) for n in t.numerator)
            den = sum(_mean(metrics, n) for n in t.denominator)
            value = vlo = vhi = num / den if den else float("nan")
        verdict = "reproduced" if lo <= value <= hi else ("below" if value < lo else "above") + " the band"
        print(f"{t.name:<32} observed [{lo:.4g}, {hi:.4g}]  baseline {value:.4g} [{vlo:.4g}, {vhi:.4g}]  {verdict}")


if __name__ == "__main__":
    main()

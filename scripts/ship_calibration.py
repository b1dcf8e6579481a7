"""Ship a calibration: write a preset's packaged calibration summary and print the overrides for its TOML.

    python scripts/ship_calibration.py CALIB_DIR [--preset us-interior] [--dest PATH]

CALIB_DIR is the output folder of ``scrutiny calibrate``. The summary (default
``src/scrutiny/calibration/shipped/<preset>.json``, packaged with Scrutiny) holds the posterior
medians as dotted overrides, each parameter's 5 / 50 / 95% quantiles, every target's observed band
beside its posterior predictive, and the provenance: the targets file's SHA-256, the seed, the
Scrutiny version and the SHA-256 of calibration.json. The script then prints the medians as TOML to
paste into ``src/scrutiny/scenario/presets/<preset>.toml``, and says which targets' simulated
medians fall outside their observed bands (findings to explain, not to tune away).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import tomli_w

from scrutiny.calibration._ship import write_shipped_summary


def nested(overrides: dict) -> dict:
    """Dotted overrides as nested tables (``{"field.x": 1}`` becomes ``{"field": {"x": 1}}``)."""
    out: dict = {}
    for dotted, value in overrides.items():
        node = out
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def main() -> None:
    """Write the summary and print the overrides."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a calibration folder (scrutiny calibrate --out)")
    ap.add_argument("--preset", default="us-interior")
    ap.add_argument("--dest", type=Path, help="where to write the summary (default: the packaged location)")
    args = ap.parse_args()
    path = write_shipped_summary(args.folder, preset=args.preset, dest=args.dest)
    summary = json.loads(path.read_text())
    print(f"wrote {path}\n")
    print(f"# Posterior medians from {args.folder} (calibration.json sha256 "
          f"{summary['provenance']['calibration_sha256'][:16]}...), for presets/{args.preset}.toml:")
    print(tomli_w.dumps(nested(summary["overrides"])))
    outside = [n for n, t in summary["targets"].items() if t.get("median_inside") is False]
    print("every target's simulated median lies inside its observed band" if not outside else
          f"simulated medians outside their observed bands: {outside} (report them; do not tune them away)")


if __name__ == "__main__":
    main()

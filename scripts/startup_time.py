"""Print how long ``scrutiny --help`` takes to start, the median of several runs (issue 16: goal under 0.5 s).

Usage: python scripts/startup_time.py [RUNS]   (default 7; run it in the environment Scrutiny is installed in)

It times whole processes (``python -m scrutiny --help``), as a person typing the command waits for
them, and also the import of the package's heavy parts for comparison. It prints figures; it
asserts nothing, because timings depend on the machine and its load.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def _median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Time the command and print the medians."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    figures = {
        "python -c pass (interpreter alone)": [sys.executable, "-c", "pass"],
        "scrutiny --help": [sys.executable, "-m", "scrutiny", "--help"],
        "import scrutiny.experiments": [sys.executable, "-c", "import scrutiny.experiments"],
    }
    for label, argv in figures.items():
        print(f"{label:<40} {_median_seconds(argv, runs):6.3f} s (median of {runs})")


if __name__ == "__main__":
    main()

"""The ``scrutiny`` command: a thin shell over the public API.

Errors that Scrutiny raises on purpose (bad scenario, bad input, not enough memory) are printed as
one message without a traceback, and the command exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scrutiny.errors import ConfigError, Error

__all__ = ["main", "build_parser"]


def _parse_set(items: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise ConfigError(f"--set expects KEY=VALUE (for example field.threshold=10.0); got {item!r}.")
        key, raw = item.split("=", 1)
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        out[key.strip()] = value
    return out


def _scenario(args: argparse.Namespace):
    from scrutiny.scenario import load_scenario

    overrides = _parse_set(args.set or [])
    if args.seed is not None:
        overrides["seed"] = args.seed
    return load_scenario(args.scenario, preset=args.preset, overrides=overrides)


def _cmd_run(args: argparse.Namespace) -> int:
    from scrutiny.experiments import run

    s = _scenario(args)
    started = time.perf_counter()
    results = run(s, replicates=args.replicates, progress=not args.quiet)
    out = results.write(args.out)
    if not args.quiet:
        m = results.summary()["metrics"]
        value = m["citizens_detained_per_1000_arrests"]
        value = value["mean"] if isinstance(value, dict) else value
        print(f"{s.name}: {args.replicates} replicate(s) of {s.world.n_people:,} people x {s.n_days} days "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        print(f"citizens detained per 1,000 arrests: {value:.1f}" if value == value else
              "citizens detained per 1,000 arrests: n/a (no arrests)", file=sys.stderr)
        print(f"wrote {out / 'summary.json'}, {out / 'events.parquet'}, {out / 'report.html'}", file=sys.stderr)
    return 0


def _cmd_presets(args: argparse.Namespace) -> int:
    from scrutiny.scenario import list_presets

    print("\n".join(list_presets()))
    return 0


def _cmd_fields(args: argparse.Namespace) -> int:
    from scrutiny.report import assumptions_table
    from scrutiny.scenario import Scenario

    for row in assumptions_table(Scenario()):
        mark = " [assumption]" if row["assumption"] else ""
        print(f"{row['name']} = {row['value']} ({row['unit']}){mark}\n    {row['description']}\n    source: {row['source']}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from scrutiny.report import is_comparison, rebuild_report

    kind = "comparison" if is_comparison(args.folder) else "run"
    path = rebuild_report(args.folder, out=args.out)
    if not args.quiet:
        print(f"wrote {path} (the {kind} in {args.folder}, from its stored files)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``scrutiny`` command."""
    parser = argparse.ArgumentParser(
        prog="scrutiny",
        description="Open, reproducible impact assessment of data-driven immigration enforcement "
        "(a simulation over a synthetic population).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run a scenario and write summary.json, events.parquet and report.html")
    p.add_argument("scenario", nargs="?", type=Path, help="scenario TOML file (default: the preset alone)")
    p.add_argument("--preset", help="embedded preset to start from (default: us-interior)")
    p.add_argument("--out", type=Path, required=True, help="output folder (created if missing)")
    p.add_argument("--replicates", type=int, default=1, help="independent replicates (default 1)")
    p.add_argument("--seed", type=int, help="root seed (overrides the scenario's)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a field, e.g. field.threshold=10")
    p.add_argument("--quiet", action="store_true", help="no progress bar or messages")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("report", help="rebuild report.html of a stored run or comparison folder (no re-run)")
    p.add_argument("folder", type=Path, help="a run folder (summary.json, events.parquet, ...) or a comparison folder")
    p.add_argument("--out", type=Path, help="where to write the report (default: FOLDER/report.html)")
    p.add_argument("--quiet", action="store_true", help="no messages")
    p.set_defaults(func=_cmd_report)
    sub.add_parser("presets", help="list the embedded presets").set_defaults(func=_cmd_presets)
    sub.add_parser("fields", help="list every scenario field with its default and source").set_defaults(func=_cmd_fields)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scrutiny`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Error as exc:
        print(f"scrutiny: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("scrutiny: interrupted; files already written are intact.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

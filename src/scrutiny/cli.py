"""The ``scrutiny`` command: a thin shell over the public API.

Errors that Scrutiny raises on purpose (bad scenario, bad input, not enough memory) are printed as
one message without a traceback, and the command exits with status 2.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
import tomllib
import warnings
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from scrutiny._limits import DEFAULT_REPLICATES
from scrutiny.errors import ConfigError, Error

__all__ = ["main", "build_parser"]


def _parse_set(items: Sequence[str]) -> dict[str, Any]:
    from scrutiny._files import utf8_problem
    from scrutiny.errors import brief

    out: dict[str, Any] = {}
    for item in items:
        problem = utf8_problem(item)
        if problem:
            raise ConfigError(f"--set {brief(item)}: {problem}; write KEY=VALUE in UTF-8.")
        if "=" not in item:
            raise ConfigError(f"--set expects KEY=VALUE (for example field.threshold=10.0); got {brief(item)}.")
        key, raw = item.split("=", 1)
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except (tomllib.TOMLDecodeError, RecursionError):
            value = raw
        out[key.strip()] = value
    return out


def _check_out(out: Path) -> None:
    """Refuse an --out that cannot become a folder we can write in, before any work starts."""
    from scrutiny.errors import InputError

    shown = repr(str(out))
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {shown} is a file; name a folder (it is created if missing).")
    where = out if out.is_dir() else out.parent
    if not where.is_dir():
        what = "is a file" if where.exists() else "does not exist"
        raise InputError(f"--out {shown}: its parent folder {str(where)!r} {what}; create the parent first or "
                         "choose another place (only the last folder of --out is created).")
    try:
        fd, probe = tempfile.mkstemp(dir=where, prefix=".scrutiny-write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"--out {shown}: cannot write in {str(where)!r} ({exc.strerror or exc}); choose a folder "
                         "you can write to.") from None


def _plan_size(args: argparse.Namespace) -> tuple[int, str, str, bool] | None:
    """``(tasks, how, what to lower, events kept)`` from the raw arms, design or --n; ``None`` if unclear.

    A fast path only: it reads the files as they are, and anything it cannot size is left to the
    library, which validates everything and applies the same limit exactly.
    """
    from scrutiny.scenario._load import read_toml

    if args.command in ("compare", "demo"):
        folder = Path(str(resources.files("scrutiny"))) / "experiments" / "arms"
        preset = getattr(args, "preset", None) or "us-interior"
        path = getattr(args, "arms", None) or (folder / f"{preset}.toml" if (folder / f"{preset}.toml").is_file()
                                               else folder / "default.toml")
        arms = read_toml(path, what="Arms").get("arms")
        if not isinstance(arms, dict):
            return None
        n_arms = len(arms) + ("baseline" not in arms)
        replicates = args.replicates or DEFAULT_REPLICATES
        return (n_arms * replicates, f"{n_arms} arms x {replicates:,} replicates",
                "the replicates or the number of arms", True)
    if args.command == "sweep":
        design = read_toml(args.design, what="Design")
        fields, samples = design.get("fields"), design.get("samples")
        replicates = args.replicates or design.get("replicates") or DEFAULT_REPLICATES
        if not isinstance(fields, dict) or not isinstance(replicates, int):
            return None
        if design.get("method") == "lhs":
            levels = [samples] if isinstance(samples, int) else []
        else:
            levels = [len(v) if isinstance(v, list) else v.get("n") if isinstance(v, dict) else None
                      for v in fields.values()]
        if not levels or not all(isinstance(k, int) and not isinstance(k, bool) and k > 0 for k in levels):
            return None
        points = math.prod(levels)
        return (points * replicates, f"{args.design}: {points:,} points x {replicates:,} replicates",
                "the design's levels or samples, or the replicates", False)
    if args.command == "sensitivity":
        n = args.n or (64 if args.method == "sobol" else 10)
        d = len(args.params) if args.params else 4  # experiments.DEFAULT_PARAMS: four fields
        per = d + (2 if args.method == "sobol" else 1)
        replicates = args.replicates or DEFAULT_REPLICATES
        return (n * per * replicates, f"{args.method} n = {n:,} x {per} samples x {replicates:,} replicates",
                "--n or the replicates", False)
    return None


def _early_plan_check(args: argparse.Namespace, scenario) -> None:
    """Refuse a plan over the task limit before the model is imported (that takes about a second)."""
    from scrutiny._limits import refuse_plan

    size = _plan_size(args) if scenario.world.geography == "synthetic" else None
    if size is not None:
        tasks, what, fix, events = size
        refuse_plan(tasks, people=scenario.world.n_people, n_days=scenario.n_days,
                    sites_per_day_per_100k=scenario.operations.sites_per_day_per_100k, what=what, fix=fix,
                    events=events)


def _scenario(args: argparse.Namespace):
    from scrutiny.scenario import load_scenario

    overrides = _parse_set(args.set or [])
    if args.seed is not None:
        overrides["seed"] = args.seed
    return load_scenario(args.scenario, preset=args.preset, overrides=overrides)


#: Replicates when --replicates is not given: the API's default, scrutiny.experiments.DEFAULT_REPLICATES (the
#: commands pass nothing, so the API decides; tests/unit/test_cli.py checks this help text matches it).
_REPLICATES_HELP = "(default 10, as for every command)"


def _replicates(args: argparse.Namespace) -> dict[str, int]:
    """``{"replicates": n}`` when --replicates was given, else nothing (the API's default applies)."""
    return {} if args.replicates is None else {"replicates": args.replicates}


def _cmd_run(args: argparse.Namespace) -> int:
    from scrutiny.experiments import run

    s = _scenario(args)
    _check_out(args.out)
    started = time.perf_counter()
    results = run(s, **_replicates(args), progress=not args.quiet, draws=_posterior_draws(args, s))
    out = results.write(args.out)
    if not args.quiet:
        m = results.summary()["metrics"]
        value = m["citizens_detained_per_1000_arrests"]
        value = value["mean"] if isinstance(value, dict) else value
        print(f"{s.name}{_on(s)}: {len(results.replicates)} replicate(s) of {results.n_people:,} people x "
              f"{s.n_days} days in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        print(f"citizens detained per 1,000 arrests: {value:.1f}" if value == value else
              "citizens detained per 1,000 arrests: n/a (no arrests)", file=sys.stderr)
        print(f"wrote {out / 'summary.json'}, {out / 'events.parquet'}, {out / 'report.html'}", file=sys.stderr)
    return 0


def _on(s) -> str:
    """`` on <geography>`` for a scenario on imported geography (the preset's name does not say it), else empty."""
    return "" if s.world.geography == "synthetic" else f" on {Path(str(s.world.geography)).name}"


#: Metrics printed by ``compare`` and ``demo`` (the files hold every metric).
_PRINTED = (
    "citizens_detained_per_1000_arrests", "lawful_residents_detained_per_1000_arrests", "arrests",
    "false_match_share_of_detained", "scans_of_non_targets", "wrongful_detention_days",
)
#: Printed as well when the scenario checks status at service points (the metrics of that family).
_PRINTED_SERVICES = (
    "lawful_refused_service_total", "status_check_failures_lawful", "digital_only_refused_share", "wrongful_charges",
    "care_episodes_avoided", "school_days_avoided", "records_shared_per_enforcement_outcome",
)
#: Printed too when the baseline has them (a border-zone run).
_PRINTED_BORDER = (
    "citizens_stopped_per_apprehension", "citizens_scanned_per_apprehension", "plate_reads_per_apprehension",
    "corridor_plate_reads_retained", "traveller_false_match_rate", "traveller_records_retained",
    "apprehensions_per_checkpoint_year", "seizure_citizen_only_share",
)


def _compare_and_write(args: argparse.Namespace, scenario, arms) -> int:
    _check_out(args.out)
    _early_plan_check(args, scenario)
    from scrutiny.experiments import compare
    from scrutiny.experiments._compare import headline_table

    started = time.perf_counter()
    c = compare(scenario, arms, **_replicates(args), workers=args.workers, scheduler=args.scheduler,
                progress=not args.quiet, out=args.out, draws=_posterior_draws(args, scenario))
    out = args.out
    if not args.quiet:
        n = len(c.results[c.baseline_arm].replicates)
        print(f"{scenario.name}{_on(scenario)}: {len(c.arms)} arms x {n} replicate(s) of "
              f"{c.results[c.baseline_arm].n_people:,} "
              f"people x {scenario.n_days} days in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        from scrutiny.metrics import border_note

        summary = c.summary()
        base = summary["arms"][summary["provenance"]["baseline_arm"]]["metrics"]
        services = "status_checks" in base
        print(headline_table(summary, [*_PRINTED, *(m for m in _PRINTED_BORDER if m in base),
                                       *(_PRINTED_SERVICES if services else ())]), file=sys.stderr)
        note = border_note(summary)
        if note:
            print(note, file=sys.stderr)
        print(f"wrote {out / 'report.html'}, {out / 'comparison.json'}, {out / 'arms'}/, "
              f"store {out / 'results.duckdb'}", file=sys.stderr)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    return _compare_and_write(args, _scenario(args), args.arms)


def _cmd_demo(args: argparse.Namespace) -> int:
    from scrutiny.scenario import load_scenario

    overrides = {} if args.seed is None else {"seed": args.seed}
    scenario = load_scenario(preset=args.preset, overrides=overrides)
    if not args.no_screen:
        _check_out(args.out)
        _early_plan_check(args, scenario)
        _screen(args, scenario)
    return _compare_and_write(args, scenario, None)


def _screen(args: argparse.Namespace, scenario) -> None:
    """The demo's one-at-a-time screen of the preset's documented unknowns, into OUT/screen/ (its report reads it)."""
    from scrutiny.calibration import default_targets_path, load_targets
    from scrutiny.experiments import screen
    from scrutiny.experiments._screen import SCREEN_REPLICATES
    from scrutiny.experiments._sensitivity import DEFAULT_PARAMS

    try:  # the unknowns the preset's calibration fits; else the sensitivity analysis's defaults
        params = list(load_targets(default_targets_path(args.preset)).parameters) or list(DEFAULT_PARAMS)
    except ConfigError:
        params = list(DEFAULT_PARAMS)
    started = time.perf_counter()
    replicates = min(SCREEN_REPLICATES, args.replicates or SCREEN_REPLICATES)
    result = screen(scenario, params, replicates=replicates, out=args.out / "screen", workers=args.workers,
                    scheduler=args.scheduler, progress=not args.quiet)
    if not args.quiet:
        print(f"screen: {len(result.dims)} unknowns x 2 ends x {result.replicates} replicates "
              f"in {time.perf_counter() - started:.1f} s; wrote {args.out / 'screen' / 'screen.json'}",
              file=sys.stderr)


def _cmd_sweep(args: argparse.Namespace) -> int:
    s = _scenario(args)
    _check_out(args.out)
    _early_plan_check(args, s)
    from scrutiny.experiments import sweep

    started = time.perf_counter()
    result = sweep(s, args.design, **_replicates(args), out=args.out, workers=args.workers,
                   scheduler=args.scheduler, progress=not args.quiet, events=args.events,
                   draws=_posterior_draws(args, s))
    if not args.quiet:
        print(f"{len(result.points)} point(s) x {result.replicates} replicate(s) "
              f"in {time.perf_counter() - started:.1f} s; "
              f"wrote {args.out / 'report.html'}, {args.out / 'points.csv'}, {args.out / 'sweep.json'}, "
              f"store {args.out / 'results.duckdb'}",
              file=sys.stderr)
    return 0


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    s = _scenario(args)
    _check_out(args.out)
    _early_plan_check(args, s)
    from scrutiny.experiments import sensitivity

    result = sensitivity(s, args.params, method=args.method, n=args.n, **_replicates(args),
                         metrics=args.metrics, out=args.out, workers=args.workers, scheduler=args.scheduler,
                         progress=not args.quiet)
    if not args.quiet:
        key = "ST" if args.method == "sobol" else "mu_star"
        for metric, idx in result.indices.items():
            print(f"{metric} ({len(result.values)} evaluations), ranked by {key}:", file=sys.stderr)
            if isinstance(idx, str):
                print(f"  {idx}", file=sys.stderr)
                continue
            for p in result.ranking(metric):
                v = idx[p]
                extra = f"  S1 {v['S1']:.3f} [{v['S1_lo']:.3f}, {v['S1_hi']:.3f}]" if args.method == "sobol" else ""
                interval = f"[{v[key + '_lo']:.3g}, {v[key + '_hi']:.3g}]"
                print(f"  {p:<42} {key} {v[key]:.3g} {interval}{extra}", file=sys.stderr)
        print(f"wrote {args.out / 'sensitivity.json'}, {args.out / 'indices.csv'}, {args.out / 'samples.csv'}",
              file=sys.stderr)
    return 0


def _posterior_draws(args: argparse.Namespace, scenario):
    """``--posterior DIR``: replicate r of every arm or point runs with posterior draw r (None without it)."""
    if getattr(args, "posterior", None) is None:
        return None
    from scrutiny.calibration import load_posterior

    posterior = load_posterior(args.posterior)
    if not args.quiet:
        print(f"intervals show chance and posterior uncertainty: replicate r runs posterior draw r of "
              f"{', '.join(posterior.names)} from {args.posterior}", file=sys.stderr)
    return posterior.draws(scenario.seed)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from scrutiny.calibration import calibrate, default_targets_path

    s = _scenario(args)
    targets = args.targets or default_targets_path(args.preset or "us-interior")
    log = None if args.quiet else (lambda line: print(line, file=sys.stderr))
    started = time.perf_counter()
    c = calibrate(s, targets, args.params, out=args.out, workers=args.workers, scheduler=args.scheduler,
                  progress=not args.quiet, log=log, method=args.method, n_particles=args.particles,
                  max_generations=args.generations, quantile=args.quantile, min_epsilon=args.min_epsilon,
                  min_acceptance=args.min_acceptance, max_simulations=args.max_simulations,
                  replicates=args.replicates, n_predictive=args.predictive)
    if not args.quiet:
        print(f"{s.name}: {c.run.n_simulations:,} simulations of {s.world.n_people:,} people x {s.n_days} days, "
              f"{len(c.run.generations)} generation(s), ESS {c.final.ess:.0f}, "
              f"in {time.perf_counter() - started:.1f} s ({c.run.stop_reason})", file=sys.stderr)
        for name, q in c.posterior().items():
            print(f"  {name:<42} median {q['q50']:.4g}  90% [{q['q05']:.4g}, {q['q95']:.4g}]", file=sys.stderr)
        for name, t in c.target_summary().items():
            pred = t.get("predictive")
            sim = f"simulated {pred['q50']:.4g} [{pred['q05']:.4g}, {pred['q95']:.4g}]" if pred else "not simulated"
            obs = t["observed"]
            print(f"  {name:<42} observed [{obs['lo']:.4g}, {obs['hi']:.4g}]  {sim}", file=sys.stderr)
        print(f"wrote {args.out / 'calibration.json'}, {args.out / 'particles.parquet'}, {args.out / 'report.html'}",
              file=sys.stderr)
    return 0


def _add_calibrate(sub) -> None:
    p = sub.add_parser("calibrate", help="fit unknowns to observed outcomes (ABC-SMC) and write the posterior")
    _scenario_args(p)
    p.add_argument("--targets", type=Path, help="targets TOML file (default: the preset's packaged targets)")
    p.add_argument("--params", nargs="+", metavar="FIELD[=LO:HI[:log|lin]]",
                   help="unknowns and their prior ranges (default: the targets file's parameters); a bare name uses "
                   "the field's documented range, log-uniform when it spans two decades or more")
    p.add_argument("--method", choices=("smc", "rejection"), default="smc", help="ABC-SMC (default) or rejection ABC")
    p.add_argument("--particles", type=_positive, default=300, help="particles per generation (default 300)")
    p.add_argument("--generations", type=_positive, default=8, help="at most this many generations (default 8)")
    p.add_argument("--quantile", type=float, default=0.5,
                   help="next tolerance: this weighted quantile of the last generation's distances (default 0.5)")
    p.add_argument("--min-epsilon", type=float, default=0.0, help="stop once the tolerance reaches this (default 0)")
    p.add_argument("--min-acceptance", type=float, default=0.01,
                   help="stop once a generation's acceptance rate falls below this (default 0.01)")
    p.add_argument("--max-simulations", type=_positive, help="stop before simulating more than this in all")
    p.add_argument("--replicates", type=_positive, default=1, help="replicates per particle, counts summed (default 1)")
    p.add_argument("--predictive", type=int, default=100,
                   help="posterior predictive simulations (default 100; 0 reuses the last generation's)")
    p.add_argument("--out", type=Path, required=True,
                   help="output folder and results store: calibration.json, particles.parquet, report.html (a rerun "
                   "resumes)")
    _exec_args(p)
    p.set_defaults(func=_cmd_calibrate)


def _cmd_presets(args: argparse.Namespace) -> int:
    import textwrap

    from scrutiny.scenario import list_presets, load_scenario

    for name in list_presets():
        print(name)
        print(textwrap.fill(load_scenario(preset=name).description, width=100, initial_indent="    ",
                            subsequent_indent="    "))
    return 0


def _cmd_fields(args: argparse.Namespace) -> int:
    from scrutiny.report import assumptions_table
    from scrutiny.scenario import Scenario, iter_fields
    from scrutiny.scenario._fields import allowed_range

    allowed = {name: allowed_range(info) for name, info in iter_fields()}
    for row in assumptions_table(Scenario()):
        mark = " [assumption]" if row["assumption"] else ""
        bounds = f"\n    allowed: {allowed[row['name']]}" if allowed.get(row["name"]) else ""
        print(f"{row['name']} = {row['value']} ({row['unit']}){mark}\n    {row['description']}{bounds}\n"
              f"    source: {row['source']}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from scrutiny.report import is_comparison, rebuild_report

    kind = "comparison" if is_comparison(args.folder) else "run"
    path = rebuild_report(args.folder, out=args.out)
    if not args.quiet:
        print(f"wrote {path} (the {kind} in {args.folder}, from its stored files)", file=sys.stderr)
    return 0


def _scenario_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", nargs="?", type=Path, help="scenario TOML file (default: the preset alone)")
    p.add_argument("--preset", help="embedded preset to start from (default: us-interior)")
    p.add_argument("--seed", type=int, help="root seed (overrides the scenario's)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a field, e.g. field.threshold=10")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer; got {text!r}")
    return value


def _exec_args(p: argparse.ArgumentParser, workers: int = 1) -> None:
    p.add_argument("--workers", type=_positive, default=workers,
                   help=f"local worker processes (default {workers}); results do not depend on it")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask distributed cluster at ADDRESS (e.g. tcp://host:8786) instead of locally")
    p.add_argument("--quiet", action="store_true", help="no progress bar or messages")
    p.add_argument("--max-tasks", type=_positive, metavar="N",
                   help="refuse plans of more than N tasks (default 100,000, or $SCRUTINY_MAX_TASKS); one task is "
                   "one replicate of one arm or design point")


def _posterior_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--posterior", type=Path, metavar="DIR",
                   help="a calibration folder: replicate r of every arm or point runs with posterior draw r, so "
                   "intervals show chance and posterior uncertainty")


def _add_experiments(sub) -> None:
    p = sub.add_parser("compare", help="compare safeguard arms with the baseline on common random numbers")
    _scenario_args(p)
    p.add_argument("--arms", type=Path, help="arms TOML file (default: the packaged default safeguards)")
    p.add_argument("--replicates", type=_positive, help=f"replicates per arm {_REPLICATES_HELP}")
    p.add_argument("--out", type=Path, required=True, help="output folder: report, comparison.json, arms/, store")
    _posterior_arg(p)
    _exec_args(p)
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("demo", help="a preset against its packaged safeguards, with the comparison report")
    p.add_argument("--preset", default="us-interior", help="the preset (default us-interior; see `scrutiny presets`)")
    p.add_argument("--seed", type=int, help="root seed (default: the preset's)")
    p.add_argument("--out", type=Path, default=Path("scrutiny-demo"), help="output folder (default scrutiny-demo)")
    p.add_argument("--replicates", type=_positive, help=f"replicates per arm {_REPLICATES_HELP}")
    p.add_argument("--no-screen", action="store_true",
                   help="skip the quick one-at-a-time screen of the documented unknowns (2 replicates each) that the "
                   "report's 'How far to trust this' reads")
    _exec_args(p, workers=max(1, min(4, os.cpu_count() or 1)))
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("sweep", help="run a grid or Latin hypercube design over scenario fields")
    _scenario_args(p)
    p.add_argument("--design", type=Path, required=True, help="design TOML file (method, replicates, [fields])")
    p.add_argument("--out", type=Path, required=True, help="output folder and results store (a rerun resumes)")
    p.add_argument("--replicates", type=_positive,
                   help="replicates per point: overrides the design's; with neither, default 10, as for every command")
    p.add_argument("--events", action="store_true", help="keep every task's event log in its Parquet part")
    _posterior_arg(p)
    _exec_args(p)
    p.set_defaults(func=_cmd_sweep)

    p = sub.add_parser("sensitivity", help="Sobol or Morris global sensitivity of metrics to uncertain fields")
    _scenario_args(p)
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol", help="default sobol")
    p.add_argument("--params", nargs="+", metavar="FIELD[=LO:HI[:log]]",
                   help="fields to vary (default: field.threshold field.rel_gallery_size "
                   "sources.admin.p_address_current operations.rel_local_intensity); a bare name uses the field's "
                   "documented plausible range")
    p.add_argument("--n", type=_positive, help="Sobol base sample, a power of 2 (default 64); Morris trajectories (10)")
    p.add_argument("--replicates", type=_positive, help=f"replicates averaged per sample {_REPLICATES_HELP}")
    p.add_argument("--metrics", nargs="+", help="metrics to analyse (default: citizens and lawful residents "
                   "detained per 1,000 arrests, arrests)")
    p.add_argument("--out", type=Path, required=True, help="output folder and results store (a rerun resumes)")
    _exec_args(p)
    p.set_defaults(func=_cmd_sensitivity)


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
    p.add_argument("--replicates", type=int, help=f"independent replicates {_REPLICATES_HELP}")
    p.add_argument("--seed", type=int, help="root seed (overrides the scenario's)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a field, e.g. field.threshold=10")
    p.add_argument("--quiet", action="store_true", help="no progress bar or messages")
    _posterior_arg(p)
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("report", help="rebuild report.html of a stored run or comparison folder (no re-run)")
    p.add_argument("folder", type=Path, help="a run folder (summary.json, events.parquet, ...) or a comparison folder")
    p.add_argument("--out", type=Path, help="where to write the report (default: FOLDER/report.html)")
    p.add_argument("--quiet", action="store_true", help="no messages")
    p.set_defaults(func=_cmd_report)


    _add_experiments(sub)
    _add_calibrate(sub)
    sub.add_parser("presets", help="list the embedded presets").set_defaults(func=_cmd_presets)
    fields = sub.add_parser("fields", help="list every scenario field with its default and source")
    fields.set_defaults(func=_cmd_fields)
    return parser


def _call(args: argparse.Namespace) -> int:
    """Run the command, under the plan limit --max-tasks gives (if the command has it)."""
    if getattr(args, "max_tasks", None) is None:
        return args.func(args)
    from scrutiny._limits import task_limit

    with task_limit(args.max_tasks):
        return args.func(args)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Print Scrutiny's own warnings (a damaged part recomputed, a value that looks like a mistake) as one line."""
    from scrutiny.errors import RecoveryWarning, ScenarioWarning

    if issubclass(category, (RecoveryWarning, ScenarioWarning)):
        print(f"scrutiny: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scrutiny`` command; returns the exit status.

    An error Scrutiny raises on purpose, or a file the system refuses to read or write, prints one
    line ``scrutiny: error: ...`` and returns 2. Output cut short by its reader (``scrutiny fields |
    head -1``) returns 2 without a message: the reader has all it wanted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            status = int(_call(args))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except Error as exc:
        print(f"scrutiny: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader closed the pipe: send what is left in the buffer nowhere, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    except OSError as exc:  # a file or folder the system refused (permissions, disk full, ...)
        where = f" ({exc.filename!s})" if exc.filename and str(exc.filename) not in str(exc) else ""
        print(f"scrutiny: error: {exc}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("scrutiny: interrupted; files already written are intact.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Render the report of a run or a comparison to one self-contained HTML file.

``rebuild_report`` rebuilds it from a stored folder (``scrutiny report DIR``), and
:func:`report` (``scrutiny.report``) writes it for results in memory or a stored folder alike.

Jinja2 autoescaping is on for every template, so text that comes from a scenario (its name, arm
names, descriptions, overrides) is shown as text and never runs as markup.
"""

from __future__ import annotations

import datetime as _dt
import shlex
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from scrutiny._io import write_atomic
from scrutiny.errors import ConfigError
from scrutiny.report._assumptions import split_assumptions
from scrutiny.report._compare_view import (
    arm_concentration,
    arm_maps,
    arm_rows,
    metric_matrix,
    safeguards,
)
from scrutiny.report._data import ComparisonData, RunData, comparison_data, run_data
from scrutiny.report._format import fmt
from scrutiny.report._load import load_folder
from scrutiny.report._run_view import (
    concentration_figures,
    daily_figures,
    data_collected,
    disparity_figures,
    funnel_figure,
    headline_cards,
    map_figures,
    metrics_table,
    place_type_figure,
)
from scrutiny.scenario import dump_toml

__all__ = ["render_run", "render_comparison", "rebuild_report", "report"]


def _env() -> Environment:
    env = Environment(loader=PackageLoader("scrutiny", "report/templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    return env


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _run_sections(data: RunData, prefix: str = "") -> dict[str, Any]:
    """Every section of one run's report (also the baseline sections of a comparison)."""
    conc, conc_notes = concentration_figures(data, uid=f"{prefix}conc")
    records, record_notes, record_extra = data_collected(data.metrics, uid=f"{prefix}records")
    daily, daily_notes = daily_figures(data, uid=f"{prefix}daily")
    disparity, disparity_notes = disparity_figures(data, uid=f"{prefix}disparity")
    return {
        "headlines": headline_cards(data.metrics, n_days=data.scenario.n_days, n_replicates=data.n_replicates,
                                    country={"us": "US", "uk": "British"}.get(data.scenario.jurisdiction.name, "")),
        "funnel": funnel_figure(data, uid=f"{prefix}funnel"),
        "maps": map_figures(data, uid=f"{prefix}map"),
        "concentration": conc,
        "placetypes": place_type_figure(data.metrics, uid=f"{prefix}placetypes"),
        "disparity": disparity,
        "records": records, "record_extra": record_extra,
        "daily": daily,
        "notes": {"where": conc_notes, "records": record_notes, "daily": daily_notes, "who": disparity_notes},
        "metrics": metrics_table(data.metrics),
        "world": data.world_info,
        "geo_imported": data.geometry is not None,
        "n_days": data.scenario.n_days,
    }


def _posterior_flag(prov: dict) -> str:
    """`` --posterior DIR`` when the results ran under a calibration's posterior draws."""
    folder = (prov.get("draws") or {}).get("posterior")
    return f" --posterior {shlex.quote(str(folder))}" if folder else ""


def _run_command(data: RunData) -> str:
    reps = data.n_replicates
    return f"scrutiny run scenario.toml --replicates {reps} --out reproduced{_posterior_flag(data.provenance)}"


def render_run(results: Any, *, command: str | None = None, generated: str | None = None,
               sensitivity: dict | None = None) -> str:
    """Render the HTML report of a run.

    Args:
        results: A :class:`~scrutiny.experiments.Results`, or a stored run loaded by
            :func:`scrutiny.report.load_run`.
        command: The command that reproduces the run (default: ``scrutiny run scenario.toml ...``).
        generated: Timestamp text (default: now, UTC).
        sensitivity: Sensitivity indices (``{"method", "metric", "indices": {param: {"ST"|"mu_star": ...}}}``)
            used to mark decisive parameters in the assumptions table.

    Returns:
        The HTML text (one self-contained file).
    """
    data = run_data(results, sensitivity=sensitivity)
    name = data.scenario.name
    ctx = _run_sections(data)
    ctx.update(
        kind="run", title=f"Scrutiny report: {name}", scenario_name=name, prov=data.provenance,
        replicates=data.n_replicates, generated=generated or _now(), written=data.written,
        assumptions=split_assumptions(data.scenario, data.sensitivity), command=command or _run_command(data),
        toml=dump_toml(data.scenario), sensitivity=data.sensitivity,
    )
    return _env().get_template("run.html.j2").render(**ctx)


def _comparison_command(cmp: ComparisonData) -> list[str]:
    prov = cmp.provenance
    if prov.get("command"):
        return [str(prov["command"])]
    reps = prov.get("replicates") or cmp.arms[cmp.baseline].n_replicates
    return [f"scrutiny run {shlex.quote(f'arms/{n}/scenario.toml')} --replicates {reps} "
            f"--out {shlex.quote(f'reproduced/{n}')}{_posterior_flag(prov)}" for n in cmp.names]


def render_comparison(comparison: Any, *, generated: str | None = None, sensitivity: dict | None = None) -> str:
    """Render the HTML report of a comparison of safeguard arms.

    Args:
        comparison: An object with ``.summary()`` (the comparison contract: provenance, arms,
            differences) and ``.results`` (``{arm: Results}``), or a stored comparison loaded by
            :func:`scrutiny.report.load_comparison`.
        generated: Timestamp text (default: now, UTC).
        sensitivity: Sensitivity indices, as for :func:`render_run`.

    Returns:
        The HTML text (one self-contained file).
    """
    cmp = comparison_data(comparison, sensitivity=sensitivity)
    base = cmp.arms[cmp.baseline]
    ctx = _run_sections(base, prefix="base-")
    name = base.scenario.name
    ctx.update(
        kind="comparison", title=f"Scrutiny comparison: {name}", scenario_name=name,
        prov={**base.provenance, **cmp.provenance}, replicates=base.n_replicates, generated=generated or _now(),
        written=base.written, baseline=cmp.baseline, arms=arm_rows(cmp), safeguards=safeguards(cmp),
        matrix=metric_matrix(cmp), arm_maps=arm_maps(cmp), arm_concentration=arm_concentration(cmp),
        assumptions=split_assumptions(base.scenario, cmp.sensitivity or base.sensitivity),
        commands=_comparison_command(cmp), toml=dump_toml(base.scenario),
        sensitivity=cmp.sensitivity or base.sensitivity,
        arm_funnels=[(n, funnel_figure(cmp.arms[n], uid=f"armfunnel-{i}")) for i, n in enumerate(cmp.names)],
    )
    return _env().get_template("comparison.html.j2").render(**ctx)


def rebuild_report(folder: str | Path, *, out: str | Path | None = None) -> Path:
    """Rebuild ``report.html`` of a stored run or comparison folder without re-running anything.

    The new report replaces the old one atomically (written to a temporary file, then renamed).

    Args:
        folder: A run folder (``summary.json``, ``events.parquet``...) or a comparison folder
            (``comparison.json`` and ``arms/<name>/``).
        out: Where to write the report (default: ``folder/report.html``).

    Returns:
        The path of the report.

    Raises:
        InputError: If the folder is not a run or comparison folder (the message names the missing file).
    """
    data = load_folder(folder)
    html = render_comparison(data) if isinstance(data, ComparisonData) else render_run(data)
    target = Path(out) if out is not None else Path(folder) / "report.html"
    write_atomic(target.parent, {target.name: html.encode("utf-8")})
    return target


def _target(path: str | Path) -> Path:
    """The report's file: ``path`` itself when it names an HTML file, else ``path/report.html``."""
    path = Path(path)
    return path if path.suffix.lower() in (".html", ".htm") else path / "report.html"


def report(source: Any, path: str | Path | None = None) -> Path:
    """Write the HTML report of a run, a comparison, or a folder either of them wrote.

    Nothing is re-run: the report is rendered from the results (or the folder's files).

    Args:
        source: What :func:`scrutiny.run` returns (``Results``), what :func:`scrutiny.compare`
            returns (``Comparison``), a loaded :class:`RunData` or :class:`ComparisonData`, or the
            path of a run or comparison folder.
        path: An ``.html`` file, or a folder (the report is ``report.html`` inside it). Default, for
            a folder: that folder's ``report.html``; results in memory need a path.

    Returns:
        The path of the report.

    Raises:
        ConfigError: If ``source`` is none of these, or results in memory come without a path.
        InputError: If a folder is not a complete run or comparison folder.

    Examples:
        >>> import scrutiny, tempfile
        >>> r = scrutiny.run(scrutiny.load_scenario(overrides={"world.n_people": 3000, "n_days": 3}), replicates=1)
        >>> scrutiny.report(r, tempfile.mkdtemp()).name
        'report.html'
    """
    if isinstance(source, (str, Path)):
        return rebuild_report(source, out=None if path is None else _target(path))
    if isinstance(source, ComparisonData) or hasattr(source, "results"):
        html = render_comparison(source)
    elif isinstance(source, RunData) or hasattr(source, "replicates"):
        html = render_run(source)
    else:
        raise ConfigError(f"report() takes a run's Results, a Comparison, or the path of a folder one of them wrote; "
                          f"got {type(source).__name__}.")
    if path is None:
        raise ConfigError("report() of results in memory needs a path: a folder, or a file ending in .html.")
    target = _target(path)
    write_atomic(target.parent, {target.name: html.encode("utf-8")})
    return target

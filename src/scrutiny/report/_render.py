"""Render the report of a run or a comparison to one self-contained HTML file.

``rebuild_report`` rebuilds it from a stored folder (``scrutiny report DIR``), and
:func:`report` (``scrutiny.report``) writes it for results in memory or a stored folder alike.

Jinja2 autoescaping is on for every template, so text that comes from a scenario (its name, arm
names, descriptions, overrides) is shown as text and never runs as markup.
"""

from __future__ import annotations

import datetime as _dt
import re
import shlex
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from scrutiny._io import write_atomic
from scrutiny.errors import ConfigError
from scrutiny.report._assumptions import split_assumptions
from scrutiny.report._brief import citizens_of, observed_sentence, replicate_warning, run_brief
from scrutiny.report._compare_view import (
    arm_concentration,
    arm_maps,
    arm_rows,
    arm_style,
    metric_matrix,
    safeguards,
)
from scrutiny.report._data import ComparisonData, RunData, comparison_data, run_data
from scrutiny.report._dissent_view import dissent_section
from scrutiny.report._docs import DOCUMENTS, PACKAGE_PATH, PROJECT_PATH, cite, document, markdown
from scrutiny.report._format import fmt
from scrutiny.report._geo import geography
from scrutiny.report._load import load_folder
from scrutiny.report._run_view import (
    HEADLINES,
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
from scrutiny.report._sweep_view import sweep_sections
from scrutiny.report._trust import trust_section
from scrutiny.scenario import dump_toml

__all__ = ["render_run", "render_comparison", "render_sweep", "rebuild_report", "report"]


def _env() -> Environment:
    env = Environment(loader=PackageLoader("scrutiny", "report/templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    env.filters["cite"] = cite
    env.filters["toc"] = contents
    return env


_SECTION = re.compile(r'<section id="([^"]+)"([^>]*)>\s*<h2[^>]*>(.*?)</h2>', re.S)


def contents(html: str) -> list[tuple[str, str]]:
    """The report's contents list: ``(id, label)`` of every ``<section>`` that opens with an ``<h2>``, in order.

    The label is the section's ``data-toc`` (a short title), else its heading's text, so a section a
    partial adds appears in the list without touching the page's header.

    Examples:
        >>> contents('<section id="a" data-toc="A"><h2>Long A</h2></section><section id="b"><h2>B <em>x</em></h2>')
        [('a', 'A'), ('b', 'B x')]
    """
    out = []
    for sid, attrs, heading in _SECTION.findall(str(html)):
        short = re.search(r'data-toc="([^"]*)"', attrs)
        label = Markup(short.group(1)).unescape() if short else Markup(heading).striptags()
        out.append((sid, label))
    return out


def _documents() -> list[dict[str, Any]]:
    """The documents the report carries at its end (see :mod:`scrutiny.report._docs`)."""
    return [{"name": name, "anchor": anchor, "title": title, "html": markdown(document(name), anchor=anchor, level=4),
             "project": PROJECT_PATH.format(name=name), "package": PACKAGE_PATH.format(name=name)}
            for name, anchor, title in DOCUMENTS]


def _on(geo: dict | None) -> str:
    """The title's `` on <geography>`` for a run on imported geography (the preset's name does not say where)."""
    return "" if geo is None else f" on {geo['name']}"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _run_sections(data: RunData, prefix: str = "", *, sensitivity: dict | None = None,
                  screen: dict | None = None) -> dict[str, Any]:
    """Every section of one run's report (also the baseline sections of a comparison)."""
    trust = trust_section(data, tuple(k for k, _ in HEADLINES), sensitivity=sensitivity, screen=screen)
    conc, conc_notes = concentration_figures(data, uid=f"{prefix}conc")
    records, record_notes, record_extra = data_collected(data.metrics, uid=f"{prefix}records")
    daily, daily_notes = daily_figures(data, uid=f"{prefix}daily")
    disparity, disparity_notes = disparity_figures(data, uid=f"{prefix}disparity")
    return {
        "headlines": headline_cards(data.metrics, n_days=data.scenario.n_days, n_replicates=data.n_replicates,
                                    country=citizens_of(data.scenario)),
        "funnel": funnel_figure(data, uid=f"{prefix}funnel"),
        "maps": map_figures(data, uid=f"{prefix}map"),
        "concentration": conc,
        "placetypes": place_type_figure(data.metrics, uid=f"{prefix}placetypes"),
        "disparity": disparity,
        "records": records, "record_extra": record_extra,
        "daily": daily,
        "dissent": dissent_section(data, uid=f"{prefix}dissent"),
        "notes": {"where": conc_notes, "records": record_notes, "daily": daily_notes, "who": disparity_notes},
        "metrics": metrics_table(data.metrics),
        "world": data.world_info,
        "geo_imported": data.geometry is not None,
        "geo": geography(data.scenario),
        "geography": _geography(data),
        "n_days": data.scenario.n_days,
        "trust": trust,
        "warning": replicate_warning(data.n_replicates),
        "documents": _documents(),
        "explanations": [],
    }


def _geography(data: RunData) -> dict[str, Any]:
    """The geography a run lives on: imported or not, its name, and the ACS assumptions an import makes."""
    from scrutiny.world import ACS_ASSUMPTIONS, geography_label

    w = data.scenario.world
    imported = w.geography != "synthetic"
    return {"imported": imported, "label": geography_label(w.geography),
            "assumptions": [a.format(segregation=w.segregation) for a in ACS_ASSUMPTIONS] if imported else []}


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
    ctx["brief"] = run_brief(data, ctx["trust"]["observed"])
    ctx.update(
        kind="run", title=f"Scrutiny report: {name}{_on(ctx['geo'])}", scenario_name=name, prov=data.provenance,
        replicates=data.n_replicates, generated=generated or _now(), written=data.written,
        assumptions=split_assumptions(data.scenario, data.sensitivity), command=command or _run_command(data),
        toml=dump_toml(data.scenario), sensitivity=data.sensitivity,
    )
    return _env().get_template("run.html.j2").render(**ctx)


def render_sweep(sweep: Any, *, generated: str | None = None) -> str:
    """Render the HTML report of a :class:`~scrutiny.experiments.Sweep`: its trade-off curve and its points.

    Args:
        sweep: The sweep (its scenario, design points and per-point replicate summaries).
        generated: Timestamp text (default: now, UTC).

    Returns:
        The HTML text (one self-contained file).
    """
    s = sweep.scenario
    geo = geography(s)
    sections = sweep_sections(sweep)
    return _env().get_template("sweep.html.j2").render(
        kind="sweep", title=f"Scrutiny sweep: {s.name}{_on(geo)}", scenario_name=s.name,
        prov=sweep.summary()["provenance"], replicates=sweep.replicates, generated=generated or _now(), written=None,
        n_days=s.n_days, world={} if geo else {"n_people": s.world.n_people}, geo=geo, sweep=sections,
        brief=sections["brief"], warning=replicate_warning(sweep.replicates), explanations=[],
        assumptions=split_assumptions(s, None), sensitivity=None, documents=_documents(), toml=dump_toml(s),
        command=f"scrutiny sweep scenario.toml --design DESIGN.toml --replicates {sweep.replicates} --out sweep"
                f"{_posterior_flag(sweep.summary()['provenance'])}   # DESIGN.toml: the design this sweep was given",
    )


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
    ctx = _run_sections(base, prefix="base-", sensitivity=cmp.sensitivity, screen=cmp.screen)
    name = base.scenario.name
    sg = safeguards(cmp)
    seen = observed_sentence(ctx["trust"]["observed"], baseline=True)
    ctx.update(brief=sg["lead"] + ([seen] if seen else []), explanations=sg["explanations"])
    ctx.update(
        kind="comparison", title=f"Scrutiny comparison: {name}{_on(ctx['geo'])}", scenario_name=name,
        prov={**base.provenance, **cmp.provenance}, replicates=base.n_replicates, generated=generated or _now(),
        written=base.written, baseline=cmp.baseline, arms=arm_rows(cmp), safeguards=sg,
        matrix=metric_matrix(cmp), arm_maps=arm_maps(cmp), arm_concentration=arm_concentration(cmp),
        assumptions=split_assumptions(base.scenario, cmp.sensitivity or base.sensitivity),
        commands=_comparison_command(cmp), toml=dump_toml(base.scenario),
        sensitivity=cmp.sensitivity or base.sensitivity,
        arm_funnels=[(n, funnel_figure(cmp.arms[n], uid=f"armfunnel-{i}"), arm_style(i)["icon"])
                     for i, n in enumerate(cmp.names)],
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

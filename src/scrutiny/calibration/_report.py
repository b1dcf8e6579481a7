"""The calibration report: one self-contained HTML file (hand-written SVG, no script, opens offline).

Sections: posterior ranges (each parameter's weighted histogram over its prior range, with its
5 / 50 / 95% quantiles), a pair plot of the posterior particles, observed against simulated for
every target (the observed band beside the posterior predictive), the generations (tolerance,
acceptance, effective sample size), the targets with their sources, and provenance. The charts
use the report package's SVG pieces and stylesheet.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from scrutiny.report._charts import Row, interval_chart
from scrutiny.report._svg import (
    Scale,
    circle,
    line,
    log_ticks,
    nice_ticks,
    rect,
    svg,
    text,
    x_axis,
)

__all__ = ["render_calibration"]

_BLUE, _ORANGE, _GREEN = "#0072B2", "#D55E00", "#009E73"
_CSS_EXTRA = """
.calib-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(21rem, 1fr)); gap: 1rem 2rem; }
.calib-target { max-width: 44rem; }
table.plain { border-collapse: collapse; font-size: .9rem; margin: .6rem 0 1.2rem; }
table.plain th, table.plain td { border-bottom: 1px solid var(--rule); padding: .25rem .6rem; text-align: left;
  vertical-align: top; }
table.plain td.num, table.plain th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart-svg .hist { fill: #9ecae1; }
.chart-svg .q { stroke: #D55E00; stroke-width: 1.5; }
.chart-svg .q50 { stroke: #D55E00; stroke-width: 2.5; }
"""


def _g(v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return f"{int(v):,}"
    v = float(v)
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e5 or a < 1e-3:
        return f"{v:.3g}"
    if a >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _axis_scale(prior: dict, x0: float, x1: float) -> tuple[Scale, list[float]]:
    lo, hi, log = float(prior["lo"]), float(prior["hi"]), bool(prior["log"])
    scale = Scale((lo, hi), (x0, x1), log=log)
    ticks = log_ticks(lo, hi) if log else [t for t in nice_ticks(lo, hi, 4) if lo - 1e-12 <= t <= hi + 1e-12]
    return scale, ticks


def _hist(x: np.ndarray, w: np.ndarray, prior: dict, bins: int = 24) -> tuple[np.ndarray, np.ndarray]:
    lo, hi, log = float(prior["lo"]), float(prior["hi"]), bool(prior["log"])
    edges = np.logspace(math.log10(lo), math.log10(hi), bins + 1) if log else np.linspace(lo, hi, bins + 1)
    h, _ = np.histogram(np.clip(x, lo, hi), bins=edges, weights=w)
    return edges, h / max(h.sum(), 1e-300)


def _marginal(name: str, p: dict, x: np.ndarray, w: np.ndarray, uid: str) -> Markup:
    W, H, left, right, top, bottom = 380.0, 170.0, 16.0, 16.0, 12.0, 46.0
    sx, ticks = _axis_scale(p["prior"], left, W - right)
    edges, h = _hist(x, w, p["prior"])
    sy = Scale((0.0, max(float(h.max()), 1e-12) * 1.1), (H - bottom, top))
    body = []
    for i in range(h.size):
        x0, x1 = sx(edges[i]), sx(edges[i + 1])
        body.append(rect(x0, sy(h[i]), x1 - x0, sy(0.0) - sy(h[i]), fill="#9ecae1", cls="mark hist",
                         tip=f"{_g(edges[i])} to {_g(edges[i + 1])}: {100 * h[i]:.1f}% of the weight"))
    for key, cls in (("q05", "q"), ("q50", "q50"), ("q95", "q")):
        body.append(line(sx(p[key]), top, sx(p[key]), H - bottom, cls=cls))
    body += x_axis(sx, ticks, y0=top, y1=H - bottom, label=name + (" (log scale)" if p["prior"]["log"] else ""),
                   fmt=_g, grid=False)
    desc = (f"Posterior of {name} over its prior range {_g(p['prior']['lo'])} to {_g(p['prior']['hi'])}: "
            f"median {_g(p['q50'])}, 90% interval {_g(p['q05'])} to {_g(p['q95'])}.")
    return svg(W, H, body, title=f"Posterior of {name}", desc=desc, uid=uid)


def _pair_plot(params: dict, df: pd.DataFrame, uid: str, cap: int = 600) -> Markup:
    names = list(params)
    d = len(names)
    cell, pad, label_h = (150.0 if d <= 4 else 110.0), 8.0, 28.0
    W = d * cell + label_h
    w = df["weight"].to_numpy(np.float64)
    order = np.argsort(-w, kind="stable")[:cap]
    wmax = float(w.max()) if w.size else 1.0
    body: list[str] = []
    for i, ni in enumerate(names):  # rows
        for j, nj in enumerate(names):  # columns
            x0, y0 = label_h + j * cell + pad, i * cell + pad
            x1, y1 = x0 + cell - 2 * pad, y0 + cell - 2 * pad
            body.append(rect(x0, y0, x1 - x0, y1 - y0, fill="#fafafa", cls="frame", stroke="#ccc"))
            sx, _ = _axis_scale(params[nj]["prior"], x0, x1)
            if i == j:
                edges, h = _hist(df[nj].to_numpy(np.float64), w, params[nj]["prior"], bins=16)
                sy = Scale((0.0, max(float(h.max()), 1e-12) * 1.1), (y1, y0))
                for k in range(h.size):
                    body.append(rect(sx(edges[k]), sy(h[k]), sx(edges[k + 1]) - sx(edges[k]), y1 - sy(h[k]),
                                     fill="#9ecae1", cls="mark hist"))
                body.append(text((x0 + x1) / 2, y0 + 12, ni.rsplit(".", 1)[-1], anchor="middle", cls="tick"))
            elif i > j:
                sy, _ = _axis_scale(params[ni]["prior"], y1, y0)
                xs, ys = df[nj].to_numpy(np.float64), df[ni].to_numpy(np.float64)
                for k in order:
                    body.append(circle(sx(xs[k]), sy(ys[k]), 1.2 + 2.3 * math.sqrt(w[k] / wmax), fill=_BLUE,
                                       fill_opacity="0.45"))
            else:
                r = _weighted_corr(df[nj].to_numpy(np.float64), df[ni].to_numpy(np.float64), w,
                                   params[nj]["prior"]["log"], params[ni]["prior"]["log"])
                body.append(text((x0 + x1) / 2, (y0 + y1) / 2, f"r = {r:+.2f}", anchor="middle", cls="row-label"))
    desc = ("Posterior particles of every pair of parameters (dots sized by weight, on each prior range; log axes "
            "for log-uniform priors), each parameter's histogram on the diagonal, and weighted correlations above.")
    return svg(W, d * cell, body, title="Pair plot of the posterior", desc=desc, uid=uid)


def _weighted_corr(a: np.ndarray, b: np.ndarray, w: np.ndarray, log_a: bool, log_b: bool) -> float:
    a = np.log10(a) if log_a else a
    b = np.log10(b) if log_b else b
    w = w / w.sum()
    ma, mb = w @ a, w @ b
    cov = w @ ((a - ma) * (b - mb))
    va, vb = w @ (a - ma) ** 2, w @ (b - mb) ** 2
    return float(cov / math.sqrt(va * vb)) if va > 0 and vb > 0 else float("nan")


def _target_chart(name: str, t: dict, uid: str) -> Markup:
    obs = t["observed"]
    rate = obs.get("rate")
    rows = [Row("observed", rate if rate is not None else None, obs["lo"], obs["hi"], color=_GREEN,
                note="" if rate is not None else " (band)")]
    pred = t.get("predictive")
    if pred:
        rows.append(Row("simulated (posterior predictive)", pred["q50"], pred["q05"], pred["q95"], color=_ORANGE))
    else:
        rows.append(Row("simulated (posterior predictive)", None))
    vals = [obs["lo"], obs["hi"]] + ([pred[k] for k in ("q05", "q50", "q95")] if pred else [])
    vals = [v for v in vals if v is not None and math.isfinite(v)]
    log = bool(vals) and min(vals) > 0 and max(vals) / min(vals) > 20
    if rows[0].mean is None:  # a band: show its middle as the dot
        lo, hi = obs["lo"], obs["hi"]
        rows[0].mean = math.sqrt(lo * hi) if log and lo > 0 else (lo + hi) / 2
    return interval_chart(rows, axis_label="rate" if t["kind"] != "band_metric" else t["metric"], uid=uid,
                          title=f"{name}: observed against simulated",
                          desc=f"The observed band of {name} and the 5-95% range of the posterior predictive.",
                          value_fmt=_g, log=log, ref=None, band=(obs["lo"], obs["hi"]), label_w=210.0, width=640.0)


def _e(v: Any) -> str:
    return str(escape(str(v)))


def _table(header: list[str], rows: list[list[Any]], num: set[int] = frozenset()) -> str:
    th = "".join(f'<th scope="col"{" class=num" if i in num else ""}>{_e(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in num else ""}>{c if isinstance(c, Markup) else _e(c)}'
                                    "</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    table = f'<table class="plain"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="table-wrap">{table}</div>'


def _sections(summary: dict, particles: pd.DataFrame) -> list[str]:
    params, targets, gens = summary["parameters"], summary["targets"], summary["generations"]
    final = particles[particles["generation"] == particles["generation"].max()]
    w = final["weight"].to_numpy(np.float64)
    out = ['<h2 id="posterior">Posterior ranges</h2>',
           "<p>Each unknown's posterior (weighted particles of the last generation) over its prior range; the lines "
           "mark the 5%, 50% (thick) and 95% quantiles.</p>",
           _table(["parameter", "5%", "median", "95%", "prior", "scale"],
                  [[n, _g(p["q05"]), _g(p["q50"]), _g(p["q95"]), f"{_g(p['prior']['lo'])} to {_g(p['prior']['hi'])}",
                    "log-uniform" if p["prior"]["log"] else "uniform"] for n, p in params.items()], {1, 2, 3}),
           '<div class="calib-grid">']
    for i, (n, p) in enumerate(params.items()):
        out.append(f'<figure class="chart"><figcaption>{_e(n)}</figcaption>'
                   f'{_marginal(n, p, final[n].to_numpy(np.float64), w, uid=f"marg{i}")}</figure>')
    out.append("</div>")
    if len(params) > 1:
        out += ['<h2 id="pairs">Pair plot</h2>', f'<figure class="chart">{_pair_plot(params, final, "pairs")}</figure>']
    out += ['<h2 id="targets">Observed against simulated</h2>',
            "<p>For every target, the observed value (its 95% interval, binomial or Poisson, stretched by the "
            "undercount factors where the count is a known undercount; or the band) beside the 5-95% range of the "
            "posterior predictive: fresh simulations at parameter sets drawn from the posterior.</p>", "<div>"]
    for i, (n, t) in enumerate(targets.items()):
        verdict = "" if "median_inside" not in t else (
            " (the simulated median lies inside the observed range)" if t["median_inside"]
            else " (the simulated median lies outside the observed range: a finding to explain, not to tune away)")
        out.append(f'<figure class="chart calib-target"><figcaption>{_e(n)}{_e(verdict)}</figcaption>'
                   f'{_target_chart(n, t, uid=f"target{i}")}<p class="caption">Source: {_e(t["source"])}'
                   f'{". " + _e(t["note"]) if t["note"] else ""}</p></figure>')
    out.append("</div>")
    out += ['<h2 id="generations">Generations</h2>',
            _table(["generation", "tolerance", "simulations", "accepted", "acceptance rate", "effective sample size"],
                   [[g["generation"], _tolerance(g["epsilon"]), _g(g["n_simulations"]), _g(g["n_accepted"]),
                     f"{100 * g['acceptance_rate']:.1f}%", f"{g['ess']:.0f}"] for g in gens], {1, 2, 3, 4, 5}),
            f"<p>Stopped because: {_e(summary['provenance'].get('stop_reason'))}.</p>"]
    out += ['<h2 id="definitions">Targets and sources</h2>',
            _table(["target", "metric", "observed", "undercount", "source", "note"],
                   [[n, _metric_text(t), _observed_text(t), _g_pair(t["observed"].get("undercount")), t["source"],
                     t["note"]] for n, t in targets.items()])]
    return out


def _tolerance(eps: Any) -> str:
    return "none (the prior)" if eps is None or eps == math.inf else _g(eps)


def _metric_text(t: dict) -> str:
    if t["kind"] == "band_metric":
        return t["metric"]
    return f"{' + '.join(t['numerator'])} / {' + '.join(t['denominator'])} ({t['count_model']})"


def _observed_text(t: dict) -> str:
    obs = t["observed"]
    if t["kind"] == "count":
        return f"{_g(obs['k'])} of {_g(obs['n'])} ({_g(obs['rate'])})"
    return f"band {_g(obs['lo'])} to {_g(obs['hi'])}"


def _g_pair(v: Any) -> str:
    return "" if not v else f"{_g(v[0])} to {_g(v[1])}"


def render_calibration(summary: dict[str, Any], particles: pd.DataFrame, *, generated: str | None = None) -> str:
    """Render the calibration report.

    Args:
        summary: The content of ``calibration.json``.
        particles: The content of ``particles.parquet``.
        generated: Timestamp text (default: now, UTC).

    Returns:
        The HTML text (one self-contained file).
    """
    css = (resources.files("scrutiny.report") / "templates" / "report.css").read_text(encoding="utf-8")
    prov = summary["provenance"]
    generated = generated or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = "".join(f"<span>{_e(x)}</span>" for x in (
        f"Scrutiny {prov.get('scrutiny_version')}", f"seed {prov.get('seed')}", f"method {prov.get('method')}",
        f"{_g(prov.get('n_simulations'))} simulations", f"{prov.get('n_generations')} generation(s)",
        f"report generated {generated}"))
    prov_rows = [[k, v if not isinstance(v, (dict, list)) else json.dumps(v)] for k, v in prov.items()]
    body = _sections(summary, particles) + [
        '<h2 id="use">Using the posterior</h2>',
        "<p>Run a scenario, a comparison of safeguards or a sweep under this posterior: replicate <em>r</em> of every "
        "arm or point runs with posterior draw <em>r</em>, so intervals show chance and posterior uncertainty, and "
        "paired differences stay paired.</p>",
        "<pre>scrutiny compare --preset us-interior --posterior THIS_FOLDER --out cmp</pre>",
        '<h2 id="provenance">Provenance</h2>', _table(["key", "value"], prov_rows)]
    name = prov.get("scenario_name") or "model"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>Scrutiny calibration: {_e(name)}</title>\n<style>\n{css}\n{_CSS_EXTRA}</style>\n</head>\n<body>\n"
            "<header>\n<p class=\"kicker\">Scrutiny · calibration · synthetic population</p>\n"
            f"<h1>Scrutiny calibration: {_e(name)}</h1>\n<p class=\"meta\">{meta}</p>\n"
            "<p class=\"boundary\">The unknowns below were fitted by approximate Bayesian computation to public, "
            "aggregate observed outcomes; everyone simulated is synthetic. A target the posterior cannot reach is "
            "reported as it is, never tuned away quietly.</p>\n</header>\n<main>\n"
            + "\n".join(body) + "\n</main>\n<footer><p>Generated by Scrutiny "
            f"{_e(prov.get('scrutiny_version'))}. This file is self-contained: it loads nothing from the network."
            "</p></footer>\n</body>\n</html>\n")

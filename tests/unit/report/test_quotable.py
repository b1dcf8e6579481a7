"""Issue 12: a report people can quote.

The plain-language summary's numbers are summary.json's, no interval leaves its metric's range, a
winner is named only when its interval separates it, counter-intuitive results are explained in
words, twelve arms stay distinguishable, and a run on imported geography names it and draws its
tracts on its first report.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from scrutiny.metrics import METRICS, support_of
from scrutiny.report import render_comparison, render_run
from scrutiny.report._brief import MIN_REPLICATES, replicate_warning
from scrutiny.report._format import estimate, fmt_estimate

TOY = Path(__file__).resolve().parents[2] / "data" / "toy-geography"

_PART = re.compile(r'<span class="q" data-metric="([^"]+)" data-kind="([^"]+)" data-value="([^"]+)"'
                   r'(?: data-lo="([^"]+)" data-hi="([^"]+)")?><strong class="v">([^<]+)</strong>'
                   r'(?: <span class="ci">\((?:95% interval )?([^)]*)\)</span>)?')


def _brief(html: str) -> str:
    return html.split('data-brief="', 1)[1].split("</p>", 1)[0]


def _parts(block: str) -> list[tuple]:
    return _PART.findall(block)


def _num(v: str) -> float | None:
    return None if v in ("", "None") else float(v)


def test_run_summary_is_quotable_and_its_numbers_are_summary_json(tiny_results):
    html = render_run(tiny_results)
    metrics = tiny_results.summary()["metrics"]
    block = _brief(html)
    sentences = block.count('<span class="sentence">')
    assert 3 <= sentences <= 5, f"three to five sentences, got {sentences}"
    assert "In this simulation" in block
    parts = _parts(block)
    assert len(parts) >= 5, "the summary quotes several figures"
    for key, kind, raw, lo, hi, shown, interval in parts:
        assert kind == "value"
        e = estimate(metrics[key], bounded=METRICS[key].bounded)
        assert float(raw) == e["mean"], f"{key}: the summary says {raw}, summary.json {e['mean']}"
        assert (_num(lo), _num(hi)) == (e["lo"], e["hi"]), f"{key}: interval differs from summary.json"
        assert (shown, interval) == fmt_estimate(e, METRICS[key].unit), f"{key}: one precision for mean and interval"
        assert interval, f"{key}: every number of the summary comes with its interval"


def test_comparison_summary_numbers_are_comparison_json(comparison):
    html = render_comparison(comparison)
    summary = comparison.summary()
    base = summary["arms"]["baseline"]["metrics"]
    block = _brief(html)
    assert "In this simulation" in block and "(baseline)" not in block
    assert "Headline figures of the baseline arm, baseline" not in html
    parts = _parts(block)
    assert parts, "the lead quotes figures"
    for key, kind, raw, lo, hi, _, _ in parts:
        if kind == "value":
            assert float(raw) == estimate(base[key])["mean"]
        else:  # a paired difference of some arm, as comparison.json holds it
            assert any(math.isclose(float(raw), d[key]["mean"]) and (_num(lo), _num(hi)) == (d[key]["lo"], d[key]["hi"])
                       for d in summary["differences"].values() if key in d), f"{key}: {raw} is no arm's difference"


def test_no_interval_leaves_its_metric_range(tiny_results):
    """Two replicates of skewed counts gave intervals from below zero before; every interval now stays inside."""
    html = render_run(tiny_results)
    assert support_of("citizens_detained_per_1000_arrests") == (0.0, 1000.0), "citizens are part of the arrests"
    checked = 0
    for key, value in tiny_results.summary()["metrics"].items():
        entries = [value] if isinstance(value, dict) and "mean" in value else (
            [v for v in value.values() if isinstance(v, dict) and "mean" in v] if isinstance(value, dict) else [])
        lo_ok, hi_ok = support_of(key)
        for e in entries:
            if e.get("lo") is None or not math.isfinite(e["lo"]):
                continue
            assert lo_ok <= e["lo"] <= e["hi"] <= hi_ok, f"{key}: {e} leaves [{lo_ok}, {hi_ok}]"
            checked += 1
    assert checked > 30
    for key, _, _, lo, hi, _, _ in _parts(html):
        if lo:
            lo_ok, hi_ok = support_of(key)
            assert lo_ok <= float(lo) and float(hi) <= hi_ok
    for card in re.findall(r'class="interval">([^<]+)<', html):
        assert "−" not in card, f"a headline interval crosses zero: {card}"


def test_fewer_than_five_replicates_warn(tiny_results):
    assert 'data-warning="replicates"' in render_run(tiny_results), "two replicates: the report warns"
    assert replicate_warning(MIN_REPLICATES) == "" and "before quoting" in replicate_warning(1)


def _fake_comparison(diffs: dict, base: dict, overrides: dict) -> SimpleNamespace:
    arms = {"baseline": SimpleNamespace(metrics=base, scenario=SimpleNamespace(n_days=30))}
    arms.update({a: SimpleNamespace(metrics={}, scenario=SimpleNamespace(n_days=30)) for a in diffs})
    summary = {"provenance": {"baseline_arm": "baseline"}, "differences": diffs,
               "arms": {"baseline": {"metrics": base},
                        **{a: {"overrides": overrides[a], "metrics": {}} for a in diffs}}}
    return SimpleNamespace(summary=summary, arms=arms, baseline="baseline")


def _e(m, lo, hi):
    return {"mean": m, "lo": lo, "hi": hi, "n": 5}


def _words(sentence):
    return "".join(p.get("text", p.get("value", "")) for p in sentence)


def test_counter_intuitive_results_are_explained_in_words():
    from scrutiny.report._explain import explanations

    base = {"lawful_residents_detained": _e(100, 90, 110), "arrests": _e(1000, 950, 1050),
            "operations_at_protected_places": _e(0, 0, 0)}
    zero = _e(0.0, 0.0, 0.0)
    diffs = {
        "gallery": {"lawful_residents_detained": _e(-40, -50, -30), "arrests": _e(-800, -850, -750),
                    "lawful_residents_detained_per_1000_arrests": _e(150, 120, 180)},
        "places": {"lawful_residents_detained": zero, "arrests": zero},
        "noisy": {"lawful_residents_detained": _e(-5, -20, 10), "arrests": _e(3, -5, 11)},
    }
    cmp = _fake_comparison(diffs, base, {"gallery": {"field.searched_record_statuses": ["final_order"]},
                                         "places": {"targeting.excluded_place_types": ["school"]},
                                         "noisy": {"field.target_fpir": 0.001}})
    rows = [{"name": "baseline", "baseline": True},
            {"name": "gallery", "baseline": False, "same": False,
             "d_harm": diffs["gallery"]["lawful_residents_detained"], "d_legit": _e(-760, -800, -720)},
            {"name": "places", "baseline": False, "same": True, "d_harm": zero, "d_legit": zero},
            {"name": "noisy", "baseline": False, "same": False, "d_harm": _e(-5, -20, 10), "d_legit": _e(3, -5, 11)}]
    found = {e["arm"]: e for e in explanations(cmp, rows)}
    ratio = _words(found["gallery"]["sentence"])
    assert found["gallery"]["kind"] == "ratio"
    assert "raises their share" in ratio and "removes arrests of removable people even faster" in ratio
    assert "fell by 40% but arrests fell by 80%" in ratio
    assert found["places"]["kind"] == "unchanged"
    assert "no operation at a school" in _words(found["places"]["sentence"]), "why it never bound, in words"
    assert found["noisy"]["kind"] == "no_clear_effect" and "beyond chance" in _words(found["noisy"]["sentence"])
    assert "gallery" not in found["noisy"]["arm"], "an arm with a clear effect is not called unclear"


def test_twelve_arms_are_distinguishable(tmp_path):
    from scrutiny import compare
    from scrutiny.scenario import load_scenario

    arms = {f"fpir_{i}": {"description": f"arm {i}", "overrides": {"field.target_fpir": 0.0005 * (i + 1)}}
            for i in range(11)}
    c = compare(load_scenario(overrides={"world.n_people": 5_000, "n_days": 8, "seed": 3}), arms, replicates=2)
    html = render_comparison(c)
    table = html.split('data-table="arms"', 1)[1].split("</table>", 1)[0]
    styles = re.findall(r'data-arm="([^"]+)" data-marker="([^"]+)" data-color="([^"]+)"', table)
    assert len(styles) == 12 and len({s[1:] for s in styles}) == 12, "every arm its own (marker, colour)"
    assert ("circle", "#222222") in {s[1:] for s in styles} and styles[0][0] == "baseline"
    legend = re.findall(r'<li data-marker="([^"]+)" data-color="([^"]+)">', html)
    assert len(legend) >= 12 and len(set(legend[:12])) == 12, "the concentration charts' legend tells arms apart"
    forest = html.split('data-figure="safeguards-harm"', 1)[1].split("</figure>", 1)[0]
    marks = re.findall(r'fill="([^"]+)"[^>]*data-marker="([^"]+)"|data-marker="([^"]+)"[^>]*fill="([^"]+)"', forest)
    assert len({tuple(x for x in m if x) for m in marks}) >= 11, "each arm's dot has its own shape and colour"
    matrix = html.split('data-table="matrix"', 1)[1].split("</table>", 1)[0]
    assert matrix.count("<tr") == 13, "the per-arm table has one row per arm (it keeps its width)"


def test_imported_geography_is_named_and_drawn_on_the_first_report(tmp_path):
    from scrutiny.experiments import run
    from scrutiny.scenario import load_scenario

    results = run(load_scenario(overrides={"world.geography": str(TOY), "n_days": 6, "seed": 2}), replicates=1)
    assert results.n_people != 100_000, "the population is the tracts' total, not world.n_people"
    html = (results.write(tmp_path / "geo") / "report.html").read_text()
    title = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert title == "Scrutiny report: us-interior on toy-geography", title
    block = html.split('data-figure="map-ops"', 1)[1].split("</figure>", 1)[0]
    assert block.count("<polygon") == 3, "the three tracts' polygons, on the report written by the run"
    assert f"{results.n_people:,} synthetic people" in _brief(html)
    geo = html.split('data-geo="toy-geography"', 1)[1].split("</div>", 1)[0]
    assert "does not split non-citizens by legal status" in geo and "four race/ethnicity groups" in geo


@pytest.mark.parametrize("value", [0.000001])
def test_a_rate_typed_as_a_threshold_warns(value):
    from scrutiny.errors import ScenarioWarning
    from scrutiny.scenario import load_scenario

    with pytest.warns(ScenarioWarning, match="field.threshold"):
        load_scenario(overrides={"field.threshold": value, "field.threshold_rule": "fixed"})


def test_quota_is_stated_beside_the_daily_chart(tiny_results):
    html = render_run(tiny_results)
    fig = html.split('data-figure="daily-counts"', 1)[1].split("</figure>", 1)[0]
    quota = np.mean([r.world_info["quota_arrests_per_day"] for r in tiny_results.replicates])
    assert "The daily quota is" in fig and "Quota:" in fig and f"{quota:.0f}"[:2] in fig
    fpir = html.split('data-figure="daily-fpir"', 1)[1].split("</figure>", 1)[0]
    assert "Share of operations" not in fpir


def test_a_sweep_writes_a_report_with_its_tradeoff_curve(tmp_path):
    from scrutiny.experiments import sweep
    from scrutiny.metrics import mean_interval
    from scrutiny.report._stats import LAWFUL_STATUSES

    s = load_scenario_small()
    values = [0.0005, 0.005, 0.05]
    sw = sweep(s, {"fields": {"field.target_fpir": values}}, replicates=2)
    html = (sw.write(tmp_path / "sweep") / "report.html").read_text()
    assert re.search(r"<h1>Scrutiny sweep: us-interior</h1>", html)
    fig = html.split('data-figure="sweep-tradeoff"', 1)[1].split("</figure>", 1)[0]
    assert len(re.findall(r'data-point="(\d)"', fig)) == len(values), "one point per value"
    harm = [sum(r["detained_by_status"][k] for k in LAWFUL_STATUSES) for r in sw.summaries[0]]
    shown, interval = fmt_estimate(mean_interval(np.array(harm, float), support=(0.0, math.inf)))
    row = fig.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "0.0005" in row and shown in row and interval in row, "the table behind the chart: mean and interval"
    assert 'data-warning="replicates"' in html and 'data-figure="sweep-curve-0"' in html


def load_scenario_small():
    from scrutiny.scenario import load_scenario

    return load_scenario(overrides={"world.n_people": 8_000, "n_days": 10, "seed": 5})


def test_two_observed_targets_on_one_figure_are_told_apart(run_dir):
    from scrutiny.report._load import load_run
    from scrutiny.report._trust import observed_comparison

    rows = observed_comparison(load_run(run_dir), ())["rows"]
    labels = [r["label"] for r in rows]
    assert len(rows) >= 2 and len(set(labels)) == len(labels), labels
    shared = [r for r in rows if r["name"] in ("citizens_held_2025", "citizens_among_detained")]
    assert len(shared) == 2 and shared[0]["metric"] == shared[1]["metric"], "the preset's two targets on one figure"
    assert all(r["name"].replace("_", " ") in r["label"] for r in shared)

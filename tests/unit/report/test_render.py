import copy
import json
import re

import numpy as np
import pytest

from scrutiny.report import HEADLINES, load_run, render_comparison, render_run, run_data
from scrutiny.report._format import estimate, fmt, fmt_estimate


def _figures(html: str) -> list[str]:
    return re.findall(r'data-figure="([^"]+)"', html)


def test_run_report_has_every_section_and_figure(tiny_results):
    html = render_run(tiny_results)
    for section in ("headlines", "funnel", "where", "who", "data", "figures", "assumptions", "provenance"):
        assert f'<section id="{section}"' in html, f"section {section} is missing"
    figs = _figures(html)
    for key in ("funnel", "map-foreign", "map-ops", "map-harm", "conc-lorenz", "conc-top", "placetypes", "records"):
        assert key in figs, f"figure {key} is missing ({figs})"
    for key, title in (("disparity-false_match", "false matches per scan"),
                       ("disparity-wrongful", "wrongful detentions per lawful person scanned")):
        assert key in figs or f'data-missing="Disparity: {title}"' in html, f"{key}: neither a figure nor a note"
    assert html.count("<svg") == html.count("</svg>") >= len(figs)


def test_disparity_is_drawn_when_enough_people_are_scanned():
    from scrutiny.experiments import run
    from scrutiny.scenario import load_scenario

    everyone = load_scenario(overrides={"world.n_people": 20_000, "n_days": 20, "field.scan_policy": "everyone"})
    figs = _figures(render_run(run(everyone, replicates=2)))
    assert "disparity-false_match" in figs and "disparity-wrongful" in figs


def test_every_figure_has_a_title_and_a_table_fallback(tiny_results):
    html = render_run(tiny_results)
    for key in _figures(html):
        block = html.split(f'data-figure="{key}"', 1)[1].split("</figure>", 1)[0]
        assert "<title" in block and "<desc" in block, f"figure {key} has no accessible title/description"
    # maps share one table (the harm map's); every other chart has its own
    tables = set(re.findall(r'data-table="([^"]+)"', html))
    assert {k for k in _figures(html) if not k.startswith("map-")} <= tables
    assert "map-harm" in tables


def test_report_is_self_contained(tiny_results):
    html = render_run(tiny_results)
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html), "no external resources"
    assert "@import" not in html and "url(http" not in html


def test_headline_cards_carry_the_summary_values(tiny_results):
    html = render_run(tiny_results)
    metrics = tiny_results.summary()["metrics"]
    for key, _ in HEADLINES:
        if key not in metrics:
            assert f'data-metric="{key}"' in html and "not measured" in html
            continue
        m = re.search(rf'data-metric="{key}" data-value="([^"]+)">.*?<p class="value">([^<]+)</p>', html, re.S)
        assert m, f"headline {key} missing"
        assert float(m.group(1)) == metrics[key]["mean"]
        unit = "share" if "share" in key else ""
        assert m.group(2) == fmt_estimate(estimate(metrics[key]), unit)[0], "the mean, at its interval's precision"


def test_stored_run_renders_the_same_report_as_in_memory(tiny_results, run_dir):
    mem, disk = run_data(tiny_results), load_run(run_dir)
    mem.written = disk.written = "T"
    assert render_run(mem, generated="G") == render_run(disk, generated="G")


def test_scenario_text_is_escaped(hostile_dir):
    html = (hostile_dir / "report.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script>") == 1, "the only script is the report's own print helper"


def test_absent_metrics_become_visible_notes(tiny_results):
    data = copy.copy(run_data(tiny_results))
    data.summary = copy.deepcopy(data.summary)
    for key in ("bystander_records_by_source", "bystander_records_per_arrest"):
        data.summary["metrics"].pop(key, None)
    data.daily = data.daily.drop(columns=["allocation_divergence"], errors="ignore")
    html = render_run(data)
    assert 'data-missing="Allocation divergence"' in html, "a run without the series says so"
    assert 'data-missing="Records per data source"' in html
    assert 'data-missing="Allocation divergence"' not in render_run(tiny_results), "present when recorded"


def test_metrics_from_other_stages_render_when_present(tiny_results):
    data = copy.copy(run_data(tiny_results))
    data.summary = copy.deepcopy(data.summary)
    m = data.summary["metrics"]
    m["bystander_records_per_arrest"] = {"mean": 812.5, "lo": 700.0, "hi": 925.0, "n": 2}
    m["bystander_records_by_source"] = {"plate_reader": {"mean": 5000.0, "lo": 4000.0, "hi": 6000.0, "n": 2},
                                        "cell_site_simulator": {"mean": 900.0, "lo": 800.0, "hi": 1000.0, "n": 2}}
    m["operations_at_protected_places"] = {"mean": 3.0, "lo": 1.0, "hi": 5.0, "n": 2}
    m["fpir_reference_by_day"] = {str(d): {"mean": 0.3 + d / 100, "lo": 0.2, "hi": 0.5, "n": 2} for d in range(30)}
    data.daily = data.daily.assign(allocation_divergence=0.3)
    html = render_run(data)
    assert "daily-fpir" in _figures(html) and "Operations at protected places: 3" in html
    assert "30 values" in html, "a per-day series is summarised in the metrics table, not listed"
    assert "conc-div" in _figures(html) and 'data-missing="Allocation divergence"' not in html
    assert "Plate reader" in html and "Cell site simulator" in html
    assert 'data-metric="bystander_records_per_arrest" data-value="812.5"' in html


def test_sensitivity_marks_decisive_parameters(tiny_results):
    sens = {"method": "sobol", "metric": "citizens_detained_per_1000_arrests",
            "indices": {"field.threshold": {"S1": 0.5, "ST": 0.62}, "world.segregation": {"ST": 0.02}}}
    html = render_run(tiny_results, sensitivity=sens)
    row = html.split('data-param="field.threshold"', 1)[1].split("</tr>", 1)[0]
    assert "decisive" in row and "0.62" in row
    assert "decisive" not in html.split('data-param="world.segregation"', 1)[1].split("</tr>", 1)[0]


def test_imported_geometry_draws_polygons(tiny_results):
    data = copy.copy(run_data(tiny_results))
    t = data.tracts_of(0)
    feats = [{"type": "Feature", "properties": {"tract": int(r.tract)},
              "geometry": {"type": "Polygon", "coordinates": [[[r.x_km / 80 - 93, r.y_km / 111 + 45],
                                                               [r.x_km / 80 - 92.98, r.y_km / 111 + 45],
                                                               [r.x_km / 80 - 92.98, r.y_km / 111 + 45.01],
                                                               [r.x_km / 80 - 93, r.y_km / 111 + 45]]]}}
             for r in t.itertuples()]
    data.geometry = {"type": "FeatureCollection", "features": feats}
    html = render_run(data)
    block = html.split('data-figure="map-ops"', 1)[1].split("</figure>", 1)[0]
    assert block.count("<polygon") == len(feats) and "imported tracts" in html


def test_comparison_report_sorts_safeguards_and_escapes_arm_text(comparison):
    summary = comparison.summary()
    html = render_comparison(comparison)
    assert '<section id="safeguards"' in html
    table = html.split('data-table="safeguards"')[1].split("</table>", 1)[0]
    order = re.findall(r'<tr class="[^"]*" data-arm="([^"]+)">', table)

    def harm(name):  # detentions of citizens and lawful residents, per replicate
        lawful = ("citizen_birth", "naturalised", "lpr", "visa", "protected")
        return np.array([sum(r.summary["detained_by_status"][s] for s in lawful)
                         for r in comparison.results[name].replicates])

    removed = {a: float((harm(a) - harm("baseline")).mean()) for a in summary["provenance"]["arms"][1:]}
    assert order == ["baseline", *sorted(removed, key=removed.get)], "arms sorted by harm removed, baseline first"

    class Hostile:
        results = comparison.results

        def summary(self):
            s = json.loads(json.dumps(summary))
            s["arms"]["threshold_strict"]["description"] = "<img src=x onerror=alert(1)>"
            return s

    hostile = render_comparison(Hostile())
    assert "<img src=x" not in hostile and "&lt;img src=x onerror=alert(1)&gt;" in hostile


@pytest.mark.parametrize("bad", ["../x", "a/b"])
def test_comparison_folder_rejects_path_like_arm_names(comparison_dir, tmp_path, bad):
    import shutil

    from scrutiny.errors import InputError
    from scrutiny.report import load_comparison

    dst = tmp_path / "c"
    shutil.copytree(comparison_dir, dst)
    doc = json.loads((dst / "comparison.json").read_text())
    doc["provenance"]["arms"] = [bad]
    (dst / "comparison.json").write_text(json.dumps(doc))
    with pytest.raises(InputError, match="not a folder name"):
        load_comparison(dst)


def test_lead_claims_no_more_than_the_intervals_allow(comparison):
    from scrutiny.report._compare_view import safeguards
    from scrutiny.report._data import comparison_data

    def words(sentences):
        return " ".join(p.get("text", p.get("value", "")) for s in sentences for p in s)

    cmp = comparison_data(comparison)
    rows = safeguards(cmp)["rows"]
    best = rows[1]
    text = words(safeguards(cmp)["lead"])
    assert "In this simulation" in text and "(baseline)" not in text
    others = rows[2:]

    def separated(a, b):
        d = np.asarray(a["h"], float) - np.asarray(b["h"], float)
        from scrutiny.metrics import mean_interval
        e = mean_interval(d)
        return e["hi"] is not None and e["hi"] < 0

    if any(r["d_harm"]["hi"] is not None and r["d_harm"]["hi"] < 0 for r in rows[1:]):
        if all(separated(best, r) for r in others):
            assert f"{best['name']} removed the most" in text
        else:
            assert "No single safeguard is named best" in text, "a winner only when its interval separates it"
    else:
        assert "None of the" in text

    # a made-up pair of arms that cannot be told apart: no winner is named
    from scrutiny.report._explain import lead

    def est(m, lo, hi):
        return {"mean": m, "lo": lo, "hi": hi, "n": 2}

    fake = [rows[0], {**best, "name": "a", "d_harm": est(-50, -60, -40), "h": np.array([10.0, 12.0])},
            {**best, "name": "b", "d_harm": est(-49, -61, -39), "h": np.array([11.0, 11.0])}]
    text = words(lead(cmp, fake))
    assert "a and b removed the most harm" in text and "No single safeguard is named best" in text


def test_a_run_with_no_operations_still_renders(tmp_path):
    from scrutiny.experiments import run
    from scrutiny.report import rebuild_report
    from scrutiny.scenario import load_scenario

    s = load_scenario(overrides={"world.n_people": 5_000, "n_days": 5, "operations.sites_per_day_per_100k": 0.0})
    out = run(s, replicates=2).write(tmp_path / "idle")
    html = rebuild_report(out).read_text()
    assert "n/a" in html and 'data-figure="funnel"' in html


def test_fpir_by_day_chart_renders_with_intervals_from_the_per_replicate_metric(tiny_results):
    html = render_run(tiny_results)
    assert "daily-fpir" in _figures(html), "the reference group's FPIR by day is drawn"
    block = html.split('data-table="daily-fpir"', 1)[1].split("</table>", 1)[0]
    first = [r.summary["fpir_reference_by_day"]["0"] for r in tiny_results.replicates]
    assert fmt(float(np.mean(first)), "share") in block, "day 0 shows the mean of the replicates' values"
    assert " to " in block, "two replicates give a 95% interval per day"
    data = copy.copy(run_data(tiny_results))
    data.replicates = [{**r, "summary": {k: v for k, v in r["summary"].items() if k != "fpir_reference_by_day"}}
                       for r in data.replicates]
    assert 'data-missing="False-positive identification rate by day"' in render_run(data)


def test_a_new_registry_entry_reaches_the_summary_and_the_all_figures_table(monkeypatch):
    from scrutiny.experiments import run
    from scrutiny.metrics import METRICS, Metric
    from scrutiny.scenario import load_scenario

    entry = Metric("test_scans_per_encounter", "Scans per encounter (test)", "scans per person",
                   "A metric added by one registry entry.", "collateral",
                   lambda c: c.masks.scan.sum() / max(c.kind("encounter").sum(), 1))
    monkeypatch.setitem(METRICS, entry.name, entry)
    r = run(load_scenario(overrides={"world.n_people": 5000, "n_days": 5, "seed": 2}), replicates=2)
    assert "test_scans_per_encounter" in r.summary()["metrics"], "summarize() computes every registered metric"
    table = render_run(r).split('data-table="metrics"', 1)[1].split("</table>", 1)[0]
    row = table.split('data-key="test_scans_per_encounter"', 1)[1].split("</tr>", 1)[0]
    assert "Scans per encounter (test)" in row and "A metric added by one registry entry." in row
    heads = re.findall(r'scope="rowgroup">([^<]+)<', table)
    assert heads[0] == "Volumes" and "Citizens and lawful residents swept up" in heads
    section = table.split("Citizens and lawful residents swept up", 1)[1].split('class="group"', 1)[0]
    assert "test_scans_per_encounter" in section, "listed under its family"

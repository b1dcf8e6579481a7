"""The report in a real browser (Debian's chromium driven by Playwright).

Opens the run report, the comparison report and a report whose scenario name is markup; checks
there are no console errors and no network requests, that every figure rendered, and that the
headline numbers on the page are those of summary.json. Screenshots (and a PDF print) are saved
under test-artifacts/. Skipped, with the reason, only where no browser is installed;
scripts/test.sh installs chromium with apt-get when it can.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest

from scrutiny.experiments import load_arms
from scrutiny.report import HEADLINES

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if exe is None:
        pytest.skip("no browser: chromium is not installed (scripts/test.sh installs Debian's chromium with "
                    "apt-get when run as root; install it to run the browser tests)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("no browser driver: the playwright package is missing (pip install -e '.[test]')")
    # A browser that is installed but does not start is a failure, not a skip.
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


class Page:
    """A loaded report with what happened while loading it."""

    def __init__(self, browser, path: Path, width: int = 1280):
        self.console, self.requests, self.dialogs = [], [], []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri(), wait_until="load")

    def errors(self):
        return [c for c in self.console if c[0] in ("error", "pageerror", "warning")]

    def close(self):
        self.page.close()


def _check_figures(page) -> int:
    figs = page.evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => {
        const s = f.querySelector('svg'); const b = s ? s.getBoundingClientRect() : {width: 0, height: 0};
        return {key: f.dataset.figure, w: b.width, h: b.height,
                marks: s ? s.querySelectorAll('rect.mark, circle.mark, polyline.mark, polygon.mark').length : 0};
    })""")
    for f in figs:
        assert f["w"] > 100 and f["h"] > 50, f"figure {f['key']} rendered empty ({f})"
        assert f["marks"] > 0, f"figure {f['key']} has no data marks"
    spill = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].flatMap(s => {
        const b = s.getBoundingClientRect();
        return [...s.querySelectorAll('text')].filter(t => { const r = t.getBoundingClientRect();
            return r.left < b.left - 2 || r.right > b.right + 2 || r.top < b.top - 2 || r.bottom > b.bottom + 2; })
          .map(t => s.closest('figure').dataset.figure + ': ' + t.textContent); })""")
    assert spill == [], f"chart text drawn outside its chart (clipped in print): {spill}"
    return len(figs)


def _parse(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").replace("−", "-"))


def _check_headlines(page, metrics: dict) -> int:
    cards = page.evaluate("""() => [...document.querySelectorAll('.headline')].map(c => ({
        key: c.dataset.metric, raw: c.dataset.value ?? null, shown: c.querySelector('.value').textContent.trim(),
        visible: c.getBoundingClientRect().height > 0}))""")
    assert [c["key"] for c in cards] == [k for k, _ in HEADLINES]
    checked = 0
    for c in cards:
        assert c["visible"], f"headline {c['key']} is not visible"
        if c["key"] not in metrics:
            assert c["shown"] == "not measured" and c["raw"] is None
            continue
        mean = metrics[c["key"]]["mean"] if isinstance(metrics[c["key"]], dict) else metrics[c["key"]]
        assert float(c["raw"]) == mean, f"{c['key']}: page carries {c['raw']}, summary.json {mean}"
        shown = _parse(c["shown"]) / (100 if c["shown"].endswith("%") else 1)
        digits = c["shown"].replace(",", "").rstrip("%").split(".")
        ulp = 10.0 ** -(len(digits[1]) if len(digits) > 1 else 0) / (100 if c["shown"].endswith("%") else 1)
        assert math.isclose(shown, mean, abs_tol=ulp / 2 + 1e-12), f"{c['key']}: shows {c['shown']}, summary {mean}"
        checked += 1
    return checked


def _shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def _shoot_top(page, name: str) -> Path:
    """The top of the report as a first reader sees it: the header, the summary and the start of what follows."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1280, "height": 1800})
    return path


def test_run_report_in_browser(browser, run_dir):
    p = Page(browser, run_dir / "report.html")
    try:
        assert p.errors() == [], f"console errors: {p.errors()}"
        assert all(u.startswith("file:") or u.startswith("data:") for u in p.requests), f"network: {p.requests}"
        assert _check_figures(p.page) >= 10
        metrics = json.loads((run_dir / "summary.json").read_text())["metrics"]
        assert _check_headlines(p.page, metrics) >= 4
        assert p.page.locator("h2").count() >= 8
        _shoot(p.page, "report-run.png")
        _shoot_top(p.page, "report-run-top.png")
        p.page.emulate_media(media="print")
        pdf = p.page.pdf(format="A4", print_background=True)
        (ARTIFACTS / "report-run.pdf").write_bytes(pdf)
        assert pdf[:4] == b"%PDF" and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 3, "prints to several pages"
    finally:
        p.close()


def test_comparison_report_in_browser(browser, comparison_dir):
    p = Page(browser, comparison_dir / "report.html")
    try:
        assert p.errors() == [], f"console errors: {p.errors()}"
        assert all(u.startswith("file:") or u.startswith("data:") for u in p.requests), f"network: {p.requests}"
        assert _check_figures(p.page) >= 14
        base = json.loads((comparison_dir / "arms" / "baseline" / "summary.json").read_text())["metrics"]
        assert _check_headlines(p.page, base) >= 4
        arms = p.page.eval_on_selector_all("table[data-table=safeguards] tbody tr", "rs => rs.map(r => r.dataset.arm)")
        default = sorted(a.name for a in load_arms(None))
        assert arms[0] == "baseline" and sorted(arms) == default, "every default safeguard, baseline first"
        wide = p.page.evaluate("""() => [...document.querySelectorAll('#safeguards .table-wrap')]
            .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector('table').dataset.table)""")
        assert wide == [], f"tables of the safeguards section scroll sideways at 1,280 px: {wide}"
        _shoot(p.page, "report-comparison.png")
        _shoot_top(p.page, "report-comparison-top.png")
    finally:
        p.close()


def test_markup_in_a_scenario_name_is_shown_as_text(browser, hostile_dir):
    p = Page(browser, hostile_dir / "report.html")
    try:
        assert p.dialogs == [], "a script from the scenario ran"
        assert p.page.locator("h1").inner_text() == "Scrutiny report: <script>alert(1)</script>"
        assert p.errors() == []
    finally:
        p.close()


def test_report_is_readable_on_a_narrow_screen(browser, run_dir):
    p = Page(browser, run_dir / "report.html", width=390)
    try:
        overflow = p.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone-width screen"
    finally:
        p.close()

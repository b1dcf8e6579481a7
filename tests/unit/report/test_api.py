"""scrutiny.report(...): the public way to write a report, for results in memory or a stored folder."""

import shutil

import pytest

import scrutiny
from scrutiny.errors import ConfigError


def test_report_is_public_and_callable():
    assert "report" in scrutiny.__all__ and callable(scrutiny.report)
    from scrutiny.report import render_run  # the package's helpers are still importable by name

    assert callable(render_run)


def test_report_of_results_in_memory_to_a_folder_or_a_file(tiny_results, tmp_path):
    folder = scrutiny.report(tiny_results, tmp_path / "a")
    assert folder == tmp_path / "a" / "report.html" and folder.read_text().startswith("<!DOCTYPE html>")
    named = scrutiny.report(tiny_results, tmp_path / "b" / "mine.html")
    assert named.name == "mine.html" and named.stat().st_size > 10_000


def test_report_of_a_stored_folder_rebuilds_its_report(run_dir, tmp_path):
    copy = shutil.copytree(run_dir, tmp_path / "run")
    (copy / "report.html").unlink()
    assert scrutiny.report(copy) == copy / "report.html" and (copy / "report.html").is_file()
    assert scrutiny.report(str(copy), tmp_path / "elsewhere.html").is_file()


def test_report_of_a_comparison(comparison, tmp_path):
    html = scrutiny.report(comparison, tmp_path).read_text()
    assert 'id="safeguards"' in html, "a comparison gets the comparison report"


def test_report_refuses_what_it_cannot_render(tiny_results):
    with pytest.raises(ConfigError, match="needs a path"):
        scrutiny.report(tiny_results)
    with pytest.raises(ConfigError, match="got int"):
        scrutiny.report(3, "x")


def test_write_without_report_writes_no_report(tiny_results, tmp_path):
    out = tiny_results.write(tmp_path / "o", report=False)
    assert (out / "summary.json").is_file() and not (out / "report.html").exists()


def test_experiments_write_reports_through_the_renderers_the_package_set(tiny_results, tmp_path, monkeypatch):
    from scrutiny import _renderers
    from scrutiny.errors import Error

    monkeypatch.setattr(_renderers, "_RENDERERS", {})
    with pytest.raises(Error, match="No run report renderer"):
        tiny_results.write(tmp_path / "none")
    _renderers.use_renderers(run=lambda r: "<p>run</p>", comparison=lambda c: "<p>cmp</p>")
    assert (tiny_results.write(tmp_path / "x") / "report.html").read_text() == "<p>run</p>"

"""What experiments export, and the keywords every experiment shares (replicates, out)."""

import inspect
import json

import scrutiny.experiments as ex
from scrutiny.experiments import DEFAULT_REPLICATES, compare, run, sensitivity, sweep


def test_exports_only_what_users_call():
    assert set(ex.__all__) == {"run", "Results", "compare", "Comparison", "sweep", "Sweep", "load_design",
                               "sensitivity", "Sensitivity", "screen", "Screen", "Dimension", "load_arms",
                               "default_arms_path", "DEFAULT_REPLICATES"}
    assert all(hasattr(ex, name) for name in ex.__all__)


def test_one_output_keyword_and_one_replicates_default():
    for fn in (compare, sweep, sensitivity):
        params = inspect.signature(fn).parameters
        assert "out" in params and "store" not in params, f"{fn.__name__} takes out=, like the others"
    for fn in (run, compare, sensitivity):
        assert inspect.signature(fn).parameters["replicates"].default == DEFAULT_REPLICATES, fn.__name__
    assert inspect.signature(sweep).parameters["replicates"].default is None, "sweep: the design's, else the default"


def test_sweep_without_replicates_anywhere_runs_the_default(tmp_path):
    from conftest import tiny

    sw = sweep(tiny(), {"fields": {"field.threshold": [9.6]}}, out=tmp_path)
    assert sw.replicates == DEFAULT_REPLICATES and len(sw.table()) == DEFAULT_REPLICATES
    assert json.loads((tmp_path / "sweep.json").read_text())["provenance"]["replicates"] == DEFAULT_REPLICATES


def test_compare_with_out_writes_its_files_there(tmp_path):
    from conftest import tiny

    c = compare(tiny(), {"strict": {"overrides": {"field.threshold": 10.6}}}, replicates=2, out=tmp_path)
    assert json.loads((tmp_path / "comparison.json").read_text())["provenance"]["arms"] == c.arm_names
    for path in ("report.html", "results.duckdb", "arms/strict/summary.json", "parts/strict/r00001.parquet"):
        assert (tmp_path / path).is_file(), path


def test_progress_bars_stay_out_of_logs(capsys):
    """With standard error not a terminal (a log, CI, this capture) run and the executor draw no bar."""
    from conftest import tiny

    run(tiny(), 1, progress=True)
    compare(tiny(), {"strict": {"overrides": {"field.threshold": 10.0}}}, replicates=1, progress=True)
    err = capsys.readouterr().err
    assert "day/s" not in err and "task/s" not in err and "|" not in err, err

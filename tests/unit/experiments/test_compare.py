import json
import math

import numpy as np
import pytest
from conftest import tiny

from scrutiny.errors import ConfigError
from scrutiny.experiments import compare, run
from scrutiny.metrics import paired_difference


@pytest.fixture(scope="module")
def comparison():
    arms = {
        "same": {"description": "changes nothing", "overrides": {"field.threshold": 9.6}},
        "strict": {"description": "stricter", "overrides": {"field.threshold": 10.6}},
    }
    return compare(tiny(), arms, replicates=3)


def test_arm_identical_to_baseline_gives_exactly_zero_difference(comparison):
    diffs = comparison.summary()["differences"]["same"]
    assert diffs, "there are scalar metrics"
    for metric, d in diffs.items():
        assert (d["mean"], d["lo"], d["hi"], d["n"]) == (0.0, 0.0, 0.0, 3), f"{metric}: {d}"
    base = comparison.results["baseline"].event_log
    same = comparison.results["same"].event_log
    for col in base:
        assert np.array_equal(base[col], same[col]), f"identical arm must reproduce the baseline's events ({col})"


def test_baseline_differences_are_exactly_zero(comparison):
    for metric, d in comparison.summary()["differences"]["baseline"].items():
        assert (d["mean"], d["lo"], d["hi"]) == (0.0, 0.0, 0.0), f"{metric}: {d}"


def test_differences_are_paired_by_replicate(comparison):
    m = "scans"
    strict = [r.summary[m] for r in comparison.results["strict"].replicates]
    base = [r.summary[m] for r in comparison.results["baseline"].replicates]
    want = np.mean(np.subtract(strict, base))
    got = comparison.summary()["differences"]["strict"][m]["mean"]
    assert got == pytest.approx(want, rel=1e-12), "difference is the mean of per-replicate differences"


def test_baseline_arm_equals_a_plain_run(comparison):
    plain = run(tiny(), replicates=3)
    for r_cmp, r_run in zip(comparison.results["baseline"].replicates, plain.replicates, strict=True):
        assert json.dumps(r_cmp.summary) == json.dumps(r_run.summary), "compare's baseline is scrutiny.run"


def test_summary_follows_the_agreed_shape(comparison):
    s = comparison.summary()
    assert s["provenance"]["arms"] == ["baseline", "same", "strict"]
    assert {"scrutiny_version", "config_hash", "seed", "replicates", "baseline_arm"} <= set(s["provenance"])
    arm = s["arms"]["strict"]
    assert set(arm) == {"description", "overrides", "config_hash", "metrics"}
    assert arm["overrides"] == {"field.threshold": 10.6}
    assert set(arm["metrics"]["arrests"]) == {"mean", "lo", "hi", "n"}
    nested = arm["metrics"]["detained_by_status"]
    assert set(nested["citizen_birth"]) == {"mean", "lo", "hi", "n"}, "nested metrics are intervals per key"
    assert "detained_by_status" not in s["differences"]["strict"], "differences cover scalar metrics"


def test_write_lays_out_json_arms_and_report(comparison, tmp_path):
    out = comparison.write(tmp_path / "c")
    data = json.loads((out / "comparison.json").read_text())
    assert data["provenance"]["arms"] == ["baseline", "same", "strict"]
    for arm in ("baseline", "same", "strict"):
        assert (out / "arms" / arm / "summary.json").is_file() and (out / "arms" / arm / "events.parquet").is_file()
    page = (out / "report.html").read_text()
    assert "<table" in page and "strict" in page and "http" not in page.split("</style>")[0]


def test_single_replicate_comparison_works():
    c = compare(tiny(), {"strict": {"overrides": {"field.threshold": 10.6}}}, replicates=1)
    m = c.summary()["arms"]["strict"]["metrics"]["arrests"]
    assert m["n"] == 1 and math.isnan(m["lo"]), "one replicate: a mean without an interval"


def test_paired_difference_handles_undefined_ratios():
    d = paired_difference(np.array([np.nan, 2.0, np.nan]), np.array([np.nan, 1.0, 4.0]))
    assert d["n"] == 2 and d["mean"] == 0.5, "undefined in both counts 0; undefined on one side is left out"


def test_bad_replicates_and_workers_are_refused():
    with pytest.raises(ConfigError, match="replicates"):
        compare(tiny(), {}, replicates=0)
    with pytest.raises(ConfigError, match="workers"):
        compare(tiny(), {}, replicates=1, workers=0)

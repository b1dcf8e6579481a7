"""The metric registry: every entry is complete, summarize() is a loop over it, ratios add up."""

import math

import numpy as np
import pytest

from scrutiny.metrics import BORDER_METRICS, FAMILIES, METRICS, Metric, replicate_values, summarize
from scrutiny.operations import STATUS_CHECK_SERIES


@pytest.mark.parametrize("name", list(METRICS), ids=str)
def test_every_entry_is_complete(name):
    m = METRICS[name]
    assert m.name == name and name.islower() and " " not in name
    assert m.label and m.unit and m.description.endswith((".", ")")), "label, unit and a sentence of description"
    assert m.family in FAMILIES and callable(m.compute)
    for part in (m.numerator, m.denominator):
        assert part is None or part in METRICS, f"{name}: a ratio's parts are registered metrics"


def test_a_bad_entry_is_refused_when_defined():
    with pytest.raises(ValueError, match="family"):
        Metric("x", "X", "people", "X.", "nonsense", lambda c: 0.0)
    with pytest.raises(ValueError, match="numerator and denominator"):
        Metric("x", "X", "people", "X.", "volume", lambda c: 0.0, numerator="arrests")


def test_summary_is_the_registry_in_order(small_results):
    summary = small_results.replicates[0].summary
    assert list(summary) == [k for k in METRICS if k in summary], "summary keys follow the registry's order"
    # Metrics of everyday status checks need that trigger's daily series; the UK preset's run computes them
    # (tests/unit/operations/test_uk_hostile_environment.py).
    checks_only = {f"daily.{k}" for k in STATUS_CHECK_SERIES}
    border = {m.name for m in BORDER_METRICS}  # need the border triggers: tests/unit/operations/test_border.py
    protest = {k for k, m in METRICS.items() if "dissent.protest" in m.requires}  # only where protests run
    missing = {k for k in set(METRICS) - set(summary) - border - protest if not checks_only & set(METRICS[k].requires)}
    assert not missing, f"a full run computes every registered metric; missing {missing}"
    assert protest and not protest & set(summary), "us-interior runs no protests trigger"
    for name, value in summary.items():
        assert isinstance(value, dict) == (not METRICS[name].is_scalar), f"{name}: by={METRICS[name].by}"


def test_requires_leaves_out_what_the_inputs_do_not_allow(small_results):
    from scrutiny.events import EventBuffer

    got = summarize(EventBuffer().finish(), n_days=1, n_tracts=1)
    assert "bystander_records_by_source" not in got and "fpir_reference_by_day" not in got
    assert set(got) == {k for k, m in METRICS.items() if not m.requires}


def test_ratio_metrics_equal_their_numerator_over_their_denominator(small_results):
    ratios = [m for m in METRICS.values() if m.numerator and m.name in small_results.replicates[0].summary]
    assert ratios, "at least one ratio declares its parts"
    for rep in small_results.replicates:
        s = rep.summary
        for m in ratios:
            if m.name not in s:  # a status-check metric, in a run without status checks
                assert checks_only_needs(m), m.name
                continue
            num = s[m.numerator]
            num = sum(num.values()) if isinstance(num, dict) else num
            want = m.scale * num / s[m.denominator] if s[m.denominator] > 0 else math.nan
            assert s[m.name] == pytest.approx(want, rel=1e-12, nan_ok=True), m.name


def checks_only_needs(m: Metric) -> bool:
    """Whether ``m`` needs the daily series of the status-check trigger."""
    return bool({f"daily.{k}" for k in STATUS_CHECK_SERIES} & set(m.requires))


def test_replicate_values_are_the_per_replicate_summaries(small_results):
    summaries = [r.summary for r in small_results.replicates]
    arrests = replicate_values(summaries, "arrests")
    assert arrests.tolist() == [s["arrests"] for s in summaries] and arrests.dtype == np.float64
    by_status = replicate_values(summaries, "detained_by_status")
    assert set(by_status) == set(summaries[0]["detained_by_status"])
    assert sum(v for v in by_status.values()).tolist() == arrests.tolist(), "detentions by status add up to arrests"


def test_results_and_stored_runs_give_the_same_per_replicate_values(small_results, tmp_path):
    from scrutiny.report import load_run

    stored = load_run(small_results.write(tmp_path / "run", report=False))
    for name in ("arrests", "gini_operations_by_tract", "detained_by_status"):
        mem, disk = small_results.values(name), stored.values(name)
        if isinstance(mem, dict):
            assert set(mem) == set(disk) and all(np.array_equal(mem[k], disk[k], equal_nan=True) for k in mem), name
        else:
            assert np.array_equal(mem, disk, equal_nan=True), name

"""Bounded before built: a plan over the task limit is refused from its sizes, before anything is built.

The sizes here are absurd on purpose (10**12 replicates, a billion grid levels): a check that built
the plan first would not return at all.
"""

import re

import pytest
from conftest import tiny

from scrutiny.errors import ConfigError, ResourceError
from scrutiny.experiments import compare, sensitivity, sweep
from scrutiny.experiments._resources import MAX_TASKS, max_tasks, task_limit


def refused(call, *patterns):
    with pytest.raises(ResourceError) as err:
        call()
    msg = str(err.value)
    for pattern in (r"more than the limit of [\d,]+", r"of computing on one core", r"of memory for its results",
                    r"--max-tasks N \(or SCRUTINY_MAX_TASKS=N\)", *patterns):
        assert pattern in msg or re.search(pattern, msg), f"{pattern!r} not in {msg!r}"
    return msg


def test_compare_with_a_trillion_replicates_is_refused_before_any_output(tmp_path):
    msg = refused(lambda: compare(tiny(), None, replicates=10**12, out=tmp_path / "out"),
                  "11,000,000,000,000 tasks (11 arms x 1,000,000,000,000 replicates)")
    assert "years" in msg
    assert not (tmp_path / "out").exists(), "no store is created"


def test_sweep_grid_of_a_billion_levels_is_refused(tmp_path):
    design = {"fields": {"field.threshold": {"lo": 9.0, "hi": 11.0, "n": 10**9}, "n_days": [5, 6]}}
    refused(lambda: sweep(tiny(), design, out=tmp_path / "out"),
            "a grid of 1,000,000,000 x 2 levels = 2,000,000,000 points x 10 replicates")  # default replicates
    assert not (tmp_path / "out").exists()


def test_latin_hypercube_of_a_billion_samples_is_refused():
    design = {"method": "lhs", "samples": 10**9, "fields": {"field.threshold": {"lo": 9.0, "hi": 11.0}}}
    refused(lambda: sweep(tiny(), design), "1,000,000,000 Latin-hypercube samples")


def test_sensitivity_of_a_huge_base_sample_is_refused():
    refused(lambda: sensitivity(tiny(), ["field.threshold"], n=2**40), r"sobol n = 1,099,511,627,776 x \(d \+ 2 = 3\)")


def test_the_limit_is_one_number_overridable_in_python_and_by_environment(monkeypatch):
    assert max_tasks() == MAX_TASKS == 100_000
    with task_limit(3):
        refused(lambda: compare(tiny(), {"a": {"overrides": {}}}, replicates=2), "4 tasks (2 arms x 2 replicates)")
    monkeypatch.setenv("SCRUTINY_MAX_TASKS", "3")
    refused(lambda: compare(tiny(), {"a": {"overrides": {}}}, replicates=2), "more than the limit of 3")
    with task_limit(4):
        assert len(compare(tiny(), {"a": {"overrides": {}}}, replicates=2).arms) == 2, "a raised limit lets it run"


def test_a_bad_limit_in_the_environment_is_named(monkeypatch):
    monkeypatch.setenv("SCRUTINY_MAX_TASKS", "lots")
    with pytest.raises(ConfigError, match="SCRUTINY_MAX_TASKS must be a positive integer .* got 'lots'"):
        max_tasks()

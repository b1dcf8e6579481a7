"""Fixtures of the report tests: a tiny stored run and a tiny stored comparison (written once)."""

from __future__ import annotations

import pytest

from scrutiny.experiments import run
from scrutiny.scenario import load_scenario

#: Small enough to run in about a second, big enough for arrests in every replicate.
TINY = {"world.n_people": 40_000, "n_days": 30, "seed": 11}
#: The test comparison: the default scenario (us-interior, 100,000 people, 90 days) against the default
#: safeguards, as `scrutiny demo` runs it but with 2 paired replicates (about 15 s for eleven arms).
COMPARISON = {"seed": 11}


@pytest.fixture(scope="session")
def tiny_results():
    return run(load_scenario(overrides=TINY), replicates=2)


@pytest.fixture(scope="session")
def run_dir(tiny_results, tmp_path_factory):
    return tiny_results.write(tmp_path_factory.mktemp("run") / "out")


@pytest.fixture(scope="session")
def comparison(tmp_path_factory):
    from scrutiny import compare

    return compare(load_scenario(overrides=COMPARISON), replicates=2)


@pytest.fixture(scope="session")
def comparison_dir(comparison, tmp_path_factory):
    return comparison.write(tmp_path_factory.mktemp("cmp") / "out")


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory):
    """A run whose scenario name is markup, written with its report."""
    s = load_scenario(overrides={**TINY, "world.n_people": 10_000, "n_days": 8, "name": "<script>alert(1)</script>"})
    return run(s, replicates=1).write(tmp_path_factory.mktemp("xss") / "out")

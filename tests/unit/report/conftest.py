"""Fixtures of the report tests: a tiny stored run and a tiny stored comparison (written once)."""

from __future__ import annotations

import pytest

from scrutiny.experiments import run
from scrutiny.scenario import load_scenario

#: Small enough to run in about a second, big enough for arrests in every replicate.
TINY = {"world.n_people": 40_000, "n_days": 30, "seed": 11}
#: The test comparison: the default 90 days on a small metro (about 3 s for four arms).
COMPARISON = {"world.n_people": 100_000, "n_days": 90, "seed": 11}


@pytest.fixture(scope="session")
def tiny_results():
    return run(load_scenario(overrides=TINY), replicates=2)


@pytest.fixture(scope="session")
def run_dir(tiny_results, tmp_path_factory):
    return tiny_results.write(tmp_path_factory.mktemp("run") / "out")


@pytest.fixture(scope="session")
def comparison(tmp_path_factory):
    from ._report_fixtures import FakeComparison

    return FakeComparison(COMPARISON, replicates=3)


@pytest.fixture(scope="session")
def comparison_dir(comparison, tmp_path_factory):
    return comparison.write(tmp_path_factory.mktemp("cmp") / "out")


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory):
    """A run whose scenario name is markup, written with its report."""
    s = load_scenario(overrides={**TINY, "world.n_people": 10_000, "n_days": 8, "name": "<script>alert(1)</script>"})
    return run(s, replicates=1).write(tmp_path_factory.mktemp("xss") / "out")

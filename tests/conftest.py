"""Shared fixtures: small scenarios that run in well under a second."""

from __future__ import annotations

import pytest

from scrutiny.scenario import Scenario, load_scenario


def small(**overrides) -> Scenario:
    """A small us-interior scenario (20,000 people, 30 days) with dotted overrides."""
    base = {"world.n_people": 20_000, "n_days": 30}
    base.update(overrides)
    return load_scenario(preset="us-interior", overrides=base)


@pytest.fixture
def small_scenario() -> Scenario:
    return small()


@pytest.fixture(scope="session")
def small_results():
    from scrutiny.experiments import run

    return run(small(), replicates=2)

"""Shared fixtures: small scenarios that run in well under a second."""

from __future__ import annotations

import pytest

from scrutiny.scenario import Scenario, load_scenario


def small(**overrides) -> Scenario:
    """A small us-interior scenario (20,000 people, 30 days) with dotted overrides."""
    base = {"world.n_people": 20_000, "n_days": 30}
    base.update(overrides)
    return load_scenario(preset="us-interior", overrides=base)


def tiny(**overrides) -> Scenario:
    """3,000 people for 5 days (a replicate takes milliseconds), seed 11, with dotted overrides."""
    base = {"world.n_people": 3000, "n_days": 5, "seed": 11}
    base.update(overrides)
    return load_scenario(preset="us-interior", overrides=base)


@pytest.fixture
def small_scenario() -> Scenario:
    return small()


@pytest.fixture(scope="session")
def small_results():
    from scrutiny.experiments import run

    return run(small(), replicates=2)


@pytest.fixture(scope="session")
def dask_cluster():
    """One Dask LocalCluster (2 worker processes, 1 thread each) for the whole session: its start costs seconds."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    yield cluster
    cluster.close()

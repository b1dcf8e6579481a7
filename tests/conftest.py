"""Shared fixtures: small scenarios that run in well under a second."""

from __future__ import annotations

import numpy as np
import pytest

from scrutiny.scenario import Scenario, load_scenario


def small(**overrides) -> Scenario:
    """A small us-interior scenario (20,000 people, 30 days, one site a day on average) with dotted overrides.

    The preset's workload per resident would give a 20,000-person metro one site every two weeks; tests need
    the machinery busy, so the workload is raised to one site a day (``sites_per_day_per_100k`` 1.0 at the
    preset's local intensity 5).
    """
    base = {"world.n_people": 20_000, "n_days": 30, "operations.sites_per_day_per_100k": 1.0}
    base.update(overrides)
    return load_scenario(preset="us-interior", overrides=base)



def assert_same_run(fast, slow) -> None:
    """Two simulations' outputs are equal to the bit: every event column, daily series and other output."""
    assert fast.events.n_rows == slow.events.n_rows and fast.events.n_rows > 0
    for column in slow.events.keys():
        assert np.array_equal(fast.events.get(column), slow.events.get(column)), column
    for name, series in slow.daily.items():
        assert np.array_equal(fast.daily[name], series, equal_nan=True), name
    for name in ("sources", "dissent", "tracts", "lost_visits", "expected_visits"):
        assert _same(getattr(fast, name), getattr(slow, name)), name


def _same(a, b) -> bool:
    """Equal to the bit, through dicts, lists and arrays."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")

def tiny(**overrides) -> Scenario:
    """3,000 people for 5 days (a replicate takes milliseconds), seed 11, one site a day, with dotted overrides."""
    base = {"world.n_people": 3000, "n_days": 5, "seed": 11, "operations.sites_per_day_per_100k": 20.0 / 3.0}
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

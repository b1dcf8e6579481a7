"""Tips (reported leads) and cell-site simulators."""

import math

import numpy as np
import pytest

from scrutiny.codes import is_removable
from scrutiny.rng import Streams
from scrutiny.scenario import CellSiteParams, TipParams, WorldParams
from scrutiny.sources import SOURCE_NAMES, CellSites, Tally, Tips
from scrutiny.world import build_world


@pytest.fixture(scope="module")
def world():
    return build_world(WorldParams(n_people=20_000), Streams(6, 0))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_true_tips_name_removable_people_at_home_and_false_ones_neighbours(world, seed):
    removable = is_removable(world.people.status)
    tips = Tips(world, removable, TipParams(p_false_tip=0.0), 20.0, 50, Streams(seed, 0))
    tally, ti_free = Tally.zeros(), np.zeros(world.people.n, np.int32)
    leads = [tips.day(d, ti_free, removable, tally) for d in range(50)]
    person = np.concatenate([x.person for x in leads])
    assert removable[person].all(), "a true tip names a removable person"
    assert (np.concatenate([x.place for x in leads]) == world.people.home[person]).all()
    # tolerance: 4.5 Poisson standard deviations of 50 days x 20 tips
    assert abs(person.size - 1000) < 4.5 * math.sqrt(1000)
    assert tally.bystanders[SOURCE_NAMES.index("tips")] == 0

    false = Tips(world, removable, TipParams(p_false_tip=1.0), 20.0, 50, Streams(seed, 0))
    named = np.concatenate([false.day(d, ti_free, removable, Tally.zeros()).person for d in range(50)])
    share = removable[named].mean()
    base = removable.mean()
    assert share < 0.5, f"false tips name neighbours, mostly not removable (share {share:.2f}, metro {base:.2f})"


def test_cell_site_simulator_locates_targets_and_counts_every_phone(world):
    removable = is_removable(world.people.status)
    watch = np.flatnonzero(removable)
    p = CellSiteParams(p_link_error=0.0, phones_per_deployment=500.0)
    cell = CellSites(world, watch, p, 3.0, 40, Streams(2, 0))
    tally, ti_free = Tally.zeros(), np.zeros(world.people.n, np.int32)
    n = 0
    for d in range(40):
        leads = cell.day(d, ti_free, removable, tally, lambda who, day: world.people.home[who])
        assert (leads.place == world.people.home[leads.person]).all(), "deployed at the right home, no link error"
        n += leads.n
    j = SOURCE_NAMES.index("cell")
    assert n > 0 and tally.records[j] - tally.bystanders[j] == n, "every phone but the located targets' is a bystander"
    # tolerance: 4.5 sd of a compound Poisson total (Poisson(3 x 40) deployments of Poisson(500) phones)
    assert abs(tally.records[j] - 120 * 500) < 4.5 * math.sqrt(120 * (500 + 500**2)), "about 500 phones per deployment"


def test_cell_site_simulator_at_a_stale_address_finds_nobody(world):
    removable = is_removable(world.people.status)
    watch = np.flatnonzero(removable)
    cell = CellSites(world, watch, CellSiteParams(), 5.0, 1, Streams(2, 0))
    tally = Tally.zeros()

    def elsewhere(who, day):
        return (world.people.home[who] + 1) % 5

    leads = cell.day(0, np.zeros(world.people.n, np.int32), removable, tally, elsewhere)
    assert leads.n == 0 and tally.bystanders[SOURCE_NAMES.index("cell")] == tally.records[SOURCE_NAMES.index("cell")]

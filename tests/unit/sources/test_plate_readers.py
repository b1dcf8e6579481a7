"""Plate readers: every passing vehicle is read; the hot-list share is as configured; bystander accounting."""

import math

import numpy as np
import pytest

from scrutiny.codes import PLACE_TYPES, code, is_removable
from scrutiny.rng import Streams
from scrutiny.scenario import PlateReaderParams, WorldParams
from scrutiny.sources import SIGHTING, PlateReaders, Tally, plate_day_counts
from scrutiny.world import build_world


@pytest.fixture(scope="module")
def world():
    return build_world(WorldParams(n_people=20_000), Streams(3, 0))


def watch_of(world):
    """A stand-in watch list: every truly removable person."""
    return np.flatnonzero(is_removable(world.people.status))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_V_vehicles_a_day_give_V_reads_and_the_configured_hot_list_share(seed):
    p = PlateReaderParams(p_hot_list=0.003, p_false_alert=0.2)
    rng = Streams(seed, 0).generator("sources.plates", step=0)
    v, cams, days = 2000, 10, 100
    reads = hits = false = 0
    for _ in range(days):
        c = plate_day_counts(cams, v, p, rng)
        assert (c["reads"] == v).all(), "a camera passed by V vehicles a day reads exactly V"
        reads, hits, false = reads + c["reads"].sum(), hits + c["hits"].sum(), false + c["false_alerts"].sum()
    assert reads == v * cams * days
    # tolerance: 4.5 binomial standard deviations
    assert abs(hits - reads * 0.003) < 4.5 * math.sqrt(reads * 0.003 * 0.997), "hot-list share as configured"
    assert abs(false - hits * 0.2) < 4.5 * math.sqrt(hits * 0.2 * 0.8), "false-alert share as configured"


def test_cameras_record_every_read_and_count_bystanders(world):
    p = PlateReaderParams(cameras_per_100k=50.0, reads_per_camera_per_day=500.0, p_immigration_entry=0.5)
    watch = watch_of(world)
    cams = PlateReaders(world, watch, p, Streams(4, 0))
    assert cams.n_cameras == 10
    tally, ti_free, removable = Tally.zeros(), np.zeros(world.people.n, np.int32), is_removable(world.people.status)
    n_leads = 0
    for day in range(30):
        before = tally.records.copy(), tally.bystanders.copy()
        leads = cams.day(day, ti_free, removable, tally)
        reads = tally.records - before[0]
        assert reads.sum() == 10 * 500, "reads a day = cameras x vehicles a day"
        bystanders = (tally.bystanders - before[1]).sum()
        assert 10 * 500 - leads.n <= bystanders <= 10 * 500, (
            "every read but a true hit on a target is a bystander record"
        )
        at_place = leads.kind == SIGHTING
        assert np.isin(leads.place[at_place], cams.place).all(), "a sighting pins the person at the camera's place"
        road = leads.place[~at_place]
        at_home = road == world.people.home[leads.person[~at_place]]
        near_camera = np.isin(world.places.tract[road], cams.tract[cams.place < 0])
        assert (road < world.places.n_residences).all() and (at_home | near_camera).all(), (
            "a road hit pins the registered home, a false alert a home where the camera is")
        n_leads += leads.n
    assert n_leads > 0, "with half of all hits on immigration entries, some leads arise"
    assert cams.retained() == 30 * 10 * 500, "a 30-day retention holds every read of a 30-day run"


def test_nobody_in_custody_is_named_by_a_hit(world):
    p = PlateReaderParams(cameras_per_100k=50.0, reads_per_camera_per_day=2000.0, p_immigration_entry=1.0)
    watch = watch_of(world)
    cams = PlateReaders(world, watch, p, Streams(4, 0))
    ti_free = np.zeros(world.people.n, np.int32)
    ti_free[watch[::2]] = 10**6  # half the watch list is detained
    leads = cams.day(0, ti_free, is_removable(world.people.status), Tally.zeros())
    assert leads.n > 0 and (ti_free[leads.person] == 0).all()


def test_place_cameras_watch_non_residential_places(world):
    cams = PlateReaders(world, watch_of(world), PlateReaderParams(cameras_per_100k=100.0, share_at_places=0.5),
                        Streams(4, 0))
    at_place = cams.place >= 0
    assert at_place.sum() == 10 and (world.places.kind[cams.place[at_place]] != code(PLACE_TYPES, "residence")).all()

"""Bulk sources: the start-of-run delivery, the daily flow of refreshed records, and status-inference flags."""

import math

import numpy as np
import pytest

from scrutiny.codes import STATUSES, code, is_removable
from scrutiny.field import enrol
from scrutiny.rng import Streams
from scrutiny.scenario import AgencyParams, BrokerParams, Scenario, WorldParams
from scrutiny.sources import (
    SOURCE_NAMES,
    Records,
    SourceSet,
    Tally,
    admin_records,
    agency_sources,
    broker_source,
    watch_list,
)
from scrutiny.world import build_world


@pytest.fixture(scope="module")
def world():
    return build_world(WorldParams(n_people=30_000), Streams(8, 0))


def records_of(world, streams):
    s = Scenario()
    enrolled = enrol(world.people.status, s.field, streams) > 0
    st = world.people.status
    has = (st != code(STATUSES, "citizen_birth")) & ((st != code(STATUSES, "unauthorised")) | enrolled)
    return admin_records(world, has, s.sources.admin, streams), has


@pytest.mark.parametrize("seed", [0, 1])
def test_broker_refresh_is_a_daily_flow_of_the_configured_size(world, seed):
    streams = Streams(seed, 0)
    records, _ = records_of(world, streams)
    removable = is_removable(world.people.status)
    src = broker_source(world, watch_list(records), removable, BrokerParams(p_refresh_per_day=0.05), streams)
    ti_free, tally, n = np.zeros(world.people.n, np.int32), Tally.zeros(), 0
    days, rng = 60, src.refresh_generator(streams)
    for day in range(days):
        n += src.refresh(world, day, ti_free, removable, tally, rng).n
    mean = days * src.subjects.size * 0.05
    # tolerance: 4.5 binomial standard deviations of the total refreshed
    assert abs(n - mean) < 4.5 * math.sqrt(mean), "refreshed leads arrive every day at the configured rate"
    assert tally.records[SOURCE_NAMES.index("broker")] >= tally.bystanders[SOURCE_NAMES.index("broker")] > 0


def test_broker_addresses_are_right_at_one_minus_link_error(world):
    streams = Streams(2, 0)
    records, _ = records_of(world, streams)
    removable = is_removable(world.people.status)
    src = broker_source(world, watch_list(records), removable, BrokerParams(p_link_error=0.3), streams)
    leads = src.deliver(world, removable, Tally.zeros(), streams, "sources.broker.address")
    right = (world.people.home[leads.person] == leads.place).mean()
    n = leads.n
    assert np.allclose(leads.confidence, 70.0), "confidence 100 x (1 - link error): calibrated"
    assert abs(right - 0.7) < 4.5 * math.sqrt(0.21 / n) + 0.01, "a wrong address can by chance be the home"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_status_inference_false_flag_share_matches_calibration(world, seed):
    """With no immigration records, every agency subject is a status-inference flag."""
    streams = Streams(seed, 0)
    removable = is_removable(world.people.status)
    p = AgencyParams(p_flag_removable=1.0, false_flag_share=0.46)
    p = p.model_copy(update={"health": p.health.model_copy(update={"p_coverage": 1.0, "rel_coverage_removable": 1.0})})
    health = agency_sources(world, np.zeros(0, np.int64), removable, p, streams)[0]
    assert SOURCE_NAMES[health.source] == "agency_health"
    false = (~removable[health.subjects]).sum()
    n = health.subjects.size
    # tolerance: the false count is binomial given the calibrated rate; 4.5 sd of the share, plus 0.005
    assert abs(false / n - 0.46) < 4.5 * math.sqrt(0.46 * 0.54 / n) + 0.005


def test_every_source_off_yields_nothing_and_each_source_is_independent(world):
    streams = Streams(1, 0)
    records, has = records_of(world, streams)
    from scrutiny.scenario import SOURCES, load_scenario

    off = {f"sources.{k}.enabled": False for k in SOURCES.names()}
    off.update({f"sources.agency.{k}.enabled": False for k in ("health", "school", "tax")})

    none = SourceSet(world, records, has, load_scenario(overrides=off), streams)
    assert none.initial().n == 0 and none.day(0, np.zeros(world.people.n, np.int32), lambda p, d: p * 0 - 1).n == 0
    assert none.tally.records.sum() == 0
    tallies = {}
    for drop in ("tips", "plates"):
        s = load_scenario(overrides={f"sources.{drop}.enabled": False})
        src = SourceSet(world, records, has, s, streams)
        src.initial()
        for day in range(5):
            src.day(day, np.zeros(world.people.n, np.int32), lambda p, d: world.people.home[p])
        tallies[drop] = src.tally
    bulk = [SOURCE_NAMES.index(x) for x in ("admin", "broker", "agency_health", "agency_school", "agency_tax")]
    assert np.array_equal(tallies["tips"].records[bulk], tallies["plates"].records[bulk]), (
        "switching one source off does not change another's records (own random streams)")


def test_admin_watch_list_is_records_showing_removable_status():
    rec = Records(status=np.array([-1, 0, 5, 6, 7, 2], dtype=np.int8))  # 7 = recorded as expired
    assert watch_list(rec).tolist() == [2, 3, 4]

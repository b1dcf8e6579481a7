"""Galleries: enrolment by status, the searched union, restricted searches and the stranger's record."""

import numpy as np
import pytest
from field_helpers import matcher

from scrutiny.codes import GALLERIES, RACES, RECORD_STATUSES, STATUSES, code
from scrutiny.field import enrol, searched_union
from scrutiny.rng import Streams
from scrutiny.scenario import FieldParams, Scenario


@pytest.mark.parametrize("seed", range(3))
def test_enrolment_shares_by_status_and_gallery(seed):
    """Each gallery's enrolment rate by status is its p_enrolled, within 4.5 binomial sd."""
    p = FieldParams()
    n = 70_000
    status = (np.arange(n) % len(STATUSES)).astype(np.int8)
    bits = enrol(status, p, Streams(seed, 0))
    for g, name in enumerate(GALLERIES):
        for s, sname in enumerate(STATUSES):
            want = getattr(p.galleries, name).p_enrolled[sname]
            got = ((bits[status == s] >> g) & 1).astype(float)
            sd = np.sqrt(max(want * (1 - want), 1e-12) / got.size)
            assert abs(got.mean() - want) <= 4.5 * sd + 1e-12, f"{name}/{sname}: {got.mean():.4f} vs {want}"


def test_enrolment_does_not_depend_on_which_galleries_are_searched():
    status = np.arange(5000, dtype=np.int8) % len(STATUSES)
    a = enrol(status, FieldParams(), Streams(1, 0))
    b = enrol(status, FieldParams(searched_galleries=("mugshot",)), Streams(1, 0))
    assert np.array_equal(a, b), "enrolment is drawn for every gallery, searched or not (common random numbers)"


def test_union_size_is_the_sum_of_searched_galleries():
    p = FieldParams(searched_galleries=("traveller", "visa"))
    assert searched_union(p).size == pytest.approx(p.galleries.traveller.size + p.galleries.visa.size)
    assert searched_union(FieldParams()).size == pytest.approx(2e8), "CALIBRATION.md: about 2e8 images"


def test_final_orders_only_search_returns_only_final_order_records():
    """The final_orders_gallery_only safeguard as overrides: N shrinks, every record returned is a final order."""
    p = FieldParams(searched_record_statuses=("final_order",))
    n = 40_000
    own = np.where(np.arange(n) % 2 == 0, code(RECORD_STATUSES, "final_order"), code(RECORD_STATUSES, "lpr"))
    m = matcher(p, n, enrolled=True)
    m.own_record[:] = own
    res = m.scan(np.arange(n), 0, Streams(3, 0), threshold=8.0)
    assert res.matched.any()
    assert np.all(res.record[res.matched] == code(RECORD_STATUSES, "final_order"))
    assert not res.mate[own != code(RECORD_STATUSES, "final_order")].any(), "others are not in the searched gallery"
    mix = sum(getattr(p.galleries, g).size * getattr(p.galleries, g).record_mix["final_order"] for g in GALLERIES)
    assert m.gallery_size == pytest.approx(mix)


def test_same_race_weight_shapes_the_stranger_record():
    race_mix = Scenario().world.race_mix
    blind = searched_union(FieldParams(rel_false_match_same_race=1.0), race_mix).record_mix
    assert np.allclose(blind, blind[0]), "race-blind: every probe race sees the same record mix"
    weighted = searched_union(FieldParams(rel_false_match_same_race=10.0), race_mix).record_mix
    removable = [code(RECORD_STATUSES, s) for s in ("unauthorised", "final_order", "expired")]
    hisp, white = RACES.index("hispanic"), RACES.index("white")
    assert weighted[hisp, removable].sum() > blind[hisp, removable].sum() > weighted[white, removable].sum()
    assert np.allclose(weighted.sum(axis=1), 1.0)


def test_bad_gallery_names_and_mixes_are_refused():
    from scrutiny.errors import ConfigError
    from scrutiny.scenario import load_scenario

    with pytest.raises(ConfigError, match="searched_galleries"):
        load_scenario(overrides={"field.searched_galleries": ["passports"]})
    with pytest.raises(ConfigError, match="record_mix"):
        load_scenario(overrides={"field.galleries.visa.record_mix": {"visa": 0.5}})

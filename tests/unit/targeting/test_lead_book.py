"""The lead book: noisy-OR pins, decay, closing and missing, and who the leads at a site name."""

import numpy as np
import pytest

from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams
from scrutiny.sources import ADDRESS, SIGHTING, concat_leads, make_leads
from scrutiny.targeting import LeadBook

P = TargetingParams(address_half_life_days=10.0, sighting_half_life_days=2.0)


def test_leads_on_one_person_and_place_combine_by_noisy_or():
    book = LeadBook(4, 10, P)
    book.add(make_leads([3, 3, 4], [1, 1, 1], [50.0, 60.0, 20.0], source=0), day=0)
    mass, count = book.mass(0)
    assert np.isclose(mass[1], 1 - 0.5 * 0.4 + 0.2) and count[1] == 2, "two pins: person 3 (0.8) and person 4 (0.2)"
    book.add(make_leads([3], [1], [50.0], source=1), day=0)
    assert np.isclose(book.mass(0)[0][1], 1 - 0.5 * 0.4 * 0.5 + 0.2), "a later lead raises the same pin"


def test_confidence_halves_every_half_life_by_kind():
    book = LeadBook(2, 2, P)
    book.add(concat_leads([make_leads([0], [0], [80.0], 0, ADDRESS), make_leads([1], [1], [80.0], 5, SIGHTING)]), day=0)
    mass, _ = book.mass(10)
    assert np.allclose(mass, [0.4, 0.8 / 32]), "address half-life 10 days, sighting 2 days"


def test_detained_people_close_and_missed_pins_decay():
    book = LeadBook(3, 5, P)
    book.add(make_leads([0, 1, 2], [2, 2, 1], [90.0, 40.0, 50.0], source=0), day=0)
    book.visited(np.array([2]), np.array([0]), 0.5, day=0)
    mass, count = book.mass(0)
    assert np.isclose(mass[2], 0.2) and count[2] == 1, "person 0 detained (closed); person 1 missed (halved)"
    assert np.isclose(mass[1], 0.5), "pins elsewhere are untouched"
    book.close(np.array([1, 2]))
    mass, count = book.mass(0)
    assert mass.sum() == 0.0 and count.sum() == 0 and book.n_active == 0


def test_subjects_at_sites_and_named_subjects():
    book = LeadBook(5, 6, P)
    book.add(make_leads([0, 1, 2, 3], [4, 4, 2, 3], [90.0, 30.0, 50.0, 70.0], source=0), day=0,
             named=np.array([True, False, False, True]))
    site_i, person, conf = book.subjects_at(np.array([3, 4]), day=0)
    assert site_i.tolist() == [0, 1, 1] and person.tolist() == [3, 0, 1] and np.allclose(conf, [70, 90, 30])
    site_i, person, _ = book.subjects_at(np.array([4, 2]), day=0, named_only=True)
    assert site_i.tolist() == [0] and person.tolist() == [0], "only subjects whose record shows a final order"


def test_best_place_is_the_most_confident_pin():
    book = LeadBook(5, 4, P)
    book.add(make_leads([1, 1, 2], [0, 3, 4], [30.0, 60.0, 10.0], source=0), day=0)
    assert book.best_place(np.array([1, 2, 3, 1]), day=0).tolist() == [3, 4, -1, 3]


@pytest.mark.parametrize("seed,tail", [(0, 16_384), (1, 16_384), (2, 8)])
def test_per_place_sums_equal_a_recount_from_the_pins(seed, tail, monkeypatch):
    monkeypatch.setattr("scrutiny.targeting._book._TAIL", tail)  # 8: the index merges its tail often
    rng = Streams(seed, 0).generator("experiments.bootstrap")
    n_places, n_people = 40, 60
    book = LeadBook(n_places, n_people, P)
    for day in range(60):
        k = int(rng.integers(0, 30))
        book.add(make_leads(rng.integers(0, n_people, k), rng.integers(0, n_places, k), rng.uniform(1, 100, k),
                            source=0, kind=int(rng.integers(0, 2))), day=day)
        book.visited(rng.integers(0, n_places, 3), rng.integers(0, n_people, 2), 0.5, day)
        mass, count = book.mass(day)
        active = np.flatnonzero(book.active[: book.n])
        want = np.bincount(book.place[active], weights=book.confidence(active, day), minlength=n_places)
        assert np.allclose(mass, want, atol=1e-9), "incremental sums match a recount"
        assert np.array_equal(count, np.bincount(book.place[active], minlength=n_places))
        assert book.n_active == active.size, "the running count of active pins"
        live = book._live[: book._n_live]
        assert np.unique(live).size == live.size, "a pin is listed once, however often it reopens"
        assert np.isin(active, live).all(), "every active pin is listed (the sweep looks only there)"
        assert np.array_equal(np.flatnonzero(book.listed[: book.n]), np.sort(live))
        if day % 7 == 0:  # the sweep kept the active pins only, then dropped the faded ones (still listed)
            dropped = np.setdiff1d(live, active)
            assert (book.confidence(dropped, day) < 0.01).all()
        keys = book.person[: book.n] * n_places * 2 + book.place[: book.n] * 2 + book.kind[: book.n]
        assert np.unique(keys).size == book.n, "one pin per (person, place, kind)"
        site_i, person, _ = book.subjects_at(np.arange(n_places), day)
        assert site_i.size == np.unique(book.person[active] * n_places + book.place[active]).size

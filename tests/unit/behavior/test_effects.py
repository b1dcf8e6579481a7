"""The sourced effects: school days lost after one operation follow the configured effect and decay (truth check)."""

import numpy as np
import pytest
from tests.conftest import small

from scrutiny.behavior import SourcedEffects, school_days_lost_after_one_operation
from scrutiny.codes import Vocabulary
from scrutiny.rng import Streams
from scrutiny.scenario import BehaviorParams
from scrutiny.world import build_world


def _world():
    s = small(**{"world.n_people": 5000})
    return build_world(s.world, Streams(s.seed, 0), Vocabulary(s.jurisdiction))


@pytest.mark.parametrize("rel,dur", [(0.22, 60.0), (0.5, 10.0)])
def test_school_days_lost_after_one_operation_follow_effect_and_decay(rel, dur):
    world = _world()
    p = BehaviorParams(rel_school_absence_after_operation=rel, dur_school_effect=dur)
    effects = SourcedEffects(world, p)
    k = int(np.argmax(effects.children.sum(axis=1)))
    ops = np.zeros(world.tracts.n, dtype=np.int64)
    ops[k] = 1
    fear = np.zeros(world.tracts.n)
    lost = []
    for t in range(90):
        before = effects.school_days_lost.sum()
        effects.step(t, ops if t == 0 else np.zeros_like(ops), fear)
        lost.append(effects.school_days_lost.sum() - before)
    want = school_days_lost_after_one_operation(effects.children[k].sum(), np.arange(90), p)
    np.testing.assert_allclose(lost, want, rtol=1e-9, atol=1e-12)
    first = effects.children[k].sum() * p.p_school_absence * rel
    assert lost[1] == pytest.approx(first), "the day after: the full rise in absences"
    assert lost[1 + 7 * 4] == pytest.approx(first * np.exp(-28 / dur)), "four weeks on: decayed"
    assert lost[5] == lost[6] == 0.0, "no school at the weekend"


def test_citizen_pupils_in_mixed_households_are_counted_among_citizens():
    world = _world()
    effects = SourcedEffects(world, BehaviorParams())
    ops = np.ones(world.tracts.n, dtype=np.int64)
    for t in range(5):
        effects.step(t, ops, np.zeros(world.tracts.n))
    citizen = world.vocab.citizen
    assert 0 < effects.school_days_lost_citizen_mixed < effects.school_days_lost[citizen].sum()


def test_wic_enrolments_lost_reach_the_sourced_odds_ratio_at_full_fear():
    world = _world()
    p = BehaviorParams()
    effects = SourcedEffects(world, p)
    effects.step(0, np.zeros(world.tracts.n, np.int64), np.full(world.tracts.n, 1e6))
    births = effects.exposed * p.births_per_1000 / 365_000
    odds = p.p_wic_prenatal / (1 - p.p_wic_prenatal) * p.wic_odds_ratio_chilled
    want = (p.p_wic_prenatal - odds / (1 + odds)) * births.sum()
    assert effects.benefit_enrolments_lost.sum() == pytest.approx(want, rel=1e-12)
    calm = SourcedEffects(world, p)
    calm.step(0, np.zeros(world.tracts.n, np.int64), np.zeros(world.tracts.n))
    assert calm.benefit_enrolments_lost.sum() == 0.0, "no fear, nothing lost"

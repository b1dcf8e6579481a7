"""Contract checks for every registered component, in the style of scikit-learn's ``check_estimator``.

Each ``check_*`` function takes a registered name and asserts what any component of that kind must
do: leave its inputs unmodified, return the right dtypes and shapes, give the same output for the
same seed, and (where the kind has an "off" state) reproduce the baseline bit for bit when off.
``tests/contracts/test_components.py`` runs them over every registered id; a test that registers a
new component calls :func:`run_checks` on it and needs no check of its own.
"""

from __future__ import annotations

import hashlib

import numpy as np

from scrutiny.operations import simulate
from scrutiny.operations._loop import _setup
from scrutiny.rng import Streams
from scrutiny.scenario import DECISION_RULES, SCAN_POLICIES, SELECTION_POLICIES, SOURCES, TRIGGERS, load_scenario
from scrutiny.sources import ADDRESS, SIGHTING
from scrutiny.targeting import PlaceScores, make_policy, select_sites

BASE = {"world.n_people": 5000, "n_days": 8, "seed": 5, "operations.sites_per_day_per_100k": 4.0}


def scenario(**overrides):
    """A small scenario (5,000 people, 8 days, one site a day at the preset's intensity 5) with dotted overrides."""
    return load_scenario(preset="us-interior", overrides={**BASE, **overrides})


def same_run(a, b) -> bool:
    """Two simulated replicates are identical: every event column and every daily series."""
    return all(np.array_equal(a.events[c], b.events[c]) for c in a.events) and all(
        np.array_equal(a.daily[k], b.daily[k], equal_nan=True) for k in a.daily)


def _digest(*arrays: np.ndarray) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def check_selection_policy(name: str) -> None:
    """A selection policy: valid sites, probabilities, no mutation, deterministic, runs end to end."""
    s = scenario(**{"targeting.policy": name})
    policy = make_policy(s.targeting)
    rng = np.random.default_rng(0)
    n = 200
    scores = PlaceScores(score=rng.gamma(0.5, 1.0, n) * (rng.random(n) < 0.7), lead_mass=rng.random(n),
                         lead_count=rng.integers(0, 3, n), arrests=rng.poisson(0.5, n).astype(float),
                         visits=rng.poisson(2.0, n).astype(float))
    eligible = rng.random(n) < 0.9
    before = _digest(scores.score, scores.lead_mass, scores.lead_count, scores.arrests, scores.visits, eligible)
    for capacity in (0, 1, 7, 500):
        a = select_sites(scores, eligible, capacity, 3, s.targeting, Streams(1, 0), policy=policy)
        b = select_sites(scores, eligible, capacity, 3, s.targeting, Streams(1, 0), policy=policy)
        assert a.sites.dtype.kind == "i" and a.sites.size <= capacity, (name, capacity)
        assert np.array_equal(a.sites, b.sites) and np.array_equal(a.p_visit, b.p_visit, equal_nan=True), name
        assert np.unique(a.sites).size == a.sites.size, f"{name}: a site chosen twice"
        assert eligible[a.sites].all(), f"{name}: chose an ineligible place"
        assert a.p_visit.shape == a.sites.shape and a.p_visit.dtype == np.float64
        assert np.all(np.isnan(a.p_visit) | ((a.p_visit > 0) & (a.p_visit <= 1))), name
        assert 0.0 <= a.p_mean <= 1.0
    assert _digest(scores.score, scores.lead_mass, scores.lead_count, scores.arrests, scores.visits,
                   eligible) == before, f"{name} modified its inputs"
    increment = policy.feedback(np.array([1, 0, 3]), np.array([0.5, 1.0, 0.2]), 0.4)
    assert increment.shape == (3,) and np.all(np.isfinite(increment)) and np.all(increment >= 0)
    assert same_run(simulate(s), simulate(s)), f"{name}: same seed, different run"


def check_source(name: str) -> None:
    """A data source: valid leads on its own channels, tallies that add up, no mutation, independent streams.

    Switching the source off changes no other source's delivery at the start or on day 0 (each
    source draws only from its own streams), and the same seed gives the same leads.
    """
    s = scenario()
    run = _setup(s, 0)
    world = run.world
    before = _digest(world.people.status, world.people.home, world.places.kind, run.own_record)
    own = [src for src in run.sources.sources if src.name == name]
    assert own, f"source {name} is not enabled in the default scenario"
    src = own[0]
    channels = [run.sources.channels.index(c) for c in type(src).channels_of(name)]
    t0 = run.sources.tally
    leads = [src.initial(t0), src.day(0, run.ti_free, t0, run.book.best_place)]
    for lead in leads:
        assert lead.person.dtype == np.int32 and lead.place.dtype == np.int32 and lead.confidence.dtype == np.float32
        assert np.isin(lead.source, channels).all(), f"{name} wrote leads under another source's channel"
        assert ((lead.confidence >= 0) & (lead.confidence <= 100)).all()
        assert np.isin(lead.kind, [ADDRESS, SIGHTING]).all()
        assert ((lead.place >= 0) & (lead.place < world.places.n)).all()
        assert ((lead.person >= 0) & (lead.person < world.people.n)).all()
    assert np.all(t0.bystanders <= t0.records + 1e-9) and np.all(t0.records >= 0)
    assert _digest(world.people.status, world.people.home, world.places.kind, run.own_record) == before
    again = _setup(s, 0)
    other = [x for x in again.sources.sources if x.name == name][0]
    assert _same_leads(other.initial(again.sources.tally), leads[0]), f"{name}: same seed, different leads"

    off = _setup(scenario(**{f"sources.{name}.enabled": False}), 0)
    on = _setup(s, 0)
    for a in on.sources.sources:
        if a.name == name:
            continue
        b = [x for x in off.sources.sources if x.name == a.name][0]
        assert _same_leads(a.initial(on.sources.tally), b.initial(off.sources.tally)), (name, a.name)
        assert _same_leads(a.day(0, on.ti_free, on.sources.tally, on.book.best_place),
                           b.day(0, off.ti_free, off.sources.tally, off.book.best_place)), (name, a.name)


def _same_leads(a, b) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("person", "place", "confidence", "source",
                                                                        "kind"))


def check_scan_policy(name: str) -> None:
    """A scan policy: a bool per person present, no mutation, deterministic; widening scans everyone."""
    s = scenario(**{"field.scan_policy": name})
    run = _setup(s, 0)
    person = np.arange(0, run.world.people.n, 3, dtype=np.int64)
    named = (person % 5 == 0) if run.matcher.needs_named else None
    before = _digest(person)
    a = run.matcher.scan(person, 2, run.streams, named=named)
    b = run.matcher.scan(person, 2, run.streams, named=named)
    assert a.scanned.dtype == np.bool_ and a.scanned.shape == person.shape
    assert all(np.array_equal(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__), name
    assert not a.matched[~a.scanned].any(), f"{name}: someone not scanned was matched"
    assert _digest(person) == before
    assert run.matcher.scan(person, 2, run.streams, named=named, widen=True).scanned.all()
    assert same_run(simulate(s), simulate(s)), f"{name}: same seed, different run"


def check_decision_rule(name: str) -> None:
    """A decision rule: only ever clears (never adds a detention), deterministic, neutral = baseline exactly."""
    impl = DECISION_RULES.implementation(name)
    base = simulate(scenario())
    block = {"name": name, **impl.neutral(tuple(scenario().jurisdiction.statuses))}
    neutral = simulate(scenario(**{"field.decision": [block]}))
    assert same_run(base, neutral), f"{name} with its neutral parameters changed the run"
    run = _setup(scenario(**{"field.decision": name}), 0)
    person = np.arange(run.world.people.n, dtype=np.int64)
    with_rule = run.matcher.scan(person, 1, run.streams)
    ref = _setup(scenario(), 0).matcher.scan(person, 1, run.streams)
    assert not (with_rule.detained & ~ref.detained).any(), f"{name} detained someone the baseline did not"
    assert np.array_equal(with_rule.flagged, ref.flagged)
    cleared = with_rule.cleared >= 0
    assert not (cleared & ~with_rule.flagged).any(), f"{name} cleared someone who was not flagged"
    again = _setup(scenario(**{"field.decision": name}), 0).matcher.scan(person, 1, run.streams)
    assert np.array_equal(again.cleared, with_rule.cleared)


#: A US-like jurisdiction with two service points, so that status checks have somewhere to happen.
WITH_SERVICES = {"base": "us", "service_points": {
    "landlord": {"label": "Landlord", "users": "adults", "per_person_per_year": 5.0},
    "clinic": {"label": "Clinic registration", "users": "everyone", "per_person_per_year": 2.0},
}}


def check_trigger(name: str) -> None:
    """An encounter trigger: runs alone and after site visits, deterministic, well-formed events."""
    for triggers in ([name], ["site_visit", name]):
        s = scenario(**{"operations.triggers": triggers, "jurisdiction": WITH_SERVICES})
        a, b = simulate(s), simulate(s)
        assert same_run(a, b), f"{name}: same seed, different run"
        e = a.events
        assert np.all(np.diff(e["day"]) >= 0), f"{name}: events out of day order"
        assert ((e["person"] >= -1) & (e["person"] < s.world.n_people)).all()


CHECKS = {
    "targeting.policy": (SELECTION_POLICIES, check_selection_policy),
    "sources": (SOURCES, check_source),
    "field.scan_policy": (SCAN_POLICIES, check_scan_policy),
    "field.decision": (DECISION_RULES, check_decision_rule),
    "operations.triggers": (TRIGGERS, check_trigger),
}


def run_checks(point: str, name: str) -> None:
    """Run the contract checks of extension point ``point`` on the registered component ``name``."""
    CHECKS[point][1](name)

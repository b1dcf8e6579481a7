"""Scan policies and decision rules: rates, exact safeguard monotonicity, and no-op arms on common random numbers."""

import numpy as np
import pytest
from field_helpers import matcher, one_gallery

from scrutiny.codes import GROUPS, OUTCOMES, RECORD_STATUSES, STATUSES, code
from scrutiny.field import ScanResult
from scrutiny.rng import Streams

MIX = {s: 1 / len(RECORD_STATUSES) for s in RECORD_STATUSES}
N = 60_000


def population(n: int = N, **extra):
    """People of every status and group, a third enrolled, own records right; one gallery of 5e7."""
    status = (np.arange(n) % len(STATUSES)).astype(np.int8)
    m = matcher(one_gallery(5e7, mix=MIX, **extra), n, enrolled=np.arange(n) % 3 == 0)
    m.status[:] = status
    m.own_record[:] = status
    return m


def same(a: ScanResult, b: ScanResult) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)


@pytest.mark.parametrize("seed", range(3))
def test_documents_honoured_never_adds_a_detention(seed):
    """Exact with common random numbers: the same people, same day, documents honoured => a subset detained."""
    base = population().scan(np.arange(N), 2, Streams(seed, 0))
    docs = population(decision="documents_honoured").scan(np.arange(N), 2, Streams(seed, 0))
    assert not (docs.detained & ~base.detained).any()
    citizens = np.isin(np.arange(N) % len(STATUSES), [0, 1])
    assert (docs.detained & citizens).sum() < (base.detained & citizens).sum()
    removable = np.isin(np.arange(N) % len(STATUSES), [5, 6])
    assert np.array_equal(docs.detained[removable], base.detained[removable]), "removable people carry no proof"


def test_documents_rate_by_status():
    """Cleared share of flagged citizens by birth is p_carries_documents, within 4.5 sd."""
    m = population(n=200_000, decision="documents_honoured")
    res = m.scan(np.arange(200_000), 1, Streams(0, 0))
    cit = (np.arange(200_000) % len(STATUSES) == 0) & res.flagged
    p = m.p.decision[0].p_carries_documents["citizen_birth"]
    got = (res.cleared[cit] == code(OUTCOMES, "cleared_documents")).mean()
    assert abs(got - p) < 4.5 * np.sqrt(p * (1 - p) / cit.sum())


def test_human_review_rejects_false_and_true_matches_at_their_rates():
    m = population(n=200_000, decision={"name": "human_review", "p_rejects_false": 0.6, "p_rejects_true": 0.1})
    res = m.scan(np.arange(200_000), 1, Streams(0, 0))
    for kind, p in ((res.false_match, 0.6), (res.mate, 0.1)):
        sel = kind & res.flagged
        got = (res.cleared[sel] == code(OUTCOMES, "cleared_review")).mean()
        assert abs(got - p) < 4.5 * np.sqrt(p * (1 - p) / sel.sum()), (p, got)


def test_digital_status_check_reads_the_persons_own_record():
    m = population(decision={"name": "digital_status_check", "p_fails": 0.0})
    m.own_record[::2] = code(RECORD_STATUSES, "expired")  # wrong own records: the service repeats the error
    res = m.scan(np.arange(N), 1, Streams(0, 0))
    wrong = np.zeros(N, bool)
    wrong[::2] = True
    lawful = ~np.isin(m.status, [5, 6])
    assert not (res.cleared[wrong & res.flagged] >= 0).any()
    assert (res.cleared[~wrong & lawful & res.flagged] == code(OUTCOMES, "cleared_status_check")).all()


@pytest.mark.parametrize("arm", [
    {"decision": {"name": "documents_honoured", "p_carries_documents": {s: 0.0 for s in STATUSES}}},
    {"decision": {"name": "human_review", "p_rejects_false": 0.0, "p_rejects_true": 0.0}},
    {"decision": {"name": "digital_status_check", "p_fails": 1.0}},
    {"scan_policy": {"name": "appearance", "p_scan": {g: 1.0 for g in GROUPS}}},
], ids=["documents-none-carried", "review-rejects-nothing", "status-check-always-fails", "appearance-all"])
def test_an_arm_that_changes_nothing_reproduces_the_baseline_exactly(arm):
    base = population().scan(np.arange(N), 4, Streams(9, 0))
    other = population(**arm).scan(np.arange(N), 4, Streams(9, 0))
    assert same(base, other)


def test_appearance_scan_rates_by_group():
    m = population(n=160_000, scan_policy="appearance")
    res = m.scan(np.arange(160_000), 0, Streams(0, 0))
    group = m.group
    for g, name in enumerate(GROUPS):
        p = m.p.scan_policy.p_scan[name]
        got = res.scanned[group == g].mean()
        assert abs(got - p) <= 4.5 * np.sqrt(p * (1 - p) / (group == g).sum()) + 1e-12, name
    assert not res.matched[~res.scanned].any(), "nobody unscanned is matched"


def test_named_only_scans_the_named_and_widen_scans_everyone():
    m = population(n=1000, scan_policy="named_only")
    named = np.arange(1000) % 10 == 0
    res = m.scan(np.arange(1000), 0, Streams(0, 0), named=named)
    assert np.array_equal(res.scanned, named)
    assert m.scan(np.arange(1000), 0, Streams(0, 0), named=named, widen=True).scanned.all()

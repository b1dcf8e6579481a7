import numpy as np
import pytest

from scrutiny.codes import GROUPS, RECORD_STATUSES, code
from scrutiny.field import DEFAULT_THRESHOLD, Matcher, fmr_by_group, fnmr, fpir
from scrutiny.rng import Streams
from scrutiny.scenario import FieldParams

ONLY_FALSE = {
    "gallery_size": 1e7,
    "false_match_record_mix": {s: (1.0 if s == "final_order" else 0.0) for s in RECORD_STATUSES},
}


def test_fpir_closed_form_matches_calibration():
    # CALIBRATION.md: FPIR 0.003 at N = 1.2e7 gives FMR about 2.5e-10, and FPIR about 0.05 at N = 2e8.
    assert fpir(2.5e-10, 1.2e7) == pytest.approx(0.003, rel=0.01)
    assert fpir(2.5e-10, 2e8) == pytest.approx(0.0488, rel=0.01)


def test_group_multipliers_scale_fmr():
    p = FieldParams()
    f = fmr_by_group(p)
    for g in GROUPS:
        assert f[GROUPS.index(g)] == pytest.approx(p.rel_fmr_group[g] * 10 * 10 ** -DEFAULT_THRESHOLD)


def test_fnmr_at_default_threshold_is_published_figure():
    assert fnmr(FieldParams(capture="field")) == pytest.approx(0.035)
    assert fnmr(FieldParams(capture="mugshot")) == pytest.approx(0.012)
    assert fnmr(FieldParams(), threshold=11.0) > fnmr(FieldParams())


@pytest.mark.parametrize("seed", range(100))
def test_closed_form_false_flags_any_seed(seed):
    """With nobody enrolled, flags = scans x FPIR_g(N) within 4.5 binomial standard deviations."""
    p = FieldParams(**ONLY_FALSE)
    n = 20_000
    group = np.arange(n) % len(GROUPS)
    m = Matcher.build(p, enrolled=np.zeros(n, bool), own_record=np.zeros(n, np.int8))
    res = m.scan(np.arange(n), group, day=0, streams=Streams(seed, 0))
    expected = m.fpir_group[group]
    sd = np.sqrt((expected * (1 - expected)).sum())
    assert abs(res.flagged.sum() - expected.sum()) < 4.5 * sd
    assert not res.mate.any()


def test_stricter_threshold_never_adds_a_false_match():
    n = 50_000
    group = np.arange(n) % len(GROUPS)
    p = FieldParams(**ONLY_FALSE)
    prev = None
    for tau in (8.0, 9.0, 9.6, 10.5, 12.0):
        m = Matcher.build(p, np.zeros(n, bool), np.zeros(n, np.int8), threshold=tau)
        fm = m.scan(np.arange(n), group, 3, Streams(1, 0)).false_match
        if prev is not None:
            assert not (fm & ~prev).any(), f"threshold {tau} produced a false match that a looser one did not"
        prev = fm


def test_mate_returns_own_record():
    n = 1000
    own = np.full(n, code(RECORD_STATUSES, "lpr"), dtype=np.int8)
    m = Matcher.build(FieldParams(), np.ones(n, bool), own)
    res = m.scan(np.arange(n), np.zeros(n, np.int64), 0, Streams(0, 0))
    assert np.all(res.record[res.mate] == own[res.mate])
    assert not res.flagged[res.mate].any(), "an LPR record is not a removable status"
    assert 0.9 < res.mate.mean() < 1.0

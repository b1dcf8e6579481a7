"""The parametric 1:N matcher: calibration, closed forms, group differentials, monotonicity."""

import numpy as np
import pytest
from field_helpers import FINAL_ORDER_ONLY, LPR, matcher, one_gallery

from scrutiny.codes import GROUPS, RECORD_STATUSES, code
from scrutiny.field import DEFAULT_THRESHOLD, fmr_by_group, fnmr, fpir
from scrutiny.rng import Streams
from scrutiny.scenario import FieldParams

RULES = ("fixed", "target_fpir")


def expected_fmr(p: FieldParams, n: float) -> np.ndarray:
    """Per-comparison FMR of each group at the operating point, derived independently of the matcher."""
    if p.threshold_rule == "fixed":
        return fmr_by_group(p)
    fmr_star = -np.expm1(np.log1p(-p.target_fpir) / n)  # the reference group's FPIR over n is the target
    fmr_cap = -np.expm1(np.log1p(-p.max_group_fpir) / n)
    rel = np.array([p.rel_fmr_group[g] for g in GROUPS]) / p.rel_fmr_group["white_man"]
    return np.minimum(rel * fmr_star, fmr_cap)


def test_fpir_closed_form_matches_calibration():
    # CALIBRATION.md: FPIR 0.003 at N = 1.2e7 gives FMR about 2.5e-10, and FPIR about 0.05 at N = 2e8.
    assert fpir(2.5e-10, 1.2e7) == pytest.approx(0.003, rel=0.01)
    assert fpir(2.5e-10, 2e8) == pytest.approx(0.0488, rel=0.01)


def test_group_multipliers_scale_fmr():
    p = FieldParams()
    f = fmr_by_group(p, DEFAULT_THRESHOLD)
    for g in GROUPS:
        assert f[GROUPS.index(g)] == pytest.approx(p.rel_fmr_group[g] * 10 * 10 ** -DEFAULT_THRESHOLD)


def test_fnmr_at_the_operating_point_is_the_published_figure():
    assert fnmr(FieldParams(capture="field")) == pytest.approx(0.05)
    assert fnmr(FieldParams(capture="mugshot")) == pytest.approx(0.0012)
    assert fnmr(FieldParams(target_fpir=0.0003)) > fnmr(FieldParams()) > fnmr(FieldParams(target_fpir=0.03))
    assert fnmr(FieldParams(), threshold=13.0) > fnmr(FieldParams())


def test_the_operating_point_gives_the_reference_group_the_target_fpir_at_any_gallery_size():
    for size in (1e6, 3e7, 2e8):
        for target in (0.001, 0.003, 0.05):
            _, got = matcher(one_gallery(size, target_fpir=target), 8).rates()
            assert got[0] == pytest.approx(target, rel=1e-9), (size, target)


def test_no_group_exceeds_the_cap_at_the_operating_point():
    _, got = matcher(one_gallery(2e8, target_fpir=0.01, max_group_fpir=0.03), 8).rates()
    assert got.max() == pytest.approx(0.03, rel=1e-9) and got[0] == pytest.approx(0.01, rel=1e-9)


@pytest.mark.parametrize("rule", RULES)
def test_matcher_rates_are_the_closed_form_over_one_gallery(rule):
    p = one_gallery(3e7, threshold_rule=rule)
    _, got = matcher(p, 8).rates()
    f = expected_fmr(p, 3e7)
    want = -np.expm1(3e7 * np.log1p(-f))  # 1 - (1 - FMR)^N, computed without cancellation
    assert np.allclose(got, want, rtol=1e-9), "FPIR(N) = 1 - (1 - FMR)^N, group by group"


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("seed", range(100))
def test_closed_form_false_flags_any_seed(seed, rule):
    """One gallery of N images, FMR f, nobody enrolled: flags = scans x (1 - (1 - f)^N), within 4.5 sd."""
    n, size = 20_000, 1e7
    m = matcher(one_gallery(size, threshold_rule=rule), n)
    group = np.arange(n) % len(GROUPS)
    res = m.scan(np.arange(n), day=0, streams=Streams(seed, 0))
    expected = 1 - (1 - expected_fmr(m.p, size)[group]) ** size
    sd = np.sqrt((expected * (1 - expected)).sum())
    assert abs(res.flagged.sum() - expected.sum()) < 4.5 * sd
    assert not res.mate.any() and res.scanned.all()


@pytest.mark.parametrize("seed", range(5))
def test_group_differential_recovers_multiplier(seed):
    """Equal everything but a multiplier m for one group: the false-match rate ratio is m.

    Tolerance: 4.5 sd of the ratio (delta method) around FPIR(m f) / FPIR(f), which is within 0.5% of m
    because N f is small here (FPIR of the reference group about 0.002).
    """
    m_mult, n = 5.0, 400_000
    rel = {g: 1.0 for g in GROUPS} | {"black_woman": m_mult}
    p = one_gallery(8e5, rel_fmr_group=rel, threshold_rule="fixed")
    group = np.where(np.arange(n) % 2 == 0, GROUPS.index("white_man"), GROUPS.index("black_woman"))
    res = matcher(p, n, group=group).scan(np.arange(n), 0, Streams(seed, 0))
    ref, other = res.false_match[group == 0].mean(), res.false_match[group != 0].mean()
    _, fp = matcher(p, 1).rates()
    want = fp[GROUPS.index("black_woman")] / fp[0]
    assert want == pytest.approx(m_mult, rel=0.005)
    k = n / 2
    sd = (other / ref) * np.sqrt((1 - ref) / (ref * k) + (1 - other) / (other * k))
    assert abs(other / ref - want) < 4.5 * sd, f"ratio {other / ref:.3f} vs {want:.3f} (sd {sd:.3f})"


def test_stricter_threshold_never_adds_a_false_match():
    """Exact with common random numbers, including enrolled people whose mate may be outscored."""
    n = 60_000
    p = one_gallery(2e8, mix={s: 1 / len(RECORD_STATUSES) for s in RECORD_STATUSES})
    m = matcher(p, n, enrolled=np.arange(n) % 2 == 0)
    prev = None
    for tau in (7.0, 8.0, 9.0, 9.6, 10.5, 12.0):
        fm = m.scan(np.arange(n), 3, Streams(1, 0), threshold=tau).false_match
        if prev is not None:
            assert not (fm & ~prev).any(), f"threshold {tau} produced a false match that a looser one did not"
        prev = fm
    assert prev.sum() < fm.size, "sanity"


def test_lower_threshold_never_removes_a_false_match_or_a_flag():
    n = 40_000
    m = matcher(one_gallery(5e7), n, enrolled=np.arange(n) % 3 == 0)
    hi = m.scan(np.arange(n), 5, Streams(2, 0), threshold=10.6)
    lo = m.scan(np.arange(n), 5, Streams(2, 0), threshold=10.1)
    assert not (hi.false_match & ~lo.false_match).any()
    assert lo.false_match.sum() > hi.false_match.sum()


def test_mate_returns_own_record():
    n = 1000
    res = matcher(FieldParams(scan_policy="everyone"), n, enrolled=True).scan(np.arange(n), 0, Streams(0, 0))
    assert np.all(res.record[res.mate] == LPR)
    assert not res.flagged[res.mate].any(), "an LPR record is not a removable status"
    assert 0.9 < res.mate.mean() < 1.0


def test_outscored_mate_returns_a_stranger():
    """With an absurdly loose threshold impostors outscore some mates; the top candidate is then a stranger."""
    n = 20_000
    p = one_gallery(2e8, threshold=3.0, threshold_rule="fixed")
    res = matcher(p, n, enrolled=True).scan(np.arange(n), 0, Streams(4, 0))
    assert res.false_match.any() and res.mate.any()
    assert np.all(res.record[res.false_match] == code(RECORD_STATUSES, "final_order"))


def test_candidate_list_length():
    """Impostors above threshold ~ Poisson(lambda) with lambda = -log(1 - FPIR); 4.5 sd tolerance."""
    n = 50_000
    m = matcher(one_gallery(2e8, rel_fmr_group={g: 1.0 for g in GROUPS}), n)
    res = m.scan(np.arange(n), 0, Streams(5, 0))
    lam = -np.log1p(-m.rates()[1][0])
    assert np.array_equal(res.n_candidates > 0, res.false_match), "a list is non-empty exactly when a match returns"
    assert abs(res.n_candidates.mean() - lam) < 4.5 * np.sqrt(lam / n)


def test_final_order_mix_means_every_false_match_is_flagged():
    res = matcher(one_gallery(1e8, mix=FINAL_ORDER_ONLY), 5000).scan(np.arange(5000), 0, Streams(0, 0))
    assert np.array_equal(res.flagged, res.false_match)

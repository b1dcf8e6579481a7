"""The empirical matcher: score-file validation, equivalence with the parametric model, tail extrapolation."""

import numpy as np
import pytest
from field_helpers import one_gallery

from scrutiny.codes import GROUPS
from scrutiny.errors import InputError, PersonalDataError
from scrutiny.field import EmpiricalScores, Exceedance, Matcher, ParametricScores
from scrutiny.rng import Streams

N_EVAL = 1.2e7  # gallery size of the simulated 1:N evaluation (NIST FRVT 1:N convention)


def draw_file(path, p, *, n_genuine=4000, n_top=20_000, seed=0, kinds=("genuine", "nonmated_top")):
    """Write a score file drawn from the parametric model ``p`` (generator used only to build test data)."""
    rng = np.random.default_rng(seed)
    model = ParametricScores.from_params(p)
    rows = []
    for g, name in enumerate(GROUPS):
        if "genuine" in kinds:
            rows += [(name, "genuine", s, "") for s in model.mu[g] + model.sd * rng.standard_normal(n_genuine)]
        if "nonmated_top" in kinds:  # the best of N_EVAL impostors: invert FPIR(s; N_EVAL) = u
            u = rng.random(n_top)
            s = model.log10_tail[g] - np.log10(-np.expm1(np.log1p(-u) / N_EVAL))
            rows += [(name, "nonmated_top", x, f"{N_EVAL:g}") for x in s]
    text = "group,kind,score,gallery_size\n" + "".join(f"{a},{b},{float(c)!r},{d}\n" for a, b, c, d in rows)
    path.write_text(text)
    return path


def write(tmp_path, text, name="scores.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def valid_rows(n=60, kind="genuine", group="white_man", score=12.0, step=0.01):
    return "".join(f"{group},{kind},{score + i * step}\n" for i in range(n))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    p = one_gallery(2e8)
    return p, draw_file(tmp_path_factory.mktemp("scores") / "drawn.csv", p)


def test_drawn_file_gives_the_parametric_rates(drawn):
    """FNMR and FPIR(N = 2e8) per group within 4.5 sd of their sampling error in the file (delta method)."""
    p, path = drawn
    par, emp = ParametricScores.from_params(p), EmpiricalScores.from_file(path, threshold=p.threshold)
    groups = np.arange(len(GROUPS))
    f_par, f_emp = par.fnmr(p.threshold), emp.fnmr(p.threshold)
    assert np.all(np.abs(f_emp - f_par) < 4.5 * np.sqrt(f_par * (1 - f_par) / 4000))
    q = par.fpir(p.threshold, groups, N_EVAL)  # what the file estimates directly
    k = 2e8 / N_EVAL
    got, want = emp.fpir(p.threshold, groups, 2e8), par.fpir(p.threshold, groups, 2e8)
    sd = k * (1 - q) ** (k - 1) * np.sqrt(q * (1 - q) / 20_000)  # d FPIR(N) / d q times sd of q
    assert np.all(np.abs(got - want) < 4.5 * sd), (got, want)


def test_drawn_file_gives_the_parametric_scan_outcomes(drawn):
    """The same scans (common random numbers) under both matchers: false-match and mate rates agree."""
    p, path = drawn
    n = 80_000
    group = (np.arange(n) % len(GROUPS)).astype(np.int8)
    kw = dict(enrolment=np.arange(n) % 2 == 0, own_record=np.full(n, 2, np.int8), group=group,
              status=np.full(n, 2, np.int8))
    a = Matcher.build(p, **kw).scan(np.arange(n), 0, Streams(0, 0))
    emp = EmpiricalScores.from_file(path, rule=p.threshold_rule, target_fpir=p.target_fpir, n=2e8,
                                    tail="exponential")
    b = Matcher.build(p, scores=emp, **kw).scan(np.arange(n), 0, Streams(0, 0))
    for name in ("false_match", "mate"):
        x, y = getattr(a, name).mean(), getattr(b, name).mean()
        assert abs(x - y) < 0.02 * max(x, 1e-3) + 4.5 * np.sqrt(x * (1 - x) / 20_000), (name, x, y)


def test_exponential_tail_recovers_fmr_beyond_the_file():
    """1e6 impostor scores with an exponential tail in decades: FMR 6 decades past the data within a factor 2.

    Tolerance: the tail rate is fitted from k = 1e4 exceedances (relative sd 1%); 6.6 decades of extrapolation
    turn that into 0.066 decades per sd, so 4.5 sd is 0.3 decades, a factor of 2.
    """
    rng = np.random.default_rng(1)
    scores = np.sort(-np.log10(rng.random(1_000_000)))  # P(score >= s) = 10^-s
    tail = Exceedance.fit(scores, tail=True)
    for s in (7.0, 8.6, 10.0):
        assert abs(np.log10(tail(s)) + s) < 0.3, (s, float(tail(s)))
    assert Exceedance.fit(scores, tail=False)(8.6) == 0.0, "without a tail the file says nothing past its data"


def test_impostor_rows_beyond_resolution_are_refused(tmp_path):
    body = "group,kind,score\n" + valid_rows(100) + valid_rows(5000, "impostor", score=0.0, step=1e-4)
    path = write(tmp_path, body)
    with pytest.raises(InputError, match=r"only 0 of 5000 'impostor' scores .* field.threshold = 9.6"):
        EmpiricalScores.from_file(path, threshold=9.6)
    assert EmpiricalScores.from_file(path, tail="exponential", threshold=9.6).fpir(9.6, np.array([0]), 1e3)[0] < 1


@pytest.mark.parametrize("column,kind", [
    ("name", "a name"), ("Date of Birth", "a date of birth"), ("ssn", "an identity number"),
    ("subject_id", "an identity number"), ("street_address", "an address"), ("phone", "a phone"),
    ("licence_plate", "a vehicle plate"), ("image_path", "a face image"),
])
def test_personal_data_columns_are_refused(tmp_path, column, kind):
    path = write(tmp_path, f"group,kind,score,{column}\n" + "white_man,genuine,1.0,x\n")
    with pytest.raises(PersonalDataError, match=kind):
        EmpiricalScores.from_file(path)


@pytest.mark.parametrize("body,message", [
    ("group,kind,score,algorithm\n", r"unknown column\(s\) \['algorithm'\]"),
    ("group,score\n", r"missing column\(s\) \['kind'\]"),
    ("group,kind,score\n" + valid_rows(3) + "white_man,mated,1.0\n", r"line 5, column 'kind': 'mated'"),
    ("group,kind,score\n" + valid_rows(3) + "white_man,genuine,high\n", r"line 5, column 'score': 'high'"),
    ("group,kind,score\n" + "martian,genuine,1\n", r"line 2, column 'group': 'martian'"),
    ("group,kind,score\n" + valid_rows(60) + valid_rows(60, "nonmated_top"), r"need a 'gallery_size' column"),
    ("group,kind,score\n" + valid_rows(10) + valid_rows(60, "impostor"), r"at least 50 'genuine' rows"),
    ("group,kind,score\n" + valid_rows(60) + valid_rows(60, "impostor", "all") + valid_rows(7, "impostor"),
     r"group 'white_man' has only 7 'impostor' rows"),
])
def test_bad_files_name_line_column_value_and_what_is_allowed(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        EmpiricalScores.from_file(write(tmp_path, body))


def test_gallery_size_must_be_one_number(tmp_path):
    body = "group,kind,score,gallery_size\n" + "".join(f"all,nonmated_top,{i},{1e6 if i else 2e6}\n" for i in range(60))
    with pytest.raises(InputError, match=r"line 3, column 'gallery_size'.*the same gallery size"):
        EmpiricalScores.from_file(write(tmp_path, body + valid_rows(60)))


def test_missing_file_and_threshold_on_the_wrong_scale(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        EmpiricalScores.from_file(str(tmp_path / "nope.csv"))
    body = "group,kind,score\n" + valid_rows(60, score=0.5) + valid_rows(60, "impostor", score=0.1)
    with pytest.raises(InputError, match="above every genuine score"):
        EmpiricalScores.from_file(write(tmp_path, body), threshold=9.6)


def test_groups_absent_from_the_file_use_pooled_scores(tmp_path):
    body = "group,kind,score\n" + valid_rows(60, group="all") + valid_rows(60, "impostor", group="all", score=0.0)
    m = EmpiricalScores.from_file(write(tmp_path, body), threshold=0.1)
    assert m.info["groups_pooled_genuine"] == list(GROUPS)
    assert np.allclose(m.fnmr(12.3), m.fnmr(12.3)[0]), "no labels, no differentials"


def test_empirical_matcher_runs_through_the_pipeline(tmp_path):
    from conftest import small

    from scrutiny.operations import simulate

    path = draw_file(tmp_path / "s.csv", one_gallery(2e8), n_genuine=200, n_top=2000)
    s = small(n_days=5, **{"field.matcher": "empirical", "field.score_file": str(path),
                           "field.threshold_rule": "fixed"})
    out = simulate(s)
    assert out.world_info["matcher"] == "empirical" and len(out.world_info["score_file_sha256"]) == 64
    assert (out.events["kind"] == 2).any()


def test_a_file_that_cannot_resolve_the_operating_point_is_refused_with_the_target_named(tmp_path):
    """2,000 best-of-1.2e7 scores resolve FPIR down to about 5e-3 there; FPIR 0.003 at 2e8 needs about 2e-4."""
    from conftest import small

    from scrutiny.operations import simulate

    path = draw_file(tmp_path / "s.csv", one_gallery(2e8), n_genuine=200, n_top=2000)
    with pytest.raises(InputError, match="operating threshold for field.target_fpir"):
        simulate(small(n_days=2, **{"field.matcher": "empirical", "field.score_file": str(path)}))

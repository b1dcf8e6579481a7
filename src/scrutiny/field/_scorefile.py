"""The empirical matcher: genuine and impostor score distributions read from an evaluator's CSV.

What a score file can and cannot estimate
-----------------------------------------
A file of ``n`` scores of one kind estimates an exceedance probability ``P(score >= tau)`` only down
to about ``10 / n``: below that a handful of scores, or none, lie above ``tau``. The rates that
drive wrongful detentions are far smaller:

* ``genuine`` rows (mated comparisons) give the miss rate ``FNMR(tau) = P(genuine < tau)``, a few
  percent: any file of a few hundred mated scores resolves it.
* ``impostor`` rows (1:1 non-mated comparisons) give the per-comparison ``FMR(tau)``. An operational
  1:N threshold has FMR near 1e-10, so that ``FPIR(N) = 1 - (1 - FMR)^N`` stays small for N = 2e8;
  a file of 1e5 impostor scores cannot see below about 1e-4, six decades short.
* ``nonmated_top`` rows are the best score of each *non-mated 1:N search* in an evaluation with a
  gallery of ``gallery_size`` identities (NIST FRVT 1:N style). They give ``FPIR(tau; N_eval)``
  directly, and the operating range of interest (FPIR about 0.003) is resolved by a few thousand
  searches. Scaling to the scenario's gallery N uses the binomial model, i.e. independent
  comparisons with the same tail: ``FPIR(tau; N) = 1 - (1 - FPIR(tau; N_eval))^(N / N_eval)``.

So the file's FPIR comes from ``nonmated_top`` rows when there are any, else from ``impostor`` rows.
Whichever kind is used, every threshold in use must have at least :data:`MIN_EXCEEDANCES` scores
at or above it, per group; otherwise the run stops (``field.score_file_tail = "refuse"``) unless
the analyst opts into extrapolating an exponential tail fitted to the top 1% of scores
(``"exponential"``, a peaks-over-threshold fit with shape 0; exact when scores are
log-likelihood-like, an assumption otherwise; the distance extrapolated is reported in
``world_info``). Groups absent from the file use the pooled scores of every row of that kind
(recorded in ``world_info``), so a file without group labels (``group = all``) still runs, with no
demographic differentials.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scrutiny._files import read_text
from scrutiny._privacy import refuse_personal_columns
from scrutiny.codes import GROUPS
from scrutiny.errors import InputError, brief, did_you_mean

__all__ = ["ScoreFile", "EmpiricalScores", "Exceedance", "read_score_file", "KINDS", "MIN_EXCEEDANCES"]

#: Row kinds a score file may hold.
KINDS: tuple[str, ...] = ("genuine", "impostor", "nonmated_top")
#: Columns a score file may hold; anything else is refused.
COLUMNS: tuple[str, ...] = ("group", "kind", "score", "gallery_size")
#: Fewest scores at or above a threshold for the file to resolve a rate there.
MIN_EXCEEDANCES: int = 10
#: Fewest rows of one kind for one group (when the group appears at all).
MIN_ROWS: int = 50
#: Fewest rows of one kind for an exponential tail fit.
MIN_TAIL_ROWS: int = 1000
_ALL = "all"


@dataclass(frozen=True, slots=True)
class ScoreFile:
    """A validated score file: sorted scores by kind and group (``"all"`` holds every row of a kind)."""

    path: str
    sha256: str
    scores: dict[str, dict[str, np.ndarray]]  # kind -> group (or "all") -> sorted float64 scores
    gallery_size: float | None  # N_eval of the nonmated_top rows


def _fail(path: str, line: int, column: str, value: object, allowed: str) -> InputError:
    return InputError(f"{path}, line {line}, column {column!r}: {brief(value)} is not allowed; expected {allowed}.")


def _first_bad(path: str, frame: pd.DataFrame, bad: np.ndarray, column: str, allowed: str) -> None:
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise _fail(path, i + 2, column, frame[column].iloc[i], allowed)


def _read_frame(path: str) -> pd.DataFrame:
    p = Path(path)
    if not p.exists():
        raise InputError(f"field.score_file: file {path!r} does not exist (a relative path is read from {Path.cwd()}).")
    text = read_text(p, "field.score_file: file")
    if not text.strip():
        raise InputError(f"{path}: the file is empty; a score file has a header row {list(COLUMNS)} and one row per "
                         "score.")
    try:
        with warnings.catch_warnings():  # rows wider than the header: pandas warns and drops fields; refuse them
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True,
                                index_col=False)
    except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({str(exc).strip()}).") from None
    refuse_personal_columns([str(c) for c in frame.columns], origin=path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if unknown:
        raise InputError(f"{path}: unknown column(s) {brief(unknown)}; a score file may hold only {list(COLUMNS)}."
                         f"{did_you_mean(unknown[0], COLUMNS)}")
    missing = [c for c in ("group", "kind", "score") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {missing}; a score file needs 'group', 'kind' and 'score'.")
    return frame


def _validate(path: str, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    kind = frame["kind"].str.strip().str.lower().to_numpy()
    group = frame["group"].str.strip().str.lower().to_numpy()
    _first_bad(path, frame, ~np.isin(kind, KINDS), "kind", f"one of {list(KINDS)}")
    _first_bad(path, frame, ~np.isin(group, GROUPS + (_ALL,)), "group", f"one of {list(GROUPS) + [_ALL]}")
    score = pd.to_numeric(frame["score"], errors="coerce").to_numpy(dtype=np.float64)
    _first_bad(path, frame, ~np.isfinite(score), "score", "a finite number on the matcher's score scale")
    top = kind == "nonmated_top"
    n_eval = None
    if top.any():
        if "gallery_size" not in frame.columns:
            raise InputError(f"{path}: 'nonmated_top' rows need a 'gallery_size' column (identities in the "
                             "evaluation's gallery).")
        size = pd.to_numeric(frame["gallery_size"], errors="coerce").to_numpy(dtype=np.float64)
        _first_bad(path, frame, top & ~(np.isfinite(size) & (size >= 1)), "gallery_size",
                   "the evaluation's gallery size, a number >= 1, on every 'nonmated_top' row")
        n_eval = float(size[top][0])
        _first_bad(path, frame, top & (size != n_eval), "gallery_size",
                   f"the same gallery size on every 'nonmated_top' row (the first says {n_eval:g})")
    return kind, group, score, n_eval


def _check_counts(path: str, kind: np.ndarray, group: np.ndarray) -> None:
    if (kind == "genuine").sum() < MIN_ROWS:
        raise InputError(f"{path}: needs at least {MIN_ROWS} 'genuine' rows (mated scores); found "
                         f"{int((kind == 'genuine').sum())}.")
    if max((kind == "impostor").sum(), (kind == "nonmated_top").sum()) < MIN_ROWS:
        raise InputError(f"{path}: needs at least {MIN_ROWS} 'nonmated_top' rows (best score of non-mated 1:N "
                         "searches) or 'impostor' rows (non-mated 1:1 scores).")
    for k in KINDS:
        for g in GROUPS:
            n = int(((kind == k) & (group == g)).sum())
            if 0 < n < MIN_ROWS:
                raise InputError(f"{path}: group {g!r} has only {n} {k!r} rows; give at least {MIN_ROWS}, or "
                                 f"label them 'all' so that they join the pooled scores.")


@functools.lru_cache(maxsize=8)
def _read_cached(path: str, mtime_ns: int, size: int) -> ScoreFile:
    frame = _read_frame(path)
    kind, group, score, n_eval = _validate(path, frame)
    _check_counts(path, kind, group)
    scores: dict[str, dict[str, np.ndarray]] = {}
    for k in KINDS:
        rows = kind == k
        if not rows.any():
            continue
        by = {_ALL: np.sort(score[rows])}
        for g in GROUPS:
            if (rows & (group == g)).any():
                by[g] = np.sort(score[rows & (group == g)])
        scores[k] = by
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return ScoreFile(path=path, sha256=digest, scores=scores, gallery_size=n_eval)


def read_score_file(path: str | Path) -> ScoreFile:
    """Read and validate a score file (cached while the file is unchanged).

    Raises:
        InputError: Naming the file, line, column, bad value and what is allowed.
        PersonalDataError: If a column looks like data about real individuals.
    """
    path = str(path)
    p = Path(path)
    stat = p.stat() if p.is_file() else None
    if stat is None:
        return _read_frame(path)  # raises the "does not exist" error
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True, slots=True)
class Exceedance:
    """``P(score >= s)`` from sorted scores, with an optional exponential tail above ``u0``."""

    scores: np.ndarray  # sorted ascending
    u0: float = math.inf  # start of the fitted tail (inf: no tail)
    p0: float = 0.0  # P(score > u0)
    rate: float = 0.0  # tail decay per score unit

    @classmethod
    def fit(cls, scores: np.ndarray, *, tail: bool, origin: str = "scores") -> "Exceedance":
        """Empirical exceedance; with ``tail``, an exponential fitted to the top 1% (at least 50) of scores."""
        if not tail:
            return cls(scores)
        n = scores.size
        if n < MIN_TAIL_ROWS:
            raise InputError(f"{origin}: an exponential tail needs at least {MIN_TAIL_ROWS} scores; found {n}.")
        k = max(50, n // 100)
        u0 = float(scores[n - k - 1])
        excess = float((scores[n - k:] - u0).sum())
        if excess <= 0:
            raise InputError(f"{origin}: the top {k} scores are all equal ({u0}); no tail can be fitted.")
        return cls(scores, u0=u0, p0=k / n, rate=k / excess)

    def __call__(self, s: np.ndarray | float) -> np.ndarray:
        s = np.asarray(s, dtype=np.float64)
        n = self.scores.size
        empirical = (n - np.searchsorted(self.scores, s, side="left")) / n
        if not math.isfinite(self.u0):
            return empirical
        with np.errstate(over="ignore"):
            tail = self.p0 * np.exp(-self.rate * np.maximum(s - self.u0, 0.0))
        return np.where(s > self.u0, tail, empirical)

    def count_at_or_above(self, s: float) -> int:
        """Scores at or above ``s`` in the file."""
        return int(self.scores.size - np.searchsorted(self.scores, s, side="left"))


def _per_group(by: dict[str, np.ndarray]) -> tuple[list[np.ndarray], tuple[str, ...]]:
    pooled = tuple(g for g in GROUPS if g not in by)
    return [by.get(g, by[_ALL]) for g in GROUPS], pooled


@dataclass(frozen=True, slots=True)
class EmpiricalScores:
    """Score distributions of every group read from a score file (same interface as ParametricScores)."""

    genuine_scores: list[np.ndarray]  # per group, sorted
    curves: list[Exceedance]  # per group: FMR (impostor rows) or FPIR at n_eval (nonmated_top rows)
    n_eval: float | None  # None: curves are per-comparison FMR
    info: dict = field(default_factory=dict)
    operating_threshold: float = math.nan  # the threshold before any quota pressure

    @classmethod
    def from_file(
        cls, path: str | Path, *, tail: str = "refuse", threshold: float | None = None, rule: str = "fixed",
        target_fpir: float = 0.003, n: float = 2e8,
    ) -> "EmpiricalScores":
        """Read ``path`` and build the model; check that the operating threshold is resolved (module docstring).

        Under ``rule = "target_fpir"`` the operating threshold is the score at which the reference group's
        FPIR over ``n`` images is ``target_fpir`` (found by bisection on the file's curve); under
        ``"fixed"`` it is ``threshold``.

        Raises:
            InputError: For an invalid file, or a threshold the file cannot resolve under ``tail = "refuse"``.
        """
        sf = read_score_file(path)
        kind = "nonmated_top" if "nonmated_top" in sf.scores else "impostor"
        genuine, pooled_genuine = _per_group(sf.scores["genuine"])
        raw, pooled = _per_group(sf.scores[kind])
        curves = [Exceedance.fit(s, tail=tail == "exponential", origin=f"{sf.path} ({kind} scores)") for s in raw]
        info = {
            "matcher": "empirical", "score_file": sf.path, "score_file_sha256": sf.sha256, "fpir_from": kind,
            "score_file_tail": tail, "groups_pooled_genuine": list(pooled_genuine),
            "groups_pooled_" + kind: list(pooled),
            "evaluation_gallery_size": sf.gallery_size,
        }
        model = cls(genuine_scores=genuine, curves=curves, n_eval=sf.gallery_size if kind == "nonmated_top" else None,
                    info=info)
        what = "field.threshold"
        if rule == "target_fpir":
            threshold = model.threshold_for_fpir(target_fpir, n)
            what = f"the operating threshold for field.target_fpir = {target_fpir:g} over {n:.3g} images"
        if threshold is not None:
            model = dataclasses.replace(model, operating_threshold=float(threshold))
            model.check(threshold, tail=tail, origin=sf.path, kind=kind, what=what)
        return model

    def threshold_for_fpir(self, target: float, n: float) -> float:
        """The score at which the reference group's FPIR over ``n`` images is ``target`` (bisection)."""
        ref = np.zeros(1, dtype=np.int64)
        scores = self.curves[0].scores
        lo, hi = float(scores[0]) - 1.0, float(scores[-1]) + 1.0
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if self.fpir(mid, ref, n)[0] > target:
                lo = mid
            else:
                hi = mid
        return hi

    def check(self, tau: float, *, tail: str, origin: str, kind: str, what: str = "field.threshold") -> None:
        """Refuse a threshold outside the genuine scores, or beyond the file's resolution under 'refuse'."""
        if all(g[-1] < tau for g in self.genuine_scores):
            top = max(float(g[-1]) for g in self.genuine_scores)
            raise InputError(f"{what} = {tau:g} lies above every genuine score in {origin} (largest "
                             f"{top:g}): with the empirical matcher the threshold is on the score file's scale.")
        if tail == "exponential":
            self.info["tail_starts"] = {g: c.u0 for g, c in zip(GROUPS, self.curves, strict=True)}
            return
        for g, curve in zip(GROUPS, self.curves, strict=True):
            n_above = curve.count_at_or_above(tau)
            if n_above < MIN_EXCEEDANCES:
                raise InputError(
                    f"{origin}: only {n_above} of {curve.scores.size} {kind!r} scores for group {g!r} lie at or above "
                    f"{what} = {tau:g}; the file resolves rates only where at least {MIN_EXCEEDANCES} do "
                    f"(down to about {MIN_EXCEEDANCES / curve.scores.size:.1e}). Supply more non-mated scores "
                    "(ideally 'nonmated_top' rows of a 1:N evaluation), lower the threshold, or set "
                    "field.score_file_tail = 'exponential' to extrapolate a fitted tail (an assumption)."
                )

    def fnmr(self, tau: float) -> np.ndarray:
        """Miss rate of each group at ``tau``: the share of its genuine scores below ``tau``."""
        return np.array([np.searchsorted(g, tau, side="left") / g.size for g in self.genuine_scores])

    def genuine(self, u: np.ndarray, group: np.ndarray) -> np.ndarray:
        """The genuine score at CDF value ``u`` (score >= tau exactly when u >= FNMR(tau))."""
        out = np.empty(np.shape(u), dtype=np.float64)
        for g in np.unique(group):
            sel = group == g
            scores = self.genuine_scores[int(g)]
            idx = np.minimum((u[sel] * scores.size).astype(np.int64), scores.size - 1)
            out[sel] = scores[idx]
        return out

    def fpir(self, s: np.ndarray | float, group: np.ndarray, n: float) -> np.ndarray:
        """Probability that the best of ``n`` impostor scores reaches ``s`` (scaled from ``n_eval`` if given)."""
        group = np.asarray(group)
        if n <= 0:
            return np.zeros(group.shape)
        s = np.broadcast_to(np.asarray(s, dtype=np.float64), group.shape)
        p = np.empty(group.shape, dtype=np.float64)
        for g in np.unique(group):
            sel = group == g
            p[sel] = self.curves[int(g)](s[sel])
        exponent = n / self.n_eval if self.n_eval is not None else n
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(p >= 1.0, 1.0, -np.expm1(exponent * np.log1p(-np.minimum(p, 1.0))))

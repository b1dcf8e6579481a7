"""The parametric score model of a 1:N face matcher (no images): score distributions, FMR, FPIR, FNMR.

Scores are on a "decades" scale: for the reference group under mugshot capture, an impostor
comparison exceeds threshold ``tau`` with probability ``FMR = 10**-tau``. A demographic group's
impostor tail is ``rel_fmr_group[g]`` times heavier and a capture condition's
``rel_fmr_capture[c]`` times heavier, so

    FMR_g(tau) = min(1, rel_fmr_group[g] * rel_fmr_capture[c] * 10**-tau)
    FPIR_g(N)  = 1 - (1 - FMR_g)**N       (a search of N identities, none of them the probe's mate)

Genuine (mated) scores of group ``g`` are normal with standard deviation ``genuine_score_sd``
decades, placed so that the miss rate at the default threshold equals the published FNMR of the
capture condition times the group's ``rel_fnmr_group``:

    FNMR_g(tau) = Phi(Phi^-1(FNMR_c * rel_fnmr_g) + (tau - tau_default) / genuine_score_sd)

:class:`ParametricScores` packages these for the encounter: ``fnmr(tau)`` per group, the genuine
score of a mated search as the inverse CDF of a uniform, and ``fpir(s, group, n)``, the probability
that the best of ``n`` impostor scores reaches ``s``. :mod:`scrutiny.field._scorefile` offers the
same three methods from an evaluator's score file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr, ndtri

from scrutiny.codes import GROUPS
from scrutiny.scenario import CAPTURES, FieldParams

__all__ = ["DEFAULT_THRESHOLD", "fmr_by_group", "fpir", "fnmr", "fnmr_by_group", "ParametricScores"]

#: The threshold at which the published FNMR figures apply (the scenario default).
DEFAULT_THRESHOLD: float = float(FieldParams.model_fields["threshold"].default)


def fmr_by_group(p: FieldParams, threshold: float | None = None) -> np.ndarray:
    """Per-comparison false match rate of each group (float64[len(GROUPS)]).

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> f = fmr_by_group(FieldParams(capture="mugshot"))
        >>> float(f[0]) * 1e10  # white men, mugshot capture, default threshold 9.6: FMR 2.5e-10
        2.511886431509582
    """
    tau = p.threshold if threshold is None else threshold
    rel_capture = p.rel_fmr_capture[CAPTURES.index(p.capture)]
    rel_group = np.array([p.rel_fmr_group[g] for g in GROUPS], dtype=np.float64)
    return np.minimum(1.0, rel_group * rel_capture * 10.0 ** (-tau))


def fpir(fmr: np.ndarray | float, n: float) -> np.ndarray:
    """False positive identification rate of a search over ``n`` non-mated identities.

    Computed as ``-expm1(n * log1p(-fmr))`` for accuracy when ``fmr`` is tiny.

    Examples:
        >>> round(float(fpir(2.5e-10, 1.2e7)), 4)
        0.003
    """
    fmr = np.asarray(fmr, dtype=np.float64)
    if n <= 0:
        return np.zeros(fmr.shape)
    with np.errstate(divide="ignore"):
        return -np.expm1(n * np.log1p(-np.minimum(fmr, 1.0)))


def fnmr(p: FieldParams, threshold: float | None = None) -> float:
    """Miss rate (false non-match) of a mated search at ``threshold`` under the scenario's capture.

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> round(fnmr(FieldParams()), 3)
        0.035
    """
    return float(fnmr_by_group(p, threshold)[GROUPS.index("white_man")])


def fnmr_by_group(p: FieldParams, threshold: float | None = None) -> np.ndarray:
    """Miss rate of each group (float64[len(GROUPS)]) at ``threshold`` under the scenario's capture."""
    tau = p.threshold if threshold is None else threshold
    return ndtr((tau - _genuine_mean(p)) / p.genuine_score_sd)


def _genuine_mean(p: FieldParams) -> np.ndarray:
    base = p.fnmr_capture[CAPTURES.index(p.capture)]
    rel = np.array([p.rel_fnmr_group[g] for g in GROUPS], dtype=np.float64)
    anchored = np.clip(base * rel, 1e-12, 0.999)
    return DEFAULT_THRESHOLD - p.genuine_score_sd * ndtri(anchored)


@dataclass(frozen=True, slots=True)
class ParametricScores:
    """Genuine and impostor score distributions of every group, on the decades scale.

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> m = ParametricScores.from_params(FieldParams())
        >>> round(float(m.fpir(9.6, np.array([0]), 2e8)[0]), 3)  # white men, field capture, N = 2e8
        0.395
        >>> round(float(m.fnmr(9.6)[0]), 3)
        0.035
    """

    log10_tail: np.ndarray  # float64[G]: log10 of the impostor tail multiplier (group x capture)
    mu: np.ndarray  # float64[G]: mean genuine score
    sd: float
    info: dict = field(default_factory=lambda: {"matcher": "parametric"})

    @classmethod
    def from_params(cls, p: FieldParams) -> "ParametricScores":
        """Build the score model of a scenario's field parameters."""
        rel_capture = p.rel_fmr_capture[CAPTURES.index(p.capture)]
        rel_group = np.array([p.rel_fmr_group[g] for g in GROUPS], dtype=np.float64)
        return cls(log10_tail=np.log10(rel_group * rel_capture), mu=_genuine_mean(p), sd=float(p.genuine_score_sd))

    def fnmr(self, tau: float) -> np.ndarray:
        """Miss rate of each group at threshold ``tau`` (float64[G])."""
        return ndtr((tau - self.mu) / self.sd)

    def genuine(self, u: np.ndarray, group: np.ndarray) -> np.ndarray:
        """Genuine score whose CDF value is ``u`` (so that score >= tau exactly when u >= FNMR(tau))."""
        return self.mu[group] + self.sd * ndtri(u)

    def fmr(self, s: np.ndarray | float, group: np.ndarray) -> np.ndarray:
        """Per-comparison false match rate at score ``s``."""
        return np.minimum(1.0, 10.0 ** (self.log10_tail[group] - s))

    def fpir(self, s: np.ndarray | float, group: np.ndarray, n: float) -> np.ndarray:
        """Probability that the best of ``n`` impostor scores of a probe of ``group`` reaches ``s``."""
        return fpir(self.fmr(s, group), n)

"""The parametric score model of a 1:N face matcher (no images): score distributions, FMR, FPIR, FNMR.

Scores are on a "decades" scale: for the reference group under mugshot capture, an impostor
comparison exceeds threshold ``tau`` with probability ``FMR = 10**-tau``. A demographic group's
impostor tail is ``rel_fmr_group[g]`` times heavier and a capture condition's
``rel_fmr_capture[c]`` times heavier, so

    FMR_g(tau) = min(1, rel_fmr_group[g] * rel_fmr_capture[c] * 10**-tau)
    FPIR_g(N)  = 1 - (1 - FMR_g)**N       (a search of N identities, none of them the probe's mate)

**The operating point.** Following the NIST 1:N reporting convention, an operator sets the
threshold per gallery size (``field.threshold_rule = "target_fpir"``, the default): the threshold
of a search over N' images is the one at which the reference group's FPIR, under the capture in use,
equals ``field.target_fpir``,

    tau*(N') = log10(rel_ref * rel_capture) - log10(FMR*),   FMR* = 1 - (1 - target_fpir)**(1/N'),

and every other group's FPIR follows from its multiplier at that threshold, capped at
``max_group_fpir`` (the multiplier is lowered where it would exceed the cap). Under
``"fixed"`` the threshold is ``field.threshold`` whatever the gallery (a threshold tuned on a
smaller gallery and applied to a larger one, the literal reading).

Genuine (mated) scores of group ``g`` are normal with standard deviation ``genuine_score_sd``
decades, placed so that the miss rate at the *reference operating point* (the threshold giving the
reference group an FPIR of :data:`REFERENCE_FPIR` = 0.003 at the searched gallery size, where NIST
reports FNIR) equals the capture's ``fnmr_capture`` times the group's ``rel_fnmr_group``:

    FNMR_g(tau) = Phi(Phi^-1(FNMR_c * rel_fnmr_g) + (tau - tau_ref) / genuine_score_sd)

so a stricter target raises the miss rate and a looser one lowers it.

:class:`ParametricScores` packages these for the encounter: ``fnmr(tau)`` per group, the genuine
score of a mated search as the inverse CDF of a uniform, ``fpir(s, group, n)``, the probability
that the best of ``n`` impostor scores reaches ``s``, and the operating threshold.
:mod:`scrutiny.field._scorefile` offers the same from an evaluator's score file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr, ndtri

from scrutiny.codes import GROUPS, REFERENCE_GROUP
from scrutiny.scenario import CAPTURES, FieldParams

__all__ = [
    "DEFAULT_THRESHOLD", "REFERENCE_FPIR", "fmr_by_group", "fpir", "fnmr", "fnmr_by_group", "threshold_for_fpir",
    "ParametricScores",
]

#: The scenario's default fixed threshold (``field.threshold``, used under ``threshold_rule = "fixed"``).
DEFAULT_THRESHOLD: float = float(FieldParams.model_fields["threshold"].default)
#: The FPIR at which miss rates are stated (NIST FRTE 1:N: FNIR at FPIR 0.003).
REFERENCE_FPIR: float = 0.003
_REF = GROUPS.index(REFERENCE_GROUP)


def fmr_by_group(p: FieldParams, threshold: float | None = None) -> np.ndarray:
    """Per-comparison false match rate of each group at a threshold (float64[len(GROUPS)]), uncapped.

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> f = fmr_by_group(FieldParams(capture="mugshot"), 9.6)
        >>> float(f[0]) * 1e10  # white men, mugshot capture, threshold 9.6: FMR 2.5e-10
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


def threshold_for_fpir(target: float, n: float, log10_tail: float = 0.0) -> float:
    """The threshold at which a probe whose impostor tail is ``10**log10_tail`` has FPIR ``target`` over ``n``.

    Examples:
        >>> round(threshold_for_fpir(0.003, 1.2e7), 2)  # the NIST convention: FMR about 2.5e-10
        9.6
        >>> round(threshold_for_fpir(0.003, 2e8), 2)
        10.82
    """
    if n <= 0:
        return DEFAULT_THRESHOLD
    fmr = -math.expm1(math.log1p(-min(max(target, 1e-300), 1.0 - 1e-16)) / n)
    return float(log10_tail - math.log10(fmr))


def fnmr(p: FieldParams, threshold: float | None = None, n: float = 2e8) -> float:
    """Miss rate of the reference group at ``threshold`` (default: the operating threshold) over ``n`` images.

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> round(fnmr(FieldParams()), 3)  # field capture at its operating point
        0.05
    """
    return float(fnmr_by_group(p, threshold, n)[_REF])


def fnmr_by_group(p: FieldParams, threshold: float | None = None, n: float = 2e8) -> np.ndarray:
    """Miss rate of each group (float64[len(GROUPS)]) at ``threshold`` (default: operating) over ``n`` images."""
    scores = ParametricScores.from_params(p, n)
    return scores.fnmr(scores.operating_threshold if threshold is None else threshold)


@dataclass(frozen=True, slots=True)
class ParametricScores:
    """Genuine and impostor score distributions of every group, on the decades scale, at a gallery size.

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> m = ParametricScores.from_params(FieldParams(), 2e8)
        >>> tau = m.operating_threshold
        >>> round(float(m.fpir(tau, np.array([0]), 2e8)[0]), 4)  # white men at the operating point
        0.003
        >>> round(float(m.fnmr(tau)[0]), 3)
        0.05
    """

    log10_tail: np.ndarray  # float64[G]: log10 of the impostor tail multiplier (group x capture), capped
    mu: np.ndarray  # float64[G]: mean genuine score
    sd: float
    operating_threshold: float = math.nan  # the threshold before any quota pressure
    info: dict = field(default_factory=lambda: {"matcher": "parametric"})

    @classmethod
    def from_params(cls, p: FieldParams, n: float = 2e8) -> ParametricScores:
        """Build the score model of a scenario's field parameters for searches over ``n`` images."""
        rel_capture = p.rel_fmr_capture[CAPTURES.index(p.capture)]
        rel_group = np.array([p.rel_fmr_group[g] for g in GROUPS], dtype=np.float64)
        log10_tail = np.log10(rel_group * rel_capture)
        tau_ref = threshold_for_fpir(REFERENCE_FPIR, n, float(log10_tail[_REF]))
        if p.threshold_rule == "fixed":
            tau_op = float(p.threshold)
        else:
            tau_op = threshold_for_fpir(p.target_fpir, n, float(log10_tail[_REF]))
            cap = threshold_for_fpir(p.max_group_fpir, n)  # log10 FMR at the cap, as a threshold offset
            log10_tail = np.minimum(log10_tail, tau_op - cap)
        base = p.fnmr_capture[CAPTURES.index(p.capture)]
        rel = np.array([p.rel_fnmr_group[g] for g in GROUPS], dtype=np.float64)
        anchored = np.clip(base * rel, 1e-12, 0.999)
        mu = tau_ref - p.genuine_score_sd * ndtri(anchored)
        info = {"matcher": "parametric", "threshold_rule": p.threshold_rule, "reference_threshold": tau_ref}
        return cls(log10_tail=log10_tail, mu=mu, sd=float(p.genuine_score_sd), operating_threshold=tau_op, info=info)

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

"""A statistical model of a 1:N face matcher (no images): score distributions, FMR, FPIR and FNMR.

Scores are on a "decades" scale: for the reference group under mugshot capture, an impostor
comparison exceeds threshold ``tau`` with probability ``FMR = 10**-tau``. A demographic group's
impostor tail is ``rel_fmr_group[g]`` times heavier and a capture condition's
``rel_fmr_capture[c]`` times heavier, so

    FMR_g(tau) = min(1, rel_fmr_group[g] * rel_fmr_capture[c] * 10**-tau)
    FPIR_g(N)  = 1 - (1 - FMR_g)**N       (a search of N identities, none of them the probe's mate)

Genuine (mated) scores are normal with standard deviation ``genuine_score_sd`` decades, placed so
that the miss rate at the default threshold equals the published FNMR of the capture condition:

    FNMR(tau) = Phi(Phi^-1(FNMR_c) + (tau - tau_default) / genuine_score_sd)
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

from scrutiny.codes import GROUPS
from scrutiny.scenario import CAPTURES, FieldParams

__all__ = ["DEFAULT_THRESHOLD", "fmr_by_group", "fpir", "fnmr"]

#: The threshold at which the published FNMR figures apply (the scenario default).
DEFAULT_THRESHOLD: float = float(FieldParams.model_fields["threshold"].default)


def fmr_by_group(p: FieldParams, threshold: float | None = None) -> np.ndarray:
    """Per-comparison false match rate of each group (float64[len(GROUPS)]).

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> f = fmr_by_group(FieldParams(capture="mugshot"))
        >>> f"{float(f[0]):.3g}"  # white men, mugshot capture, default threshold 9.6
        '2.51e-10'
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
    with np.errstate(divide="ignore"):
        return -np.expm1(n * np.log1p(-np.minimum(fmr, 1.0)))


def fnmr(p: FieldParams, threshold: float | None = None) -> float:
    """Miss rate (false non-match) of a mated search at ``threshold`` under the scenario's capture.

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> round(fnmr(FieldParams()), 3)
        0.035
    """
    tau = p.threshold if threshold is None else threshold
    base = p.fnmr_capture[CAPTURES.index(p.capture)]
    return float(ndtr(ndtri(base) + (tau - DEFAULT_THRESHOLD) / p.genuine_score_sd))

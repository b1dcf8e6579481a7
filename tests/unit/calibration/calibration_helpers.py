"""Toy simulators with known answers, shared by the calibration tests."""

from __future__ import annotations

import numpy as np

from scrutiny.calibration import Candidate, load_targets, make_prior


def count_targets(k: float, n: float, name: str = "p"):
    """One count target ``k`` of ``n`` on the toy metrics ``k`` and ``n``."""
    return load_targets({"targets": {name: {"numerator": "k", "denominator": "n", "observed": {"k": k, "n": n},
                                            "source": "toy"}}})


def uniform_prior(name: str = "p"):
    """A uniform prior on [0, 1]."""
    return make_prior([{"name": name, "lo": 0.0, "hi": 1.0}])


class BinomialToy:
    """k ~ Binomial(n, p) per candidate, from a generator keyed by (seed, replicate key): a known-answer model."""

    def __init__(self, n: int, seed: int = 7, name: str = "p") -> None:
        self.n, self.seed, self.name, self.calls = n, seed, name, 0

    def __call__(self, candidates: list[Candidate]) -> list[list[dict]]:
        self.calls += 1
        out = []
        for c in candidates:
            reps = [{"k": float(np.random.default_rng([self.seed, key]).binomial(self.n, c.values[self.name])),
                     "n": float(self.n)} for key in c.keys]
            out.append(reps)
        return out


class Interrupted(Exception):
    """Raised by :class:`KilledAfter` to simulate a kill in the middle of a calibration."""


class KilledAfter:
    """Wraps a simulator and raises :class:`Interrupted` on call number ``calls`` + 1."""

    def __init__(self, simulate, calls: int) -> None:
        self.simulate, self.left = simulate, calls

    def __call__(self, candidates):
        if self.left == 0:
            raise Interrupted
        self.left -= 1
        return self.simulate(candidates)

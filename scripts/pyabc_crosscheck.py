"""Cross-check Scrutiny's ABC-SMC against pyABC on a toy with a closed-form posterior (optional; needs pyABC).

    pip install pyabc && python scripts/pyabc_crosscheck.py

The toy: k ~ Binomial(40, p), p uniform on [0, 1], k = 12 observed, so the posterior is
Beta(13, 29). Both samplers run to exact matching; the script prints each one's 5 / 50 / 95%
quantiles beside the exact ones, and the exact CDF at each estimate (0.05, 0.5, 0.95 is perfect).
pyABC runs on its single-core sampler seeded through NumPy's global state, the only way it
repeats; that is why Scrutiny does not use it for calibration (see scrutiny.calibration._smc).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from scipy import stats

from scrutiny.calibration import Settings, calibrate_model, load_targets, make_prior

K, N = 12, 40


def scrutiny_quantiles(seed: int) -> tuple[np.ndarray, float, int]:
    """Quantiles, ESS and simulations of Scrutiny's ABC-SMC on the toy."""
    targets = load_targets({"targets": {"p": {"numerator": "k", "denominator": "n", "observed": {"k": K, "n": N},
                                              "source": "toy"}}})

    def simulate(cands):
        return [[{"k": float(np.random.default_rng([seed, key]).binomial(N, c.values["p"])), "n": float(N)}
                 for key in c.keys] for c in cands]

    calib = calibrate_model(simulate, make_prior([{"name": "p", "lo": 0.0, "hi": 1.0}]), targets, seed=seed,
                            settings=Settings(n_particles=1000, max_generations=12, n_predictive=0), check=False)
    post = calib.posterior()["p"]
    return np.array([post["q05"], post["q50"], post["q95"]]), calib.final.ess, calib.run.n_simulations


def pyabc_quantiles(seed: int) -> tuple[np.ndarray, float, int]:
    """Quantiles, ESS and simulations of pyABC (single core, global seed) on the same toy."""
    import pyabc

    np.random.seed(seed)  # pyABC draws from NumPy's global state; nothing else makes it repeat

    def model(par):
        return {"k": np.random.binomial(N, par["p"])}

    abc = pyabc.ABCSMC(model, pyabc.Distribution(p=pyabc.RV("uniform", 0, 1)),
                       lambda x, y: abs(x["k"] - y["k"]), population_size=1000,
                       sampler=pyabc.sampler.SingleCoreSampler())
    with tempfile.TemporaryDirectory() as tmp:
        abc.new("sqlite:///" + str(Path(tmp) / "abc.db"), {"k": K})
        history = abc.run(minimum_epsilon=0.0, max_nr_populations=12)
        df, w = history.get_distribution()
        n_sim = int(history.get_all_populations()["samples"].sum())
    x = df["p"].to_numpy()
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    q = np.interp([0.05, 0.5, 0.95], (cw - w[order] / 2) / cw[-1], x[order])
    return q, float(w.sum() ** 2 / np.sum(w**2)), n_sim


def main() -> None:
    """Print both samplers' quantiles beside the exact Beta posterior."""
    exact = stats.beta(K + 1, N - K + 1)
    print(f"exact Beta({K + 1}, {N - K + 1}): 5/50/95% = {np.round(exact.ppf([0.05, 0.5, 0.95]), 4)}")
    for name, fn in (("scrutiny ABC-SMC", scrutiny_quantiles), ("pyABC ABCSMC", pyabc_quantiles)):
        q, ess, n_sim = fn(1)
        print(f"{name:<18} 5/50/95% = {np.round(q, 4)}  exact CDF there = {np.round(exact.cdf(q), 3)}  "
              f"ESS {ess:.0f}, {n_sim:,} simulations")


if __name__ == "__main__":
    main()

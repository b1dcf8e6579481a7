"""ABC-SMC and rejection ABC, written so that the posterior depends only on the seed.

**Why not pyABC.** pyABC 0.13 (checked) cannot give the same posterior for the same seed
whatever the number of workers: its perturbation kernels draw from NumPy's global state
(``np.random.choice``, ``np.random.multivariate_normal``), every parallel sampler reseeds each
worker from the operating system (``np.random.seed()`` with no argument, in ``multicore``,
``mapping`` and ``eps_mixin``), and the parallel samplers keep the first particles to be
accepted, an order that depends on timing. Only its single-core sampler is repeatable, and then
only through the global seed. So the method is implemented here; pyABC serves as an optional
cross-check (``scripts/pyabc_crosscheck.py``).

**The method** (Toni et al. 2009; Beaumont et al. 2009). Generation 0 samples the prior and keeps
every particle that can be scored. Generation ``t`` sets its tolerance ``eps_t`` to a weighted
quantile (``quantile``, the median by default) of generation ``t - 1``'s distances, never below
``min_epsilon``; proposes candidates by drawing an ancestor by weight and perturbing it with a
Gaussian kernel whose covariance is ``kernel_scale`` (2) times the weighted covariance of the
previous particles (Beaumont et al. 2009), redrawing both until the candidate lies in the prior's
support; simulates them; and keeps those with distance ``<= eps_t``. Importance weights are
``prior(z) / sum_j w_j K(z | z_j)`` (the prior is uniform in internal coordinates, so the
numerator is constant). Stopping: ``max_generations``; the tolerance reaching ``min_epsilon``;
the acceptance rate falling below ``min_acceptance``; the effective sample size falling below
``min_ess``; or the simulation budget ``max_simulations``. Rejection ABC draws
``n_particles / rejection_quantile`` candidates from the prior and keeps the ``n_particles``
nearest.

**Determinism.** Candidate ``i`` of generation ``t`` is a pure function of the seed, ``t``, ``i``
and generation ``t - 1``: its draws come from ``scrutiny.rng.stream(seed, t, name, step=i)`` and
its simulation runs replicate(s) ``t * STRIDE + i * R + r`` of the scenario. Candidates are
simulated in batches (sized from the previous acceptance rate, never from the number of workers)
and the generation keeps the first ``n_particles`` accepted *by index*, never the first to
finish. So 1 worker, 8 workers or a cluster give the same particles, and the batch sizes change
only how many extra candidates are simulated. Each finished generation is written atomically
(``generations/gNNN.parquet``); a rerun continues from the last one, and a killed batch's
finished simulations come back from the results store.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from scipy.special import logsumexp

from scrutiny.calibration._priors import Prior
from scrutiny.calibration._score import target_deviance
from scrutiny.calibration._targets import TargetSet, check_metrics, metric_value, sum_metrics
from scrutiny.errors import ConfigError
from scrutiny.rng import stream

__all__ = [
    "Settings", "Candidate", "Generation", "Simulator", "Run", "run_abc", "simulated_values", "distances",
    "weighted_quantile", "ess", "STRIDE", "METHODS",
]

#: Replicate keys per generation: candidate ``i``'s replicate ``r`` is ``t * STRIDE + i * R + r``.
STRIDE = 1_000_000
#: Generations are numbered below this; the posterior predictive of generation t uses ``PREDICTIVE + t``.
PREDICTIVE = 1000
#: The generation number of the probe that checks metric names. Every key stays below 2**31 (the catalog's INTEGER).
PROBE = 2 * PREDICTIVE - 1
METHODS = ("smc", "rejection")
_MAX_TRIES = 100_000


@dataclass(frozen=True, slots=True)
class Settings:
    """How a calibration samples (see the module docstring); checked by :meth:`check`."""

    method: str = "smc"
    n_particles: int = 300
    quantile: float = 0.5
    max_generations: int = 8
    min_epsilon: float = 0.0
    min_acceptance: float = 0.01
    min_ess: float = 0.0
    max_simulations: int | None = None
    rejection_quantile: float = 0.1
    kernel_scale: float = 2.0
    replicates: int = 1
    n_predictive: int = 100

    def check(self) -> Settings:
        """Return ``self`` or raise :class:`ConfigError` naming the bad setting and what is allowed."""
        def bad(name: str, what: str) -> ConfigError:
            return ConfigError(f"calibrate: {name} must be {what}; got {getattr(self, name)!r}.")

        if self.method not in METHODS:
            raise bad("method", f"one of {list(METHODS)}")
        if not isinstance(self.max_generations, (int, np.integer)) or not 1 <= self.max_generations < PREDICTIVE:
            raise bad("max_generations", f"an integer from 1 to {PREDICTIVE - 1}")
        for name, low in (("n_particles", 2), ("replicates", 1), ("n_predictive", 0)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < low:
                raise bad(name, f"an integer >= {low}")
        for name in ("quantile", "rejection_quantile"):
            if not 0 < getattr(self, name) < 1:
                raise bad(name, "between 0 and 1 (exclusive)")
        for name in ("min_epsilon", "min_acceptance", "min_ess"):
            if not (getattr(self, name) >= 0 and math.isfinite(getattr(self, name))):
                raise bad(name, "a finite number >= 0")
        if not (self.kernel_scale > 0 and math.isfinite(self.kernel_scale)):
            raise bad("kernel_scale", "a positive number")
        if self.max_simulations is not None and (isinstance(self.max_simulations, bool)
                                                 or not isinstance(self.max_simulations, int)
                                                 or self.max_simulations < self.n_particles):
            raise bad("max_simulations", f"None or an integer >= n_particles ({self.n_particles})")
        return self

    def content(self) -> dict[str, Any]:
        """The settings that decide the particles (not when to stop): a rerun must match them."""
        keys = ("method", "n_particles", "quantile", "min_epsilon", "kernel_scale", "replicates")
        out = {k: getattr(self, k) for k in keys}
        if self.method == "rejection":
            out["rejection_quantile"] = self.rejection_quantile
        return out


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed parameter set: generation, index, internal coordinates, field values, replicate keys."""

    generation: int
    index: int
    z: np.ndarray
    values: dict[str, Any]
    label: str
    keys: tuple[int, ...]


class Simulator(Protocol):
    """Runs candidates and returns, for each, the summaries of its replicates (in ``keys`` order)."""

    def __call__(self, candidates: Sequence[Candidate]) -> list[list[Mapping[str, Any]]]: ...


def candidate(prior: Prior, t: int, i: int, z: np.ndarray, replicates: int, label: str | None = None) -> Candidate:
    """A candidate with its replicate keys ``t * STRIDE + i * replicates + r``."""
    if (i + 1) * replicates > STRIDE:
        raise ConfigError(f"calibrate: generation {t} would need more than {STRIDE:,} simulations.")
    keys = tuple(t * STRIDE + i * replicates + r for r in range(replicates))
    return Candidate(t, i, np.asarray(z, dtype=np.float64), prior.values(z), label or f"g{t:03d}", keys)


@dataclass
class Generation:
    """One generation's accepted particles and what it took to get them."""

    t: int
    epsilon: float
    index: np.ndarray  # int64[N] candidate index
    ancestor: np.ndarray  # int64[N] index of the parent in generation t - 1 (-1: drawn from the prior)
    z: np.ndarray  # float64[N, d] internal coordinates
    weights: np.ndarray  # float64[N], summing to 1
    distance: np.ndarray  # float64[N]
    scores: np.ndarray  # float64[N, T] per target
    sim_k: np.ndarray  # float64[N, T] simulated numerator (or metric)
    sim_n: np.ndarray  # float64[N, T] simulated denominator (NaN for a metric band)
    n_simulated: int
    n_accepted: int  # accepted among all simulated candidates (>= N)

    @property
    def ess(self) -> float:
        """Effective sample size of the weights."""
        return ess(self.weights)

    @property
    def acceptance_rate(self) -> float:
        """Accepted candidates per simulated candidate."""
        return self.n_accepted / max(self.n_simulated, 1)

    def record(self) -> dict[str, Any]:
        """The generation's line in calibration.json."""
        return {"generation": self.t, "epsilon": self.epsilon, "n_particles": int(self.index.size),
                "n_simulations": self.n_simulated, "n_accepted": self.n_accepted,
                "acceptance_rate": self.acceptance_rate, "ess": self.ess}


@dataclass
class Run:
    """The generations of a calibration and why it stopped."""

    generations: list[Generation]
    stop_reason: str
    resumed_from: int = 0
    log: list[str] = field(default_factory=list)

    @property
    def final(self) -> Generation:
        """The last complete generation: the posterior."""
        return self.generations[-1]

    @property
    def n_simulations(self) -> int:
        """Candidates simulated over all complete generations."""
        return sum(g.n_simulated for g in self.generations)


def ess(weights: np.ndarray) -> float:
    """Effective sample size ``(sum w)^2 / sum w^2``.

    Examples:
        >>> ess(np.ones(10)), ess(np.array([1.0, 0.0, 0.0]))
        (10.0, 1.0)
    """
    w = np.asarray(weights, dtype=np.float64)
    return float(w.sum() ** 2 / np.sum(w * w))


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """Quantile(s) ``q`` of values ``x`` with weights ``w`` (midpoint rule, linear interpolation).

    Examples:
        >>> float(weighted_quantile(np.array([1.0, 2.0, 3.0]), np.ones(3), 0.5))
        2.0
    """
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws)
    p = (cw - ws / 2.0) / cw[-1]
    return np.interp(q, p, xs)


def simulated_values(targets: TargetSet, results: Sequence[Sequence[Mapping[str, Any]]]) -> tuple[np.ndarray, ...]:
    """Per candidate and target: the summed numerator (or mean metric) and summed denominator over replicates."""
    tl = list(targets)
    k = np.full((len(results), len(tl)), np.nan)
    n = np.full((len(results), len(tl)), np.nan)
    for i, reps in enumerate(results):
        for j, target in enumerate(tl):
            if target.kind == "band_metric":
                k[i, j] = float(np.mean([metric_value(s, target.metric) for s in reps]))
            else:
                k[i, j] = sum_metrics(reps, target.numerator)
                n[i, j] = sum_metrics(reps, target.denominator)
    return k, n


def distances(targets: TargetSet, sim_k: np.ndarray, sim_n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-target scores (deviances) and the ABC distance: the sum over targets that drive the fit.

    NaN scores count as infinite. A target with ``fit = false`` is scored (for the report) but left
    out of the distance.

    Raises:
        ConfigError: If a binomial target's simulated numerator exceeds its denominator.
    """
    scores = np.empty_like(sim_k)
    for j, target in enumerate(targets):
        k, n = sim_k[:, j], sim_n[:, j]
        if target.kind != "band_metric" and target.count_model == "binomial" and np.any(k > n):
            raise ConfigError(
                f"Target {target.name!r}: a simulation counted {k[k > n][0]:g} {'+'.join(target.numerator)} out of "
                f"{n[k > n][0]:g} {'+'.join(target.denominator)}; a binomial count must be a subset of its "
                "denominator. Use count_model = 'poisson' for a rate per unit of the denominator.")
        scores[:, j] = target_deviance(target, k, n)
    scores = np.where(np.isnan(scores), np.inf, scores)
    fitted = np.array([t.fit for t in targets], dtype=bool)
    return scores, scores[:, fitted].sum(axis=1)


def _covariance(gen: Generation, prior: Prior, scale: float) -> np.ndarray:
    w = gen.weights / gen.weights.sum()
    mean = w @ gen.z
    dz = gen.z - mean
    denom = max(1.0 - float(np.sum(w * w)), 1e-12)
    cov = scale * (dz * w[:, None]).T @ dz / denom
    return cov + np.diag(1e-10 * (prior.hi - prior.lo) ** 2)


def _kernel_weights(z: np.ndarray, prev: Generation, cov: np.ndarray, chunk: int = 256) -> np.ndarray:
    """Importance weights ``1 / sum_j w_j N(z_i; z_j, cov)`` (uniform prior), normalised."""
    inv = np.linalg.inv(cov)
    log_w = np.log(prev.weights)
    log_q = np.empty(z.shape[0])
    for lo in range(0, z.shape[0], chunk):
        diff = z[lo:lo + chunk, None, :] - prev.z[None, :, :]
        m = np.einsum("ijk,kl,ijl->ij", diff, inv, diff)
        log_q[lo:lo + chunk] = logsumexp(log_w[None, :] - 0.5 * m, axis=1)
    w = np.exp(-(log_q - log_q.min()))
    return w / w.sum()


class _Proposal:
    """Draws candidate ``i`` of generation ``t``: from the prior (t = 0) or by perturbing generation t - 1."""

    def __init__(self, prior: Prior, seed: int, t: int, prev: Generation | None, scale: float) -> None:
        self.prior, self.seed, self.t, self.prev = prior, seed, t, prev
        self.lo, self.hi = prior.lo, prior.hi
        if prev is not None:
            self.cov = _covariance(prev, prior, scale)
            self.chol = np.linalg.cholesky(self.cov)
            self.cdf = np.cumsum(prev.weights)

    def __call__(self, i: int) -> tuple[np.ndarray, int]:
        if self.prev is None:
            u = stream(self.seed, 0, "calibration.prior", step=i).random(self.prior.d)
            return self.lo + u * (self.hi - self.lo), -1
        rng = stream(self.seed, self.t, "calibration.perturb", step=i)
        n = self.prev.z.shape[0]
        for _ in range(_MAX_TRIES):
            j = min(int(np.searchsorted(self.cdf, rng.random() * self.cdf[-1], side="right")), n - 1)
            z = self.prev.z[j] + self.chol @ rng.standard_normal(self.prior.d)
            if (z >= self.lo).all() and (z <= self.hi).all():
                return z, j
        raise RuntimeError(f"generation {self.t}: no perturbed candidate inside the prior after {_MAX_TRIES} tries")


def _tolerance(prev: Generation, settings: Settings) -> float:
    """The next tolerance: a weighted quantile of the previous distances, but always below the previous tolerance.

    With discrete distances (small counts) the quantile can equal the previous tolerance; the
    tolerance then steps down to the largest previous distance below it, so the schedule never stalls.
    """
    eps = float(weighted_quantile(prev.distance, prev.weights, settings.quantile))
    if eps >= prev.epsilon:
        below = prev.distance[prev.distance < prev.epsilon]
        eps = float(below.max()) if below.size else prev.epsilon
    return max(eps, settings.min_epsilon)


def _batch_size(need: int, rate: float, n_particles: int) -> int:
    return int(min(max(math.ceil(1.1 * need / max(rate, 0.02)), need), 20 * n_particles))


@dataclass
class _Pool:
    """Candidates of one generation simulated so far, in index order."""

    z: list = field(default_factory=list)
    ancestor: list = field(default_factory=list)
    k: list = field(default_factory=list)
    n: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    dist: list = field(default_factory=list)

    def extend(self, z, anc, k, n, scores, dist) -> None:
        self.z += list(z)
        self.ancestor += list(anc)
        self.k += list(k)
        self.n += list(n)
        self.scores += list(scores)
        self.dist += list(dist)

    def __len__(self) -> int:
        return len(self.dist)


def _simulate(prior: Prior, targets: TargetSet, simulate: Simulator, t: int, start: int, zs, replicates: int):
    cands = [candidate(prior, t, start + i, z, replicates) for i, z in enumerate(zs)]
    k, n = simulated_values(targets, simulate(cands))
    scores, dist = distances(targets, k, n)
    return k, n, scores, dist


def _generation(prior, targets, simulate, settings, seed, t, prev, budget_left) -> Generation | None:
    """Run generation ``t``; ``None`` when the simulation budget ran out before it was complete."""
    N = settings.n_particles
    propose = _Proposal(prior, seed, t, prev, settings.kernel_scale)
    if settings.method == "rejection" or prev is None:
        eps, rate = math.inf, 1.0
    else:
        eps = _tolerance(prev, settings)
        rate = prev.acceptance_rate * settings.quantile
    pool = _Pool()
    while True:
        dist = np.asarray(pool.dist, dtype=np.float64)
        accepted = np.flatnonzero(np.isfinite(dist) & (dist <= eps))
        if settings.method == "rejection":
            need = math.ceil(N / settings.rejection_quantile) - len(pool)
            if need <= 0:
                if accepted.size < N:
                    raise ConfigError(f"calibrate: only {accepted.size} of {len(pool)} prior draws could be scored "
                                      f"(fewer than n_particles = {N}); check the targets.")
                keep = np.sort(np.lexsort((np.arange(len(pool)), dist))[:N])
                return _make(t, float(dist[keep].max()), keep, pool, None, keep.size)
            size = need
        else:
            if accepted.size >= N:
                keep = accepted[:N]
                return _make(t, eps, keep, pool, (prev, propose), accepted.size)
            est = accepted.size / len(pool) if accepted.size else (rate if not len(pool) else rate / 2)
            rate = est
            size = _batch_size(N - accepted.size, est, N)
        if budget_left is not None:
            size = min(size, budget_left - len(pool))
            if size <= 0:
                return None
        start = len(pool)
        drawn = [propose(start + i) for i in range(size)]
        k, n, scores, dist = _simulate(prior, targets, simulate, t, start, [d[0] for d in drawn], settings.replicates)
        pool.extend([d[0] for d in drawn], [d[1] for d in drawn], k, n, scores, dist)


def _make(t, eps, keep, pool: _Pool, kernel, n_accepted) -> Generation:
    z = np.asarray(pool.z)[keep]
    if kernel is None or kernel[0] is None:
        weights = np.full(keep.size, 1.0 / keep.size)
    else:
        prev, propose = kernel
        weights = _kernel_weights(z, prev, propose.cov)
    return Generation(t, float(eps), keep.astype(np.int64), np.asarray(pool.ancestor, dtype=np.int64)[keep], z,
                      weights, np.asarray(pool.dist)[keep], np.asarray(pool.scores)[keep], np.asarray(pool.k)[keep],
                      np.asarray(pool.n)[keep], len(pool), int(n_accepted))


def _stop_reason(gens: list[Generation], settings: Settings) -> str | None:
    t = len(gens)
    if settings.method == "rejection":
        return "rejection sample complete" if t >= 1 else None
    if t >= settings.max_generations:
        return f"reached max_generations = {settings.max_generations}"
    if t == 0:
        return None
    last = gens[-1]
    if last.epsilon <= settings.min_epsilon:
        return f"tolerance reached min_epsilon = {settings.min_epsilon:g}"
    if t >= 2 and last.acceptance_rate < settings.min_acceptance:
        return f"acceptance rate {last.acceptance_rate:.3g} fell below min_acceptance = {settings.min_acceptance:g}"
    if last.ess < settings.min_ess:
        return f"effective sample size {last.ess:.1f} fell below min_ess = {settings.min_ess:g}"
    return None


def _replay(done: list[Generation], settings: Settings) -> list[Generation]:
    """The generations a run from scratch would have kept, so a rerun with other stopping rules stops alike."""
    for k in range(len(done)):
        used = sum(g.n_simulated for g in done[: k + 1])
        if _stop_reason(done[:k], settings) is not None or (settings.max_simulations is not None
                                                             and used > settings.max_simulations):
            return done[:k]
    return done


def run_abc(
    prior: Prior,
    targets: TargetSet,
    simulate: Simulator,
    *,
    seed: int,
    settings: Settings | None = None,
    generations: Sequence[Generation] = (),
    on_generation: Callable[[Generation], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> Run:
    """Run ABC-SMC (or rejection ABC) until a stopping rule holds.

    Args:
        prior: The unknowns and their ranges.
        targets: The observed targets.
        simulate: Runs candidates (see :class:`Simulator`).
        seed: Root seed of every proposal.
        settings: How to sample (default :class:`Settings`).
        generations: Generations already complete (from a checkpoint); the run continues after them.
        on_generation: Called with each new generation as soon as it is complete (to checkpoint it).
        log: Called with a line of progress per generation.

    Returns:
        :class:`Run`.

    Examples:
        >>> from scrutiny.calibration import load_targets, make_prior
        >>> t = load_targets({"targets": {"p": {"numerator": "k", "denominator": "n",
        ...                   "observed": {"k": 3, "n": 10}, "source": "toy"}}})
        >>> prior = make_prior([{"name": "p", "lo": 0.0, "hi": 1.0}])
        >>> sim = lambda cands: [[{"k": round(10 * c.values["p"]), "n": 10}] for c in cands]
        >>> run = run_abc(prior, t, sim, seed=1, settings=Settings(n_particles=20, max_generations=3))
        >>> len(run.generations), run.final.epsilon <= run.generations[1].epsilon
        (3, True)
    """
    settings = (settings or Settings()).check()
    gens = _replay(list(generations), settings)
    resumed = len(gens)
    lines: list[str] = []
    while (reason := _stop_reason(gens, settings)) is None:
        used = sum(g.n_simulated for g in gens)
        budget_left = None if settings.max_simulations is None else settings.max_simulations - used
        gen = _generation(prior, targets, simulate, settings, seed, len(gens), gens[-1] if gens else None,
                          budget_left)
        if gen is None:
            reason = f"simulation budget max_simulations = {settings.max_simulations} spent"
            break
        gens.append(gen)
        if on_generation is not None:
            on_generation(gen)
        line = (f"generation {gen.t}: tolerance {gen.epsilon:.4g}, accepted {gen.n_accepted} of {gen.n_simulated} "
                f"({100 * gen.acceptance_rate:.1f}%), ESS {gen.ess:.0f}")
        lines.append(line)
        if log is not None:
            log(line)
    if not gens:
        raise ConfigError(f"calibrate: no generation was completed ({reason}); raise max_simulations.")
    return Run(gens, reason, resumed, lines)


def check_first(targets: TargetSet, simulate: Simulator, prior: Prior, replicates: int, origin: str) -> None:
    """Simulate the middle of the prior once (label ``probe``) and check the targets' metric names on it."""
    z = prior.from_unit(np.full(prior.d, 0.5))
    probe = Candidate(PROBE, 0, z, prior.values(z), "probe", (PROBE * STRIDE,))
    summaries = simulate([probe])[0]
    check_metrics(targets, summaries[0], origin=origin)

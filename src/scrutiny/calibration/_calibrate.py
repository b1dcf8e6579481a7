"""Calibrate: fit a scenario's unknowns to observed targets, and write the posterior and its report.

:func:`calibrate` fits Scrutiny; :func:`calibrate_model` is the same machinery for any simulator
(toy models with a known answer, in tests). Both write, into ``out``:

* ``generations/gNNN.parquet``: each finished generation (the checkpoint a rerun resumes from);
* ``particles.parquet``: every generation's particles and weights (the last is the posterior);
* ``calibration.json``: provenance; each parameter's 5 / 50 / 95% posterior quantiles; each
  generation's tolerance, simulations, acceptance rate and effective sample size; and the
  posterior predictive of every target beside its observed band;
* ``report.html``: posterior ranges, a pair plot, observed against simulated for every target;
* for Scrutiny, the results store (``parts/``, ``results.duckdb``) of every simulation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from scrutiny._version import __version__
from scrutiny.calibration._checkpoint import (
    fingerprint_hash,
    generation_table,
    load_generations,
    save_generation,
    write_bytes_atomic,
)
from scrutiny.calibration._priors import Parameter, Prior, make_prior
from scrutiny.calibration._smc import (
    PREDICTIVE,
    Run,
    Settings,
    Simulator,
    candidate,
    check_first,
    distances,
    run_abc,
    simulated_values,
    weighted_quantile,
)
from scrutiny.calibration._targets import TargetSet, default_targets_path, load_targets
from scrutiny.errors import ConfigError, did_you_mean
from scrutiny.rng import stream

__all__ = ["Calibration", "calibrate", "calibrate_model", "DEFAULT_PARAMS", "QUANTILES"]

#: Unknowns calibrated when neither the call nor the targets file names any.
DEFAULT_PARAMS: tuple[str, ...] = (
    "field.threshold", "field.rel_gallery_size", "sources.admin.p_address_current", "operations.rel_local_intensity",
)
#: The posterior quantiles reported.
QUANTILES = (0.05, 0.5, 0.95)


def _json(obj: Any) -> str:
    def clean(v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        if isinstance(v, (float, np.floating)):
            return float(v) if math.isfinite(v) else None
        if isinstance(v, (np.integer,)):
            return int(v)
        if isinstance(v, np.bool_):
            return bool(v)
        return v

    return json.dumps(clean(obj), indent=2, allow_nan=False) + "\n"


def _observed_range(target) -> dict[str, Any]:
    """The observed value and its range: the band, or k/n with a 95% Jeffreys interval stretched by the undercount."""
    from scipy import stats

    lo, hi = target.observed_band()
    if target.kind != "count":
        return {"band": [lo, hi], "lo": lo, "hi": hi}
    k, n = target.observed.k, target.observed.n
    ulo, uhi = target.undercount or (1.0, 1.0)
    if target.count_model == "binomial":
        ci_lo = 0.0 if k == 0 else float(stats.beta.ppf(0.025, k + 0.5, n - k + 0.5))
        ci_hi = 1.0 if k == n else float(stats.beta.ppf(0.975, k + 0.5, n - k + 0.5))
        top = min(ci_hi * uhi, 1.0)
    else:  # a Poisson rate per unit of n
        ci_lo = 0.0 if k == 0 else float(stats.gamma.ppf(0.025, k + 0.5)) / n
        ci_hi = float(stats.gamma.ppf(0.975, k + 0.5)) / n
        top = ci_hi * uhi
    return {"k": k, "n": n, "rate": k / n, "undercount": list(target.undercount) if target.undercount else None,
            "lo": ci_lo * ulo, "hi": top, "band": [lo, hi]}


@dataclass
class Calibration:
    """Results of a calibration: the generations, the posterior and its predictive, with provenance."""

    prior: Prior
    targets: TargetSet
    settings: Settings
    run: Run
    seed: int
    provenance: dict[str, Any]
    predictive: np.ndarray | None = None  # float64[P, T]: simulated rate or metric per predictive draw
    predictive_scores: np.ndarray | None = None  # float64[P, T]

    @property
    def final(self):
        """The posterior generation."""
        return self.run.final

    def posterior(self) -> dict[str, dict[str, float]]:
        """Each parameter's weighted 5 / 50 / 95% quantiles and mean, with its prior range."""
        x, w = self.prior.to_x(self.final.z), self.final.weights
        out = {}
        for j, p in enumerate(self.prior.params):
            q = weighted_quantile(x[:, j], w, QUANTILES)
            out[p.name] = {"q05": float(q[0]), "q50": float(q[1]), "q95": float(q[2]),
                           "mean": float(np.sum(w * x[:, j]) / w.sum()), "prior": p.describe()}
        return out

    def medians(self) -> dict[str, Any]:
        """Posterior medians as dotted overrides (integers rounded), e.g. for a shipped default."""
        post = self.posterior()
        return {p.name: (int(round(post[p.name]["q50"])) if p.integer else post[p.name]["q50"])
                for p in self.prior.params}

    def target_summary(self) -> dict[str, Any]:
        """Each target: its definition and source, its observed band, and its posterior predictive."""
        out = {}
        for j, t in enumerate(self.targets):
            obs = _observed_range(t)
            entry = {"kind": t.kind, "numerator": list(t.numerator or []), "denominator": list(t.denominator or []),
                     "metric": t.metric, "count_model": t.count_model, "source": t.source, "note": t.note,
                     "observed": obs}
            if self.predictive is not None and self.predictive.shape[0]:
                v = self.predictive[:, j]
                fin = v[np.isfinite(v)]
                if fin.size:
                    q = np.quantile(fin, QUANTILES)
                    entry["predictive"] = {"q05": q[0], "q50": q[1], "q95": q[2], "mean": float(fin.mean()),
                                           "n": int(fin.size), "undefined": int(v.size - fin.size),
                                           "median_score": float(np.median(self.predictive_scores[:, j]))}
                    entry["median_inside"] = bool(obs["lo"] <= q[1] <= obs["hi"])
                    entry["overlaps"] = bool(q[0] <= obs["hi"] and q[2] >= obs["lo"])
            out[t.name] = entry
        return out

    def summary(self) -> dict[str, Any]:
        """What ``calibration.json`` holds."""
        prov = {**self.provenance, "stop_reason": self.run.stop_reason, "n_simulations": self.run.n_simulations,
                "n_generations": len(self.run.generations)}
        return {"provenance": prov, "parameters": self.posterior(),
                "generations": [g.record() for g in self.run.generations], "targets": self.target_summary()}

    def particles(self) -> pd.DataFrame:
        """Every generation's particles: generation, index, ancestor, weight, distance, values, scores, counts."""
        names = self.targets.names
        return pd.concat([generation_table(g, self.prior, names) for g in self.run.generations], ignore_index=True)

    def write(self, out: str | Path, *, report: bool = True) -> Path:
        """Write ``calibration.json``, ``particles.parquet`` and ``report.html`` into ``out`` (each atomically)."""
        out = Path(out)
        summary = self.summary()
        table = pa.Table.from_pandas(self.particles(), preserve_index=False)
        table = table.replace_schema_metadata({b"scrutiny.calibration": _json(summary["provenance"]).encode()})
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        write_bytes_atomic(out / "particles.parquet", sink.getvalue().to_pybytes())
        write_bytes_atomic(out / "calibration.json", _json(summary).encode())
        if report:
            from scrutiny.calibration._report import render_calibration

            write_bytes_atomic(out / "report.html", render_calibration(summary, self.particles()).encode())
        return out


def _settings(settings: Settings | None, options: Mapping[str, Any]) -> Settings:
    settings = settings or Settings()
    allowed = [f.name for f in dataclasses.fields(Settings)]
    for key in options:
        if key not in allowed:
            raise ConfigError(f"calibrate: unknown option {key!r}.{did_you_mean(key, allowed)} Allowed: {allowed}")
    return dataclasses.replace(settings, **options).check()


def _predictive(calib: Calibration, simulate: Simulator) -> None:
    n = calib.settings.n_predictive
    final = calib.final
    if n == 0:
        calib.predictive, calib.predictive_scores = _rates(final.sim_k, final.sim_n, calib.targets), final.scores
        return
    u = stream(calib.seed, final.t, "calibration.resample").random(n)
    cdf = np.cumsum(final.weights)
    idx = np.minimum(np.searchsorted(cdf, u * cdf[-1], side="right"), final.z.shape[0] - 1)
    t = PREDICTIVE + final.t
    cands = [candidate(calib.prior, t, i, final.z[j], calib.settings.replicates, label=f"pred{final.t:03d}")
             for i, j in enumerate(idx)]
    k, nn = simulated_values(calib.targets, simulate(cands))
    calib.predictive_scores, _ = distances(calib.targets, k, nn)
    calib.predictive = _rates(k, nn, calib.targets)


def _rates(k: np.ndarray, n: np.ndarray, targets: TargetSet) -> np.ndarray:
    out = np.array(k, dtype=np.float64)
    for j, t in enumerate(targets):
        if t.kind != "band_metric":
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, j] = np.where(n[:, j] > 0, k[:, j] / np.where(n[:, j] > 0, n[:, j], 1.0), np.nan)
    return out


def calibrate_model(
    simulate: Simulator,
    prior: Prior | Sequence[Parameter | Mapping[str, Any] | str],
    targets: TargetSet | Mapping[str, Any] | str | Path,
    *,
    seed: int,
    settings: Settings | None = None,
    out: str | Path | None = None,
    model: Mapping[str, Any] | None = None,
    provenance: Mapping[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
    report: bool = True,
    check: bool = True,
) -> Calibration:
    """Calibrate any simulator against targets (the machinery behind :func:`calibrate`).

    Args:
        simulate: Runs candidates (see :class:`~scrutiny.calibration.Simulator`).
        prior: The unknowns (a :class:`Prior`, or what :func:`make_prior` accepts).
        targets: The targets (a :class:`TargetSet`, a mapping or a TOML path).
        seed: Root seed: the same seed and inputs give the same posterior.
        settings: How to sample (default :class:`Settings`).
        out: Output folder: checkpoint, ``particles.parquet``, ``calibration.json``, ``report.html``.
            A rerun with the same inputs continues where the folder left off.
        model: JSON description of the simulator, part of the fingerprint a rerun must match.
        provenance: Extra provenance recorded in ``calibration.json``.
        log: Called with one line per generation.
        report: Write ``report.html``.
        check: Simulate one probe first and check that every target's metrics exist.

    Returns:
        :class:`Calibration`.
    """
    prior = make_prior(prior)
    targets = load_targets(targets)
    settings = (settings or Settings()).check()
    names = targets.names
    fingerprint = {"model": dict(model or {}), "seed": int(seed), "prior": prior.describe(),
                   "targets": targets.canonical_hash(), "settings": settings.content(), "scrutiny_version": __version__}
    folder = Path(out) if out is not None else None
    done = load_generations(folder, prior, names, fingerprint) if folder is not None else []
    if check:
        check_first(targets, simulate, prior, settings.replicates, origin=str((provenance or {}).get("targets_file")
                                                                            or "targets"))

    def keep(gen) -> None:
        if folder is not None:
            save_generation(folder, gen, prior, names, fingerprint)

    run = run_abc(prior, targets, simulate, seed=seed, settings=settings, generations=done, on_generation=keep,
                  log=log)
    prov = {"scrutiny_version": __version__, "numpy_version": np.__version__, "seed": int(seed),
            "method": settings.method, "settings": dataclasses.asdict(settings), "prior": prior.describe(),
            "targets_hash": targets.canonical_hash(), "fingerprint_sha256": fingerprint_hash(fingerprint),
            "model": dict(model or {}), **dict(provenance or {})}
    calib = Calibration(prior, targets, settings, run, int(seed), prov)
    _predictive(calib, simulate)
    if folder is not None:
        calib.write(folder, report=report)
    return calib


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def calibrate(
    scenario: Any = None,
    targets: TargetSet | Mapping[str, Any] | str | Path | None = None,
    params: Sequence[str | Parameter] | None = None,
    *,
    out: str | Path | None = None,
    settings: Settings | None = None,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    report: bool = True,
    **options: Any,
) -> Calibration:
    """Fit a scenario's unknowns to observed targets by ABC-SMC (or rejection ABC).

    Args:
        scenario: The scenario (or its TOML path; default the us-interior preset). Every field
            not calibrated keeps its value; its ``seed`` seeds the calibration.
        targets: Targets file or mapping (default: the packaged us-interior targets).
        params: Unknowns as for ``scrutiny sensitivity --params``: ``NAME`` (documented range,
            log-uniform over two decades or more) or ``NAME=LO:HI[:log|lin]``. Default: the targets
            file's ``parameters``, else :data:`DEFAULT_PARAMS`.
        out: Output folder and results store; a rerun of the same call resumes there.
        settings: How to sample (:class:`Settings`); ``options`` override single settings
            (``n_particles=200``, ``max_generations=6``, ``method="rejection"``...).
        workers: Local worker processes (the posterior does not depend on it).
        scheduler: Dask scheduler address or client (overrides ``workers``).
        progress: Show a progress bar per batch of simulations.
        log: Called with one line per generation.
        report: Write ``report.html``.
        **options: Fields of :class:`Settings`.

    Returns:
        :class:`Calibration`.

    Raises:
        ConfigError: For a bad target, parameter or setting, or a target metric that Scrutiny
            does not produce (naming the target and the metric, with the closest name).

    Examples:
        >>> from scrutiny.scenario import load_scenario
        >>> s = load_scenario(overrides={"world.n_people": 2000, "n_days": 4})
        >>> t = {"targets": {"citizens": {"numerator": "detained_by_status.citizen_birth",
        ...      "denominator": "detained", "band": [0.0, 0.5], "source": "illustration"}}}
        >>> c = calibrate(s, t, ["field.threshold"], method="rejection", n_particles=5, n_predictive=0)
        >>> sorted(c.posterior()["field.threshold"])[:3]
        ['mean', 'prior', 'q05']
    """
    from scrutiny.calibration._simulator import ScrutinySimulator
    from scrutiny.experiments._compare import _scenario
    from scrutiny.scenario import load_scenario

    base = load_scenario() if scenario is None else _scenario(scenario)
    targets_file = None
    if targets is None or isinstance(targets, (str, Path)):
        targets_file = Path(targets) if targets is not None else default_targets_path()
    target_set = load_targets(targets_file if targets_file is not None else targets)
    texts = list(params) if params else (list(target_set.parameters) or list(DEFAULT_PARAMS))
    origin = "--params" if params else (f"parameters of {targets_file or 'the targets'}" if target_set.parameters
                                        else "default parameters")
    prior = make_prior(texts, origin=origin)
    settings = _settings(settings, options)
    meta = {"seed": base.seed, "base_config_hash": base.config_hash(), "targets_hash": target_set.canonical_hash(),
            "prior": prior.describe(), "settings": settings.content()}
    sim = ScrutinySimulator(base, store=out, workers=workers, scheduler=scheduler, progress=progress, meta=meta)
    packaged = targets_file is not None and targets_file.resolve().parent == default_targets_path().resolve().parent
    provenance = {"scenario_name": base.name, "config_hash": base.config_hash(),
                  "targets_file": (f"packaged:{targets_file.name}" if packaged else str(targets_file))
                  if targets_file is not None else None,
                  "targets_file_sha256": _file_sha256(targets_file) if targets_file is not None else None,
                  "targets_description": target_set.description}
    return calibrate_model(sim, prior, target_set, seed=base.seed, settings=settings, out=out,
                           model={"simulator": "scrutiny", "config_hash": base.config_hash()},
                           provenance=provenance, log=log, report=report)

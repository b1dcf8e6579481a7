"""Calibration: fit the unknowns that nobody has published to observed outcomes, and carry the posterior on.

* **Targets** (:func:`load_targets`): a TOML file of observed outcomes, each a count ``k`` of
  ``n`` (optionally an undercount) or a band, with its public source; the packaged us-interior
  file comes from CALIBRATION.md's table of observed outcomes.
* **Priors** (:func:`make_prior`): dotted scenario fields over their documented ranges, or
  ``NAME=LO:HI[:log|lin]`` as for ``scrutiny sensitivity``.
* **Scores** (:mod:`._score`): binomial (or Poisson) deviances, fit for tiny counts over large
  denominators; an undercount is profiled out; a band scores zero inside.
* **Method** (:func:`run_abc`): ABC-SMC with adaptive tolerance and importance weights, or
  rejection ABC; implemented here rather than with pyABC because pyABC's samplers cannot give the
  same posterior for the same seed whatever the number of workers (see :mod:`._smc`).
* **Running it** (:func:`calibrate`): Scrutiny's simulations go through the experiments
  executor (local processes or Dask) into the results store, and each generation is
  checkpointed, so a killed calibration resumes with nothing lost and the same posterior.
* **Using it** (:func:`load_posterior`): ``scrutiny run|compare|sweep --posterior DIR`` runs
  replicate ``r`` of every arm or point with posterior draw ``r``, so intervals include what we
  do not know about the matcher as well as chance, and paired differences stay paired.
"""

from scrutiny.calibration._calibrate import DEFAULT_PARAMS, QUANTILES, Calibration, calibrate, calibrate_model
from scrutiny.calibration._posterior import Posterior, load_posterior
from scrutiny.calibration._priors import Parameter, Prior, make_prior
from scrutiny.calibration._score import (
    band_count_deviance,
    band_value_deviance,
    binomial_deviance,
    target_deviance,
    undercount_deviance,
)
from scrutiny.calibration._ship import write_shipped_summary
from scrutiny.calibration._simulator import ScrutinySimulator
from scrutiny.calibration._smc import (
    Candidate,
    Generation,
    Run,
    Settings,
    Simulator,
    ess,
    run_abc,
    weighted_quantile,
)
from scrutiny.calibration._targets import (
    Observed,
    Target,
    TargetSet,
    check_metrics,
    default_targets_path,
    load_targets,
    metric_names,
    metric_value,
)

__all__ = [
    "calibrate",
    "calibrate_model",
    "Calibration",
    "DEFAULT_PARAMS",
    "QUANTILES",
    "Settings",
    "run_abc",
    "Run",
    "Generation",
    "Candidate",
    "Simulator",
    "ScrutinySimulator",
    "ess",
    "weighted_quantile",
    "Parameter",
    "Prior",
    "make_prior",
    "Target",
    "TargetSet",
    "Observed",
    "load_targets",
    "default_targets_path",
    "check_metrics",
    "metric_names",
    "metric_value",
    "binomial_deviance",
    "undercount_deviance",
    "band_count_deviance",
    "band_value_deviance",
    "target_deviance",
    "Posterior",
    "load_posterior",
    "write_shipped_summary",
]

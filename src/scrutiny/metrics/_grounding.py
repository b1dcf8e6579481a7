"""Metrics the documented record speaks to: scans per arrest, criminal history, the quota, custody, release.

Each has a counterpart in CALIBRATION.md's table of observed outcomes (scans per arrest from the
reported use of the face app; arrestees with no criminal history and the detained population with no
conviction; releases within 60 days), or describes a mechanism the record documents (custody
transfers from jails, the share of days a quota is met, where operations go). Shares come with the
counts they divide, so calibration can score them as k of n.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import HISTORIES, OUTCOMES, code
from scrutiny.metrics._core import count, days_detained, share
from scrutiny.metrics._registry import Context, Metric
from scrutiny.metrics._views import _by

__all__ = ["GROUNDING_METRICS"]

_CONVICTION, _NONE = HISTORIES.index("conviction"), HISTORIES.index("none")
_RELEASED = code(OUTCOMES, "released")


def _arrests(c: Context) -> float:
    return count(c.masks.det)


def _custody(c: Context) -> np.ndarray:
    """Detentions at no place and no checkpoint: handed over by a jail."""
    return c.masks.det & (c.events["place"] < 0) & (c.events["context"] < 0)


def _history(c: Context) -> np.ndarray:
    return c.events["history"][c.masks.det]


def _days(c: Context) -> np.ndarray:
    """Days each detention lasted within the window (censored at ``n_days``)."""
    ev, det = c.events, c.masks.det
    ends = c.kind("release") | c.kind("removal")
    return days_detained(ev["day"][det], ev["person"][det], ev["day"][ends], ev["person"][ends], n_days=c.n_days)


def _days_no_conviction(c: Context) -> float:
    return float(_days(c)[_history(c) != _CONVICTION].sum())


def _quota_met(c: Context) -> float:
    met = np.asarray(c.daily["quota_met"], dtype=np.float64)
    return float(np.nanmean(met)) if np.isfinite(met).any() else float("nan")


def _place_shares(c: Context) -> dict[str, float]:
    counts = _by(c.events["place_kind"], c.events.vocab.place_types, c.masks.ops)
    total = sum(counts.values())
    return {k: share(v, total) for k, v in counts.items()}


GROUNDING_METRICS: tuple[Metric, ...] = (
    Metric("scans_per_arrest", "Face scans per arrest", "scans per arrest",
           "Biometric searches made in the field per detention (observed about 0.35: more than 100,000 uses of the "
           "app, May 2025-Feb 2026, against about 36,000 arrests a month).", "identification",
           lambda c: share(count(c.masks.scan), _arrests(c)), numerator="scans", denominator="arrests"),
    Metric("custody_transfers", "Custody transfers from jails", "detentions",
           "Detentions handed over by local jails on a detainer (287(g), Secure Communities), not made in the field.",
           "volume", lambda c: count(_custody(c))),
    Metric("custody_share_of_arrests", "Share of arrests that are custody transfers", "share",
           "Detentions handed over by local jails, as a share of all detentions.", "volume",
           lambda c: share(count(_custody(c)), _arrests(c)), bounded=True,
           numerator="custody_transfers", denominator="arrests"),
    Metric("arrested_no_criminal_history", "Arrests of people with no criminal history", "detentions",
           "Detentions of people with neither a conviction nor a pending charge.", "collateral",
           lambda c: count(_history(c) == _NONE)),
    Metric("share_arrested_no_criminal_history", "Share of arrestees with no criminal history", "share",
           "Detentions of people with neither a conviction nor a pending charge, as a share of all detentions "
           "(observed about one third, Jan-Oct 2025).", "collateral",
           lambda c: share(count(_history(c) == _NONE), _arrests(c)), bounded=True,
           numerator="arrested_no_criminal_history", denominator="arrests"),
    Metric("arrested_no_conviction", "Arrests of people with no conviction", "detentions",
           "Detentions of people without a criminal conviction (a pending charge or nothing).", "collateral",
           lambda c: count(_history(c) != _CONVICTION)),
    Metric("share_arrested_no_conviction", "Share of arrestees with no conviction", "share",
           "Detentions of people without a criminal conviction, as a share of all detentions.", "collateral",
           lambda c: share(count(_history(c) != _CONVICTION), _arrests(c)), bounded=True,
           numerator="arrested_no_conviction", denominator="arrests"),
    Metric("detention_days", "Days in detention", "person-days",
           "Days every detainee spent detained within the window.", "volume", lambda c: float(_days(c).sum())),
    Metric("detention_days_no_conviction", "Days in detention, no conviction", "person-days",
           "Days detainees without a criminal conviction spent detained within the window.", "collateral",
           _days_no_conviction),
    Metric("share_detained_no_conviction", "Share of the detained population with no conviction", "share",
           "Days in detention of people without a conviction, as a share of all days in detention: the share of "
           "the detained population on an average day (observed 74.2%, 24 Jan 2026).", "collateral",
           lambda c: share(_days_no_conviction(c), float(_days(c).sum())), bounded=True,
           numerator="detention_days_no_conviction", denominator="detention_days"),
    Metric("removable_released", "Removable detainees released", "releases",
           "Releases (bond, parole) of removable detainees before removal, within the window.", "volume",
           lambda c: count(c.kind("release") & (c.events["outcome"] == _RELEASED))),
    Metric("removable_released_share", "Share of removable detainees released", "share",
           "Releases of removable detainees before removal, per detention of a removable person (observed about "
           "3% released within about 60 days in 2025).", "collateral",
           lambda c: share(count(c.kind("release") & (c.events["outcome"] == _RELEASED)),
                           count(c.masks.det & ~c.masks.lawful)), bounded=True),
    Metric("quota_days_met_share", "Days the quota was met", "share of days",
           "Share of days on which arrests met the daily quota (empty without a quota).", "volume", _quota_met,
           requires=("daily.quota_met",), bounded=True),
    Metric("operations_share_by_place_type", "Share of operations by type of place", "share",
           "Each type of place's share of operations (homes, workplaces, schools, clinics, churches, courthouses, "
           "protest sites).", "concentration", _place_shares, by="place_type", bounded=True),
)

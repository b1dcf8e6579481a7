"""Metrics of everyday status checks and the data they share: refusals, wrongful charges, avoidance.

The ``services`` family reads the ``status_check`` and ``report`` events (``context`` is the service
point), the status-check trigger's daily series and the ``service_reports`` tallies; it is present
only in runs that check status (``requires`` the trigger's daily series). Two chilling metrics,
``school_days_avoided`` and ``care_episodes_avoided``, read the run's chilling tallies and are present
in every run.

``school_days_avoided`` is "school days pupils missed because of fear": the school row of the chilling
tallies summed over statuses (:attr:`scrutiny.behavior.Chilling.lost`). Every child is expected at
school each weekday (one visit a day), so an avoided school visit is one school day lost; fear is a
tract's fear from visible operations plus any standing fear from data sharing, and the avoided share
is ``p_avoid_max[status] x (1 - exp(-fear))`` (doubled for lawful children in mixed-status homes).
"""

from __future__ import annotations

import numpy as np

from scrutiny._sets import unique
from scrutiny.behavior import CHILLED_PLACES
from scrutiny.codes import EVENT_KINDS, GROUPS, OUTCOMES, REFERENCE_GROUP, code
from scrutiny.metrics._core import count, rate_ratio_max, share
from scrutiny.metrics._registry import Context, Metric
from scrutiny.metrics._views import _by

__all__ = ["SERVICES_METRICS", "REFUSALS", "service_rows"]

_CHECK, _REPORT = code(EVENT_KINDS, "status_check"), code(EVENT_KINDS, "report")
#: Outcomes of a status check that deny the service: refused after a failed check, refused on doubt,
#: charged up front and gone without care.
REFUSALS: tuple[int, ...] = tuple(code(OUTCOMES, o) for o in ("service_refused", "refused_doubt", "care_refused"))
_CHARGES = tuple(code(OUTCOMES, o) for o in ("charged", "care_refused"))
_SCHOOL, _CLINIC = CHILLED_PLACES.index("school"), CHILLED_PLACES.index("clinic")
_NEEDS = ("daily.status_checks",)


def _checks(c: Context) -> np.ndarray:
    return c.kind("status_check")


def _refused_lawful(c: Context) -> np.ndarray:
    return _checks(c) & np.isin(c.events["outcome"], REFUSALS) & c.masks.lawful


def _by_service(c: Context, mask: np.ndarray) -> dict[str, float]:
    return _by(c.events["context"], tuple(c.events.vocab.service_points), mask)


def _wrongful_charges(c: Context) -> float:
    return count(_checks(c) & np.isin(c.events["outcome"], _CHARGES) & c.masks.lawful)


def _per_resident_year(c: Context, numerator: str, denominator: str) -> float:
    """A daily count summed over the run, per mean daily population, per year."""
    people = float(np.mean(c.daily[denominator])) if len(c.daily[denominator]) else 0.0
    return share(float(np.sum(c.daily[numerator])), people) * 365.0 / max(c.n_days, 1)


def _refusal_disparity(c: Context) -> float:
    """Largest ratio over groups of citizens' refusals per check, against the reference group."""
    checks = _checks(c) & c.masks.citizen
    refused = checks & np.isin(c.events["outcome"], REFUSALS)
    group = c.events["group"]
    return rate_ratio_max(np.bincount(group[refused], minlength=len(GROUPS)),
                          np.bincount(group[checks], minlength=len(GROUPS)),
                          reference=code(GROUPS, REFERENCE_GROUP), min_exposed=20.0)


def _digital_refused_share(c: Context) -> float:
    """Distinct digital-only lawful residents refused at least once, per digital-only lawful resident."""
    vocab, ev = c.events.vocab, c.events
    status = ev["status"]
    digital = np.where(status >= 0, vocab.digital_only[np.maximum(status, 0)], False)
    people = unique(ev["person"][_refused_lawful(c) & digital]).size
    return share(float(people), float(np.mean(c.daily["digital_only_lawful"])))


def _records_shared(c: Context) -> float:
    return float(c.sources["records"].get("service_reports", 0.0))


def _refusal_rate_by_service(c: Context, people: np.ndarray) -> dict[str, float]:
    """Refusals per check at each service point, among the checks of ``people`` (an event mask)."""
    checks = _checks(c) & people
    refused = _by_service(c, checks & np.isin(c.events["outcome"], REFUSALS))
    return {k: share(v, n) for (k, v), n in zip(refused.items(), _by_service(c, checks).values(), strict=True)}


def _lawful_non_citizens(c: Context) -> np.ndarray:
    return c.masks.lawful & ~c.masks.citizen


def _care_avoided_share(c: Context) -> dict[str, float]:
    """Share of the clinic visits each status expected to make that fear made them skip."""
    lost, expected = c.lost_visits[_CLINIC], c.expected_visits[_CLINIC]
    return {s: share(float(lost[i]), float(expected[i])) for i, s in enumerate(c.events.vocab.statuses)}


def _lost(c: Context, row: int, lawful_only: bool = False) -> float:
    cols = ~c.events.vocab.removable if lawful_only else slice(None)
    return float(c.lost_visits[row, cols].sum())


SERVICES_METRICS: tuple[Metric, ...] = (
    Metric("status_checks", "Status checks", "checks", "Checks of immigration status at service points (GP "
           "registration, hospital care, school admission, job centre, landlord, employer, bank...).", "services",
           lambda c: count(_checks(c)), requires=_NEEDS),
    Metric("status_checks_by_service", "Status checks by service", "checks", "Checks of immigration status at "
           "each service point.", "services", lambda c: _by_service(c, _checks(c)), requires=_NEEDS, by="service"),
    Metric("lawful_refused_service_total", "Citizens and lawful residents refused a service", "refusals",
           "Checks of citizens and lawful residents that ended in a refusal: the check failed (a digital status "
           "that did not show, a wrong record), the checker refused on doubt, or care charged up front was "
           "gone without.", "services", lambda c: count(_refused_lawful(c)), requires=_NEEDS,
           higher_is_worse=True),
    Metric("lawful_refused_service", "Citizens and lawful residents refused, by service", "refusals",
           "Refusals of citizens and lawful residents at each service point (tenancy, job, account, "
           "registration refused; hospital care gone without for an up-front charge).", "services",
           lambda c: _by_service(c, _refused_lawful(c)), requires=_NEEDS, by="service", higher_is_worse=True),
    Metric("lawful_refused_service_by_group", "Citizens and lawful residents refused, by group", "refusals",
           "Refusals of citizens and lawful residents by demographic group.", "services",
           lambda c: _by(c.events["group"], GROUPS, _refused_lawful(c)), requires=_NEEDS, by="group",
           higher_is_worse=True),
    Metric("refusal_disparity_citizens", "Disparity: citizens refused per check", "ratio vs white men",
           "Largest ratio, over demographic groups, of citizens' refusals per check against white men's (+0.5 "
           "continuity correction; groups with fewer than 20 checks left out): the discrimination against "
           "ethnic-minority citizens without a passport.", "disparity", _refusal_disparity, requires=_NEEDS,
           higher_is_worse=True),
    Metric("status_check_failures_lawful", "Failed status checks per lawful resident per year", "per resident-year",
           "Checks of citizens and lawful residents that failed (their digital status did not show, or their "
           "record was wrong), whether or not a fallback then cleared them, per lawful resident per year.",
           "services", lambda c: _per_resident_year(c, "check_failures_lawful", "lawful_residents"),
           requires=("daily.check_failures_lawful", "daily.lawful_residents"), higher_is_worse=True),
    Metric("digital_only_refused_share", "Digital-only lawful residents refused at least once", "share",
           "Share of lawful residents whose status is digital only (eVisa) who were refused a service at least once "
           "in the window.", "services", _digital_refused_share, requires=("daily.digital_only_lawful",),
           bounded=True, higher_is_worse=True),
    Metric("lawful_refusal_rate_by_service", "Refusals per check of citizens and lawful residents, by service",
           "share of checks", "Checks of citizens and lawful residents at each service point that ended in a refusal "
           "(a failed check, doubt, care gone without), per check.", "services",
           lambda c: _refusal_rate_by_service(c, c.masks.lawful), requires=_NEEDS, by="service", bounded=True,
           higher_is_worse=True),
    Metric("lawful_non_citizen_refusal_rate_by_service", "Refusals per check of lawful non-citizens, by service",
           "share of checks", "Checks of lawful residents who are not citizens (settled, pre-settled, visa holders, "
           "refugees...) at each service point that ended in a refusal, per check (mystery shopping: landlords "
           "refused or ignored non-British applicants with settled status 20 points more often).", "services",
           lambda c: _refusal_rate_by_service(c, _lawful_non_citizens(c)), requires=_NEEDS, by="service",
           bounded=True, higher_is_worse=True),
    Metric("charges", "Charges at charging points", "charges", "Episodes of care classified as chargeable "
           "(treated and billed, or charged up front and gone without).", "services",
           lambda c: count(_checks(c) & np.isin(c.events["outcome"], _CHARGES)), requires=_NEEDS),
    Metric("wrongful_charges", "Wrongful charges", "charges", "Charges of citizens and lawful residents, who are "
           "entitled to free care: a digital status that did not show, a wrong record or a wrong classification.",
           "services", _wrongful_charges, requires=_NEEDS, higher_is_worse=True),
    Metric("wrongful_charge_share", "Share of charges that were wrongful", "share of charges", "Charges of "
           "citizens and lawful residents, who are entitled to free care, as a share of all charges (observed: up to "
           "0.3 of those classified chargeable were entitled).", "services",
           lambda c: share(_wrongful_charges(c), count(_checks(c) & np.isin(c.events["outcome"], _CHARGES))),
           requires=_NEEDS, bounded=True, higher_is_worse=True, numerator="wrongful_charges", denominator="charges"),
    Metric("reports_to_enforcement", "Reports to enforcement", "reports", "People reported to enforcement by a "
           "service point (a refusal after a failed check, an unpaid debt).", "services",
           lambda c: count(c.kind("report")), requires=_NEEDS),
    Metric("records_shared", "Records shared with enforcement", "records", "Records services shared with "
           "enforcement: reports and traced addresses (sources.service_reports).", "services", _records_shared,
           requires=(*_NEEDS, "sources"), higher_is_worse=True),
    Metric("records_shared_per_enforcement_outcome", "Records shared per arrest", "records per arrest",
           "Records services shared with enforcement per detention that followed (reports and traces per arrest).",
           "services", lambda c: share(_records_shared(c), count(c.masks.det)), requires=(*_NEEDS, "sources"),
           higher_is_worse=True, numerator="records_shared", denominator="arrests"),
    Metric("care_episodes_avoided", "Care episodes avoided", "visits", "Expected clinic visits (GP and hospital) "
           "people skipped because of fear: of visible enforcement, and of charging and data sharing.", "chilling",
           lambda c: _lost(c, _CLINIC), requires=("lost_visits",), higher_is_worse=True),
    Metric("care_episodes_avoided_lawful", "Care episodes avoided by citizens and lawful residents", "visits",
           "Expected clinic visits citizens and lawful residents skipped because of fear.", "chilling",
           lambda c: _lost(c, _CLINIC, lawful_only=True), requires=("lost_visits",), higher_is_worse=True),
    Metric("care_avoided_share_by_status", "Clinic visits avoided, by status", "share of expected visits",
           "Share of the clinic visits (GP and hospital) people of each status expected to make that they skipped "
           "because of fear (observed among migrants: 0.33-0.43).", "chilling", _care_avoided_share,
           requires=("lost_visits", "expected_visits"), by="status", bounded=True, higher_is_worse=True),
    Metric("school_days_avoided", "School days avoided for fear", "pupil-days", "School days pupils missed because "
           "of fear, of visible operations and of data sharing (the chilling tallies' school row: each child is "
           "expected at school every weekday); school_days_lost is the sourced effect of visible operations alone.",
           "chilling",
           lambda c: _lost(c, _SCHOOL), requires=("lost_visits",), higher_is_worse=True),
)


def service_rows(metrics: dict) -> list[str]:
    """The names of the services metrics present in a summary, in registry order."""
    return [m.name for m in SERVICES_METRICS if m.name in metrics]

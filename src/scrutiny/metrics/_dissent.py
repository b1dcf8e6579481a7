"""Chilling and dissent: protest attendance lost and surveilled, and school, clinic and benefit avoidance.

The protest figures come from the ``protests`` trigger (present only when a scenario runs it); school
days and prenatal WIC enrolments lost come from the sourced effect sizes
(:class:`scrutiny.behavior.SourcedEffects`); clinic visits avoided and visits avoided by place type
from the fear model's lost visits (:class:`scrutiny.behavior.Chilling`).
"""

from __future__ import annotations

import numpy as np

from scrutiny.behavior import CHILLED_PLACES
from scrutiny.metrics._core import share
from scrutiny.metrics._registry import Context, Metric

__all__ = ["DISSENT_METRICS"]

_CLINIC = CHILLED_PLACES.index("clinic")


def _by_status(c: Context, values) -> dict[str, float]:
    return {name: float(v) for name, v in zip(c.events.vocab.statuses, np.asarray(values), strict=False)}


def _protest(c: Context) -> dict:
    return c.dissent["protest"]


def _effects(c: Context) -> dict:
    return c.dissent["effects"]


def _lost_by_place(c: Context) -> dict[str, float]:
    """Visits avoided by place type.

    Schools count the sourced school days lost; protests, where the trigger ran, its attendance lost;
    clinics and churches the fear model's visits avoided.
    """
    out = {place: float(c.lost_visits[j].sum()) for j, place in enumerate(CHILLED_PLACES)}
    if c.dissent is not None and "effects" in c.dissent:
        out["school"] = float(np.sum(c.dissent["effects"]["school_days_lost"]))
    if c.dissent is not None and "protest" in c.dissent:
        out["protest_site"] = float(c.dissent["protest"]["lost"].sum())
    return out


_P, _E = ("dissent.protest",), ("dissent.effects",)

DISSENT_METRICS: tuple[Metric, ...] = (
    Metric("protest_attendance_lost", "Protest attendance lost", "attendances",
           "Attendances at protest events that would-be attendees gave up, out of fear of enforcement or of the "
           "surveillance they expected there.", "dissent", lambda c: float(_protest(c)["lost"].sum()),
           requires=_P, higher_is_worse=True),
    Metric("protest_attendance_lost_share", "Share of protest attendance lost", "share",
           "Protest attendance lost as a share of the attendance expected without fear or expected surveillance.",
           "dissent", lambda c: share(float(_protest(c)["lost"].sum()), float(_protest(c)["would_attend"].sum())),
           requires=_P, bounded=True, higher_is_worse=True),
    Metric("protesters_identified", "Protesters identified, by status", "people",
           "People identified at a protest at least once by their own record (a face search that returned it, or "
           "their plate read near the site), by true status.", "dissent",
           lambda c: _by_status(c, _protest(c)["identified"]), requires=_P, by="status", higher_is_worse=True),
    Metric("protesters_misidentified", "Protesters misidentified", "people",
           "People whose face search at a protest returned someone else's record (the matcher's false matches).",
           "dissent", lambda c: float(_protest(c)["misidentified"].sum()), requires=_P, higher_is_worse=True),
    Metric("protester_records_retained", "Protest surveillance records retained", "records",
           "Face scans and plate reads made at protests still held at the end of the run (field.retention_days, "
           "sources.plates.retention_days).", "dissent", lambda c: float(_protest(c)["records_retained"]),
           requires=_P, higher_is_worse=True),
    Metric("phones_captured_at_protests", "Phones captured at protests", "phones",
           "Phones captured by cell-site simulators deployed at protest events: every phone present, all of them "
           "bystanders.", "dissent", lambda c: float(_protest(c)["phones_captured"]), requires=_P,
           higher_is_worse=True),
    Metric("school_days_lost", "School days lost, by status", "pupil-days",
           "Expected school days pupils missed because of visible operations in their tract (+22% absences for "
           "about two months after an operation, Dee 2025), by status.", "dissent",
           lambda c: _by_status(c, _effects(c)["school_days_lost"]), requires=_E, by="status", higher_is_worse=True),
    Metric("school_days_lost_citizens_mixed_households", "School days lost by citizen pupils in mixed-status homes",
           "pupil-days", "Expected school days lost by citizen pupils who live with an undocumented relative.",
           "dissent", lambda c: float(_effects(c)["school_days_lost_citizen_mixed"]), requires=_E,
           higher_is_worse=True),
    Metric("clinic_visits_avoided", "Clinic visits avoided, by status", "visits",
           "Expected clinic visits residents skipped because of visible enforcement, by status (citizens and lawful "
           "residents in mixed-status households avoid more).", "dissent",
           lambda c: _by_status(c, c.lost_visits[_CLINIC]), requires=("lost_visits",), by="status",
           higher_is_worse=True),
    Metric("benefit_enrolments_lost", "Prenatal WIC enrolments lost, by status", "enrolments",
           "Expected prenatal WIC enrolments not made by non-citizens and people in mixed-status households as fear "
           "rises (odds down to -19%, Choi et al. 2023), by status.", "dissent",
           lambda c: _by_status(c, _effects(c)["benefit_enrolments_lost"]), requires=_E, by="status",
           higher_is_worse=True),
    Metric("visits_avoided_by_place_type", "Visits avoided, by place type", "visits",
           "Expected visits to clinics, schools, churches and protests that residents skipped because of visible "
           "enforcement: schools count the school days lost (Dee 2025), protests the attendance lost where the "
           "protests trigger runs, clinics and churches the fear model's visits avoided.", "dissent", _lost_by_place,
           requires=("lost_visits",), by="place_type",
           higher_is_worse=True),
)

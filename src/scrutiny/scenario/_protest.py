"""Parameters of protests as events, the surveillance of them, and the chilling of attendance.

The ``protests`` trigger (``operations.triggers``) turns the protest sites of the world into events:
scheduled ones (``world.places.p_protest_day`` per site and day) and ones called in response to the
day's visible operations. Residents choose to attend (citizens most often); fear of enforcement and
the surveillance they expect keep some at home. Where the scenario says so, the events are
surveilled: faces scanned and searched, plates read around the site, and a cell-site simulator
capturing every phone present.
"""

from __future__ import annotations

from typing import Literal

from scrutiny.scenario._fields import ComponentParams, param
from scrutiny.scenario._operations import TRIGGERS

__all__ = ["ProtestParams"]


@TRIGGERS.params("protests")
class ProtestParams(ComponentParams):
    """Protest events, who attends them, and what surveillance there records."""

    name: Literal["protests"] = "protests"

    p_protest_after_operations: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.0, 1.0), unit="probability per day with operations",
        description="Probability that a day with visible operations brings a protest event the next day at one of "
        "the metro's protest sites (in response to the operations), on top of the scheduled ones.",
        source="assumption: rapid-response networks called protests after raids in 2025-26; sensitivity input",
    )
    rel_attend_lawful: float = param(
        0.5, ge=0.0, le=10.0, plausible=(0.2, 1.0), unit="x a citizen's propensity",
        description="Propensity of a lawful non-citizen resident to attend a protest, relative to a citizen "
        "(world.places.p_attend_protest is a citizen's).",
        source="assumption: protesters are mostly citizens; non-citizens have more to lose; sensitivity input",
    )
    rel_attend_undocumented: float = param(
        0.2, ge=0.0, le=10.0, plausible=(0.05, 0.5), unit="x a citizen's propensity",
        description="Propensity of an undocumented resident to attend a protest, relative to a citizen.",
        source="assumption: protesters are mostly citizens; undocumented residents risk removal; sensitivity input",
    )
    rel_fear_sensitivity: float = param(
        1.0, ge=0.0, le=10.0, plausible=(0.0, 2.0), unit="x",
        description="How much general fear of enforcement keeps would-be attendees at home, relative to other "
        "visits (behavior.p_avoid_max by status x fear); 0: attendance does not fall with fear.",
        source="assumption: protest avoidance follows the avoidance of other visible places; sensitivity input",
    )
    surveillance: bool = param(
        True, unit="switch",
        description="Whether protest events are surveilled (face scans, plate reads around the site and, with "
        "cell_site_at_protests, a cell-site simulator).",
        source="reporting (404 Media, Wired 2025-26): the face app and data tools reach protests; more than 3,000 "
        "DHS and Border Patrol agents with access to them in Minnesota",
    )
    p_face_scan: float = param(
        0.25, ge=0.0, le=1.0, plausible=(0.05, 1.0), unit="share of attendees",
        description="Share of attendees whose face is captured and searched (agents' phones, cameras).",
        source="assumption: protesters are among the people scanned (Wired 2026), no share published; "
        "sensitivity input",
    )
    p_plate_read: float = param(
        0.2, ge=0.0, le=1.0, plausible=(0.05, 0.6), unit="share of attendees",
        description="Share of attendees whose vehicle's plate is read by readers around the site (those who "
        "drive, times coverage); a read names the registered owner.",
        source="assumption: plate readers read every passing vehicle (CALIBRATION.md); driving share and "
        "coverage around a site are unmeasured; sensitivity input",
    )
    p_phone: float = param(
        0.98, ge=0.0, le=1.0, plausible=(0.9, 1.0), unit="share of attendees",
        description="Share of attendees carrying a phone (each captured by a cell-site simulator in range).",
        source="Pew Research Center 2024: 98% of US adults own a cellphone",
    )
    cell_site_at_protests: bool = param(
        True, unit="switch",
        description="Whether a cell-site simulator is deployed at every surveilled protest event (only where "
        "sources.cell is enabled); it captures every phone present.",
        source="CALIBRATION.md: cell-site simulators capture every phone in range; deployment at protests is an "
        "assumption of the scenario",
    )
    identified_to_leads: bool = param(
        False, unit="switch",
        description="Whether an attendee identified by their own record (a face match to their own record, or a "
        "plate read) whose record shows a removable status enters the lead book at their home.",
        source="choice of the scenario: whether protest surveillance feeds enforcement",
    )
    lead_confidence: float = param(
        70.0, ge=0.0, le=100.0, plausible=(30.0, 95.0), unit="confidence 0-100",
        description="Address confidence of a lead from an identified attendee.",
        source="assumption: an identification plus a registered address; sensitivity input",
    )
    surveillance_deterrence: float = param(
        0.3, ge=0.0, le=1.0, plausible=(0.05, 0.6), unit="share of would-be attendees",
        description="Share of would-be attendees who stay home when they expect surveillance for certain "
        "(scaled by the expected surveillance, 1 - exp(-E)).",
        source="assumption: no measured elasticity of protest attendance to surveillance; of the order of the "
        "self-censorship shares reported after surveillance revelations (PEN America 2013: 16-24% of writers); "
        "sensitivity input",
    )
    surveillance_salience: float = param(
        1.0, ge=0.0, le=100.0, plausible=(0.2, 3.0), unit="expectation units per event",
        description="Expected surveillance E added by each surveilled event seen in the metro; it halves every "
        "behavior.fear_half_life days.",
        source="assumption: one reported surveilled protest moves expectations most of the way; sensitivity input",
    )

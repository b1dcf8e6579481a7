"""Parameters of the border zone's encounter triggers: interior checkpoints with plate-reader corridors, and ports.

Both read their places from the jurisdiction's service points (``kind = "checkpoint"`` or
``"port_of_entry"``, each with a flow of trips or crossings a year per resident and, for a
checkpoint, its distance from the border): ``jurisdiction = "us-border"`` gives a border region
with four checkpoints and a land port. Sourced figures are in CALIBRATION.md, "US-Mexico border zone".
"""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from scrutiny.codes import RACES
from scrutiny.scenario._fields import ComponentParams, keyed_validator, param
from scrutiny.scenario._operations import TRIGGERS

__all__ = ["CheckpointParams", "PortOfEntryParams"]


@TRIGGERS.params("checkpoint")
class CheckpointParams(ComponentParams):
    """Border Patrol interior checkpoints on road corridors, with plate readers along the corridors.

    Residents drive through the jurisdiction's checkpoints at each one's flow rate (removable people
    less often: they avoid them). Every vehicle passing a corridor is read by its plate readers and
    the reads are retained. At an operating checkpoint every vehicle is stopped at primary inspection;
    a vehicle goes to secondary inspection when its plate hits a hot list, when a dog alerts on
    contraband, or by the referral rule (at random, or by appearance). At secondary, contraband is
    seized, agents question status (a removable person is found out with ``p_status_found``) and, with
    ``face_search``, the traveller's face is compared with the scenario's galleries (the field matcher
    at its operating point, with ``field.decision``); a removable person found out, or anyone a match
    flags and no rule clears, is apprehended. Each vehicle is one traveller.
    """

    name: Literal["checkpoint"] = "checkpoint"
    max_miles_inland: float = param(
        100.0, ge=0.0, le=1000.0, plausible=(25.0, 100.0), unit="miles",
        description="Checkpoints farther from the border than this do not operate (their corridors' plate readers "
        "still read). 100: the whole zone; 25: checkpoints only within 25 miles (a safeguard).",
        source="GAO-22-104568: more than 110 checkpoints, generally 25-100 miles inland (the 100-mile zone)",
    )
    rel_trips_removable: float = param(
        0.3, ge=0.0, le=1.0, plausible=(0.05, 1.0), unit="x trips",
        description="Trips through a checkpoint of a removable resident, relative to anyone else's (people without "
        "status avoid the checkpoints that ring the zone).",
        source="assumption: avoidance of checkpoints is widely reported but not measured; sensitivity input",
    )
    referral: Literal["random", "appearance"] = param(
        "appearance", unit="name",
        description="How agents at primary refer vehicles to secondary inspection besides plate hits and dog "
        "alerts: 'random' (the same probability p_referral for everyone) or 'appearance' (p_referral times "
        "rel_referral_by_race of the traveller's race/ethnicity).",
        source="United States v. Martinez-Fuerte (1976) allows referral to secondary without suspicion, "
        "including on apparent Mexican ancestry",
    )
    p_referral: float = param(
        0.02, ge=0.0, le=1.0, plausible=(0.005, 0.1), unit="probability per vehicle",
        description="Probability that the referral rule sends a vehicle to secondary (for the race with "
        "rel_referral_by_race 1 under 'appearance'; for everyone under 'random').",
        source="assumption: secondary referral rates are not published; sensitivity input",
    )
    rel_referral_by_race: dict[str, float] = param(
        {"white": 1.0, "black": 1.5, "hispanic": 3.0, "asian": 1.0}, ge=0.0, le=100.0, plausible=(1.0, 5.0),
        unit="x p_referral",
        description="Under 'appearance': each race/ethnicity's referral probability relative to p_referral.",
        source="assumption: illustrative profiling ratio; no published referral rates by group; sensitivity input",
    )
    p_vehicle_hot_listed: float = param(
        0.2, ge=0.0, le=1.0, plausible=(0.0, 0.5), unit="share of watch-listed people",
        description="Probability that the vehicle of a person whose record shows a removable status is on an "
        "immigration hot list (a corridor read of it is a hit: a lead, and a referral at an operating "
        "checkpoint).",
        source="assumption: NCIC holds an Immigration Violators File; its coverage of vehicles is not public",
    )
    plate_readers_per_corridor: int = param(
        2, ge=0, le=100, plausible=(1.0, 10.0), unit="readers",
        description="Plate readers along each checkpoint's corridor; each reads every vehicle passing.",
        source="assumption: CBP runs readers at checkpoints and along border roads; counts are not public",
    )
    plate_retention_days: float = param(
        1825.0, ge=1.0, le=36_500.0, plausible=(30.0, 5475.0), unit="days",
        description="Days the corridor readers' reads are retained (reported as the reads held at each day's end).",
        source="CALIBRATION.md: 30 days (Flock default) to 5 years (LAPD); assumption: the upper end for federal "
        "border readers, whose retention is not in CALIBRATION.md; sensitivity input",
    )
    p_contraband: float = param(
        0.0004, ge=0.0, le=1.0, plausible=(0.0001, 0.002), unit="probability per trip",
        description="Probability that a vehicle carries drugs (the same for every status).",
        source="derived: about 33 seizure events per checkpoint a year (GAO-22-104568: about 17,970 in FY2016-2020 "
        "at about 110 checkpoints) over about 100,000 trips per checkpoint a year in the us-border-zone preset; "
        "vehicles screened per checkpoint are not published (a free parameter)",
    )
    p_canine_alert: float = param(
        0.8, ge=0.0, le=1.0, plausible=(0.5, 0.95), unit="probability",
        description="Probability that a dog at primary alerts on a vehicle carrying drugs (a referral).",
        source="assumption: of the order of reported detection-dog field accuracy; sensitivity input",
    )
    p_status_found: float = param(
        0.9, ge=0.0, le=1.0, plausible=(0.5, 1.0), unit="probability",
        description="Probability that questioning at secondary finds out a removable person (no papers).",
        source="assumption: agents ask every traveller at secondary for proof of status; sensitivity input",
    )
    face_search: bool = param(
        True, unit="switch",
        description="Whether travellers at secondary are photographed and compared 1:N with the scenario's "
        "galleries (the field matcher, field.*). Off: identification by documents and questioning only.",
        source="reporting on Border Patrol's use of Mobile Fortify (2025)",
    )

    @field_validator("rel_referral_by_race")
    @classmethod
    def _races(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=RACES, hi=100.0)


@TRIGGERS.params("port_of_entry")
class PortOfEntryParams(ComponentParams):
    """Traveller face comparison at ports of entry (CBP's Traveler Verification Service).

    Residents cross at the jurisdiction's ports at each one's flow rate (removable people rarely:
    ``rel_crossings_removable``). Each crossing traveller is photographed and the photo compared with a
    gallery: under ``'manifest'`` a small per-context gallery (the people expected: a manifest of
    ``manifest_size``), under ``'full'`` the scenario's searched union (2x10^8 images by default), at one
    fixed per-comparison false match rate ``fmr`` (a group's rate times field.rel_fmr_group), so the
    chance that some stranger scores above threshold is FPIR(N) = 1 - (1 - FMR_g)^N. A stranger's match
    sends the traveller to secondary inspection (their passport settles it: no one is detained). Photos of
    citizens are discarded after ``retention_days_citizen``; others are kept ``retention_days_non_citizen``.
    """

    name: Literal["port_of_entry"] = "port_of_entry"
    gallery: Literal["manifest", "full"] = param(
        "manifest", unit="name",
        description="The gallery a traveller's photo is compared with: 'manifest' (the expected travellers) or "
        "'full' (the scenario's searched union of galleries, 2x10^8 images by default).",
        source="CALIBRATION.md: CBP TVS uses small per-context galleries such as the flight manifest (CRS IN11695)",
    )
    manifest_size: int = param(
        300, ge=1, le=1_000_000, plausible=(50.0, 5000.0), unit="images",
        description="Images in a per-context gallery (a manifest).",
        source="assumption: of the order of a flight's or a crossing window's expected travellers; CRS IN11695",
    )
    fmr: float = param(
        1e-6, ge=0.0, le=1.0, plausible=(1e-8, 1e-4), unit="per comparison",
        description="False match rate per comparison at the port's threshold, for the reference group (other "
        "groups: times field.rel_fmr_group).",
        source="assumption: a 1:1-verification operating point (NIST FRVT 1:1 reports miss rates at FMR 1e-6); "
        "TVS's threshold is not published; sensitivity input",
    )
    fnmr: float = param(
        0.061, ge=0.0, le=1.0, plausible=(0.006, 0.061), unit="probability",
        description="Probability that a traveller's own photo in the gallery is missed (a manual document check).",
        source="CALIBRATION.md: border capture, 6.1% (best algorithm 0.6%), NIST FRVT 1:1",
    )
    rel_crossings_removable: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.0, 0.3), unit="x crossings",
        description="Crossings of a removable resident relative to anyone else's (without status, leaving the "
        "country means not coming back).",
        source="assumption: sensitivity input",
    )
    retention_days_citizen: float = param(
        0.5, ge=0.0, le=36_500.0, plausible=(0.5, 5475.0), unit="days",
        description="Days a citizen traveller's photo is kept (0.5: discarded within 12 hours).",
        source="CALIBRATION.md: citizens' photos discarded within 12 hours (CBP TVS; CRS IN11695)",
    )
    retention_days_non_citizen: float = param(
        27_375.0, ge=0.0, le=36_500.0, plausible=(365.0, 27_375.0), unit="days",
        description="Days a non-citizen traveller's photo is kept.",
        source="CALIBRATION.md: scan retention up to 75 years (CBP privacy notice)",
    )

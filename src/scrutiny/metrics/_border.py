"""Metrics of the border zone: checkpoints, plate-reader corridors and traveller face comparison.

They exist only in runs whose triggers include ``checkpoint`` or ``port_of_entry`` with points to
run (they require those triggers' daily series). Stops are counted in the daily series (every
vehicle at an operating checkpoint, by citizenship and group); referrals, seizures, face searches
and apprehensions are events whose ``context`` is the checkpoint. :func:`border_note` says which of
CALIBRATION.md's checkpoint figures a comparison's baseline reproduces.
"""

from __future__ import annotations

import math

import numpy as np

from scrutiny.codes import EVENT_KINDS, GROUPS, OUTCOMES, code
from scrutiny.metrics._core import count, share
from scrutiny.metrics._registry import Context, Metric

__all__ = ["BORDER_METRICS", "CHECKPOINT_FIGURES", "border_note"]

_SECONDARY, _SEIZURE, _PHOTO = (code(EVENT_KINDS, k) for k in ("secondary", "seizure", "traveller_photo"))
_FACE_REFERRAL, _FALSE = code(OUTCOMES, "referred_face_match"), code(OUTCOMES, "false_match")
_STOPS = ("daily.checkpoint_stops",)
_PORTS = ("daily.travellers_photographed",)

#: CALIBRATION.md's checkpoint figures (GAO-22-104568, FY2016-2020, about 110 checkpoints), with the band
#: within which a baseline counts as reproducing each: (metric, observed, lo, hi, what it is).
CHECKPOINT_FIGURES: tuple[tuple[str, float, float, float, str], ...] = (
    ("apprehensions_per_checkpoint_year", 35_700 / 5 / 110, 35_700 / 5 / 110 / 2, 35_700 / 5 / 110 * 2,
     "people apprehended per checkpoint a year (about 35,700 in 5 years at about 110 checkpoints; within x2)"),
    ("seizure_citizen_only_share", 0.91, 0.86, 0.96,
     "share of drug-seizure events involving only US citizens (91%; within 5 points)"),
    ("seizure_events_per_checkpoint_year", 17_970 / 5 / 110, 17_970 / 5 / 110 / 2, 17_970 / 5 / 110 * 2,
     "drug-seizure events per checkpoint a year (about 17,970 in 5 years; within x2; an input: p_contraband "
     "is derived from it)"),
)


def _total(c: Context, series: str) -> float:
    return float(np.sum(c.daily[series]))


def _last(c: Context, series: str) -> float:
    s = np.asarray(c.daily[series], dtype=np.float64)
    return float(s[-1]) if s.size else float("nan")


def _at_checkpoint(c: Context) -> np.ndarray:
    """Rows at a checkpoint: context set, not a port's face-match referral or photo, not a status check."""
    ev = c.events
    kinds = np.isin(ev["kind"], [code(EVENT_KINDS, k) for k in ("secondary", "seizure", "scan", "match", "decision",
                                                                 "detention")])
    return kinds & (ev["context"] >= 0) & (ev["outcome"] != _FACE_REFERRAL)


def _apprehensions(c: Context) -> float:
    return count(c.masks.det & (c.events["context"] >= 0))


def _citizens_scanned(c: Context) -> float:
    return count(c.masks.scan & _at_checkpoint(c) & c.masks.citizen)


def _per_checkpoint_year(c: Context, n: float) -> float:
    operating = float(np.mean(c.daily["checkpoints_operating"])) if c.n_days else 0.0
    return n / operating * 365.0 / c.n_days if operating > 0 else float("nan")


def _referrals_by_group(c: Context) -> dict[str, float]:
    ev = c.events
    sec = (ev["kind"] == _SECONDARY) & _at_checkpoint(c)
    referred = np.bincount(ev["group"][sec], minlength=len(GROUPS))
    return {g: share(float(referred[i]), _total(c, f"checkpoint_stops_{g}")) for i, g in enumerate(GROUPS)}


def _seizures(c: Context) -> np.ndarray:
    return c.events["kind"] == _SEIZURE


def _photos(c: Context) -> np.ndarray:
    return c.events["kind"] == _PHOTO


BORDER_METRICS: tuple[Metric, ...] = (
    Metric("checkpoint_stops", "Vehicles stopped at checkpoints", "stops",
           "Travellers stopped at primary inspection of an operating interior checkpoint (one per vehicle).",
           "volume", lambda c: _total(c, "checkpoint_stops"), requires=_STOPS),
    Metric("checkpoint_citizen_stops", "Citizens stopped at checkpoints", "stops",
           "Citizens among the travellers stopped at interior checkpoints.", "collateral",
           lambda c: _total(c, "checkpoint_stops_citizen"), requires=_STOPS, higher_is_worse=True),
    Metric("checkpoint_apprehensions", "Checkpoint apprehensions", "detentions",
           "People apprehended at a checkpoint's secondary inspection (found removable, or flagged by a face "
           "match no rule cleared).", "volume", _apprehensions, requires=_STOPS),
    Metric("citizens_stopped_per_apprehension", "Citizens stopped per checkpoint apprehension",
           "stops per apprehension",
           "Citizens stopped at interior checkpoints for each person apprehended there.", "collateral",
           lambda c: share(_total(c, "checkpoint_stops_citizen"), _apprehensions(c)), requires=_STOPS,
           higher_is_worse=True, numerator="checkpoint_citizen_stops", denominator="checkpoint_apprehensions"),
    Metric("checkpoint_citizens_scanned", "Citizens face-scanned at checkpoints", "scans",
           "Citizens whose face was compared 1:N with the galleries at a checkpoint's secondary inspection.",
           "collateral", _citizens_scanned, requires=_STOPS, higher_is_worse=True),
    Metric("citizens_scanned_per_apprehension", "Citizens face-scanned per checkpoint apprehension",
           "scans per apprehension",
           "Citizens face-scanned at checkpoints' secondary inspection for each person apprehended there.",
           "collateral", lambda c: share(_citizens_scanned(c), _apprehensions(c)), requires=_STOPS,
           higher_is_worse=True, numerator="checkpoint_citizens_scanned", denominator="checkpoint_apprehensions"),
    Metric("corridor_plate_reads", "Corridor plate reads", "reads",
           "Vehicles read by the plate readers along the checkpoints' corridors (every passing vehicle).", "data",
           lambda c: _total(c, "corridor_plate_reads"), requires=_STOPS, higher_is_worse=True),
    Metric("plate_reads_per_apprehension", "Corridor plate reads per checkpoint apprehension", "reads per apprehension",
           "Corridor plate reads made for each person apprehended at a checkpoint.", "data",
           lambda c: share(_total(c, "corridor_plate_reads"), _apprehensions(c)), requires=_STOPS,
           higher_is_worse=True, numerator="corridor_plate_reads", denominator="checkpoint_apprehensions"),
    Metric("corridor_plate_reads_retained", "Corridor plate reads retained", "reads",
           "Corridor plate reads still held at the end of the window (the retention rule).", "data",
           lambda c: _last(c, "corridor_plate_reads_retained"), requires=_STOPS, higher_is_worse=True),
    Metric("secondary_referrals_by_group", "Referral to secondary by group", "share of stops",
           "Share of each group's checkpoint stops referred to secondary inspection (plate hit, dog alert or the "
           "referral rule).", "disparity", _referrals_by_group, requires=_STOPS, by="group", bounded=True,
           higher_is_worse=True),
    Metric("seizure_events", "Drug-seizure events at checkpoints", "events",
           "Drugs seized at a checkpoint's secondary inspection (one traveller per vehicle).", "volume",
           lambda c: count(_seizures(c)), requires=_STOPS),
    Metric("seizure_citizen_only_share", "Share of seizure events involving only citizens", "share",
           "Drug-seizure events at checkpoints whose traveller is a citizen, of all seizure events (observed 91%, "
           "GAO-22-104568).", "volume", lambda c: share(count(_seizures(c) & c.masks.citizen), count(_seizures(c))),
           requires=_STOPS, bounded=True),
    Metric("apprehensions_per_checkpoint_year", "Apprehensions per checkpoint a year", "people per checkpoint-year",
           "Checkpoint apprehensions per operating checkpoint, scaled to a year (observed about 65: about 35,700 in "
           "FY2016-2020 at about 110 checkpoints, GAO-22-104568).", "volume",
           lambda c: _per_checkpoint_year(c, _apprehensions(c)), requires=_STOPS),
    Metric("seizure_events_per_checkpoint_year", "Seizure events per checkpoint a year", "events per checkpoint-year",
           "Drug-seizure events per operating checkpoint, scaled to a year (observed about 33, GAO-22-104568).",
           "volume", lambda c: _per_checkpoint_year(c, count(_seizures(c))), requires=_STOPS),
    Metric("travellers_photographed", "Travellers photographed at ports", "photos",
           "Crossing travellers photographed and compared at ports of entry.", "volume",
           lambda c: count(_photos(c)), requires=_PORTS),
    Metric("traveller_false_matches", "Travellers matched to someone else at ports", "travellers",
           "Crossing travellers whose photo scored above threshold against someone else's (sent to secondary).",
           "identification", lambda c: count(_photos(c) & (c.events["outcome"] == _FALSE)), requires=_PORTS,
           higher_is_worse=True),
    Metric("traveller_false_match_rate", "False match rate of traveller comparison", "share",
           "Travellers matched to someone else, of all photographed: the FPIR of the gallery compared (a manifest's "
           "or the 2x10^8 union's).", "identification",
           lambda c: share(count(_photos(c) & (c.events["outcome"] == _FALSE)), count(_photos(c))),
           requires=_PORTS, bounded=True, higher_is_worse=True, numerator="traveller_false_matches",
           denominator="travellers_photographed"),
    Metric("traveller_records_retained", "Traveller photos retained", "photos",
           "Travellers' photos still held at the end of the window (citizens' discarded within 12 hours).", "data",
           lambda c: _last(c, "traveller_records_retained"), requires=_PORTS, higher_is_worse=True),
)


def border_note(summary: dict) -> str:
    """The closing note of a border comparison: which checkpoint figures the baseline reproduces, and which not.

    Args:
        summary: A comparison's summary (``Comparison.summary()``).

    Returns:
        Plain text, one line per figure of :data:`CHECKPOINT_FIGURES`; empty when the baseline has none.
    """
    base = summary["arms"][summary["provenance"]["baseline_arm"]]["metrics"]
    lines = []
    for name, observed, lo, hi, what in CHECKPOINT_FIGURES:
        v = base.get(name)
        if not isinstance(v, dict) or not math.isfinite(v.get("mean", math.nan)):
            continue
        m = v["mean"]
        verdict = "reproduces" if lo <= m <= hi else "does NOT reproduce"
        lines.append(f"  baseline {verdict} {what}: simulated {m:.3g} [{v['lo']:.3g}, {v['hi']:.3g}], "
                     f"observed {observed:.3g}")
    if not lines:
        return ""
    return "CALIBRATION.md checkpoint figures (GAO-22-104568):\n" + "\n".join(lines)

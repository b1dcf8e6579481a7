"""Parameters of the observation models that feed targeting (data sources)."""

from __future__ import annotations

from pydantic import Field

from scrutiny.scenario._fields import Params, param

__all__ = ["SourcesParams", "AdminRecordsParams"]


class AdminRecordsParams(Params):
    """Administrative immigration records: who has one, what status they show, which address."""

    enabled: bool = param(
        True, unit="switch", description="Use administrative status records as a lead source.",
        source="DHS holds records on everyone who has applied for or been granted a status",
    )
    p_address_current: float = param(
        0.5, ge=0.0, le=1.0, plausible=(0.04, 0.72), unit="share of records",
        description="Mean probability that a record's address is the person's current home.",
        source="CALIBRATION.md: spread of observed match rates (IRS 3.7%, UK schools 21-26%, NHS tracing 72%)",
    )
    p_naturalisation_unrecorded: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.01, 0.15), unit="share of naturalised",
        description="Naturalised citizens whose record still shows a non-citizen (LPR) status.",
        source="assumption: no published rate; the error is documented (naturalised citizens flagged by "
        "SAVE/E-Verify); sensitivity input",
    )
    p_lawful_recorded_expired: float = param(
        0.05, ge=0.0, le=1.0, plausible=(0.01, 0.2), unit="share of lawful non-citizen records",
        description="Lawful non-citizen statuses (and unrecorded naturalisations) that the record shows as expired.",
        source="assumption: no published rate; sensitivity input",
    )
    p_protection_unrecorded: float = param(
        0.2, ge=0.0, le=1.0, plausible=(0.05, 0.5), unit="share of protected",
        description="People with protection (TPS, DACA, pending asylum, parole) whose record shows them as "
        "unauthorised, because the protection sits in another system.",
        source="assumption: no published rate; sensitivity input",
    )
    p_merged_identity: float = param(
        0.0003, ge=0.0, le=0.1, plausible=(0.0002, 0.0004), unit="share of records",
        description="Records merged with another person's (wrong status shown).",
        source="UK Home Office database: 76,000 people affected (2024), 0.0002-0.0004 of records",
    )
    mean_record_age_days: float = param(
        365.0, gt=0.0, le=10_000.0, plausible=(90.0, 1500.0), unit="days",
        description="Mean time since a record's address was last confirmed; confidence decays with it.",
        source="assumption: set equal to the decay constant so that mean address validity equals "
        "p_address_current",
    )


class SourcesParams(Params):
    """All data sources. Each is switchable and has its own random stream."""

    admin: AdminRecordsParams = Field(default_factory=AdminRecordsParams, description="Administrative records.")

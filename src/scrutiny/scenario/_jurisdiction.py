"""The jurisdiction as data: legal statuses, record-only statuses, galleries, place types and service points.

Nothing in the model names a status: code reads a status's *role* (citizen, removable, born in the
country, undocumented, which immigration record it comes with, whether a record showing it names
the person for arrest, what an unrecorded change leaves on the record, whether the status can be
recorded as expired, whether its proof is digital only). A jurisdiction is one TOML file under
``scrutiny/scenario/jurisdictions/``; a scenario names it (``jurisdiction = "us"``) or gives the
whole table. Every field of the scenario keyed by status, record status or gallery is checked
against the scenario's jurisdiction when the scenario is validated.

Place types are the model's presence kinds (who is where when a team arrives: residents at dawn,
workers and pupils by day, visitors to clinics, churches, courts and protests); a jurisdiction gives
them labels and says which are protected places and which ones fear keeps people away from.
Service points are where someone's status can be checked (a landlord, an employer, a clinic, a
checkpoint): each is an encounter trigger's input (``operations.triggers``).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from scrutiny.codes import PLACE_TYPES
from scrutiny.errors import did_you_mean
from scrutiny.scenario._fields import Params

__all__ = [
    "JurisdictionParams",
    "StatusParams",
    "RecordStatusParams",
    "PlaceTypeParams",
    "ServicePointParams",
    "list_jurisdictions",
    "load_jurisdiction",
]


class StatusParams(Params):
    """One legal status and its roles in the model."""

    label: str = Field(description="How reports name the status.")
    citizen: bool = Field(False, description="A citizen of the country.")
    removable: bool = Field(False, description="Removal is lawful (everyone else is a citizen or lawful resident).")
    native: bool = Field(False, description="Born a citizen in the country: no immigration record; not foreign-born.")
    undocumented: bool = Field(
        False, description="Counts as undocumented for mixed-status households and enclave concentration.")
    record: Literal["none", "always", "if_enrolled"] = Field(
        "always", description="Who of this status has an immigration record: nobody; everyone; only those whose "
        "biometrics are enrolled in a gallery (encountered before).")
    named: bool = Field(False, description="A record showing this status names the person as a target for arrest "
                        "(a final order: the warrant-only counterfactual pursues these).")
    unrecorded_as: str = Field("", description="What the record shows when a change to this status was never "
                               "recorded (a naturalisation, a protection held elsewhere); empty: no such error.")
    can_expire: bool = Field(False, description="A lawful status that a record can wrongly show as expired.")
    digital_only: bool = Field(False, description="Proof of the status is digital only (the UK eVisa).")


class RecordStatusParams(Params):
    """A status that exists only on records (a lawful status recorded as expired)."""

    label: str = Field(description="How reports name it.")
    removable: bool = Field(True, description="An officer treats a person whose record shows it as removable.")
    race_mix_as: str = Field(description="The status whose race mix the holders of such records follow.")


class PlaceTypeParams(Params):
    """A place type: its label, whether it is a protected place, and whether fear keeps people away."""

    label: str = Field(description="How reports name the place type.")
    protected: bool = Field(False, description="A sensitive place (school, clinic, place of worship, court, protest) "
                            "that a protected-places safeguard exempts.")
    chilled: bool = Field(False, description="Fear of enforcement keeps people away from visits here.")


class ServicePointParams(Params):
    """A place where someone's status can be checked, with the flow of people who need it."""

    label: str = Field(description="How reports name the service point.")
    users: Literal["everyone", "adults", "children", "lawful_non_citizens"] = Field(
        "everyone", description="Who needs the service.")
    per_person_per_year: float = Field(
        0.0, ge=0.0, le=365.0, allow_inf_nan=False, description="Visits a year per person who needs it.")
    place_type: str = Field("", description="The place type where the check happens (empty: none in particular).")
    source: str = Field("", description="Where the flow rate comes from, or 'assumption: ...'.")
    statuses: tuple[str, ...] = Field(
        (), description="The statuses whose holders come to the service (empty: every status): a job centre "
        "serves only those with recourse to public funds, a landlord's check does not meet asylum seekers housed by "
        "the state.")
    consequence: Literal["refuse", "charge", "record"] = Field(
        "refuse", description="What a check that fails (or a checker's doubt) does: 'refuse' the service (a tenancy, "
        "a job, an account); 'charge' for it (NHS charging: care up front or billed, debts reported); 'record' the "
        "status and give the service regardless (a school must admit every child).")
    kind: Literal["service", "checkpoint", "port_of_entry"] = Field(
        "service", description="What the point is: a service that checks status (trigger 'status_check'), an "
        "interior checkpoint on a road corridor (trigger 'checkpoint': the flow is trips through it), or a port "
        "of entry (trigger 'port_of_entry': the flow is crossings).")
    miles_inland: float = Field(
        0.0, ge=0.0, le=1000.0, allow_inf_nan=False,
        description="A checkpoint's distance from the border, in miles (a safeguard may close those beyond a limit).")


class JurisdictionParams(Params):
    """A jurisdiction: its statuses (with their roles), record-only statuses, galleries, places and service points.

    Examples:
        >>> j = load_jurisdiction("us")
        >>> list(j.statuses)[:2], j.statuses["final_order"].named
        (['citizen_birth', 'naturalised'], True)
    """

    name: str = Field(description="Short name (the file's stem for a packaged jurisdiction).")
    label: str = Field(description="How reports name the jurisdiction.")
    citizens: str = Field("", description="How sentences name its citizens: 'US' gives 'US citizens'; empty gives "
                          "plain 'citizens'.")
    statuses: dict[str, StatusParams] = Field(description="Legal statuses, in the order of their integer codes.")
    record_only: dict[str, RecordStatusParams] = Field(
        default_factory=dict, description="Statuses that exist only on records, coded after the true statuses.")
    expiry_record: str = Field("", description="The record-only status a lawful status that can expire is wrongly "
                               "recorded as (sources.admin.p_lawful_recorded_expired); empty: no such error.")
    galleries: tuple[str, ...] = Field(description="Biometric galleries a search can go over (field.galleries).")
    place_types: dict[str, PlaceTypeParams] = Field(description=f"Labels and flags of the place types {PLACE_TYPES}.")
    service_points: dict[str, ServicePointParams] = Field(
        default_factory=dict, description="Where status checks happen (encounter trigger 'status_check').")

    @field_validator("statuses")
    @classmethod
    def _roles(cls, v: dict[str, StatusParams]) -> dict[str, StatusParams]:
        if not any(s.citizen for s in v.values()) or not any(s.removable for s in v.values()):
            raise ValueError("a jurisdiction needs at least one citizen status and one removable status")
        if sum(s.native for s in v.values()) != 1:
            raise ValueError("exactly one status must be 'native' (born a citizen in the country)")
        bad = {k: s.unrecorded_as for k, s in v.items() if s.unrecorded_as and s.unrecorded_as not in v}
        if bad:
            raise ValueError(f"unrecorded_as must name a status of the jurisdiction ({list(v)}); got {bad}")
        both = [k for k, s in v.items() if s.citizen and s.removable]
        if both:
            raise ValueError(f"a status cannot be both citizen and removable: {both}")
        if len(v) > 60:
            raise ValueError(f"at most 60 statuses; got {len(v)}")
        return v

    @field_validator("place_types")
    @classmethod
    def _places(cls, v: dict[str, PlaceTypeParams]) -> dict[str, PlaceTypeParams]:
        if tuple(v) != PLACE_TYPES:
            raise ValueError(f"place_types must give, in this order, the model's place types {list(PLACE_TYPES)}; "
                             f"got {list(v)}")
        return v

    @model_validator(mode="after")
    def _records(self) -> JurisdictionParams:
        clash = sorted(set(self.record_only) & set(self.statuses))
        if clash:
            raise ValueError(f"record_only statuses must differ from the true statuses; both name {clash}")
        if self.expiry_record and self.expiry_record not in self.record_only:
            raise ValueError(f"expiry_record must name a record-only status ({list(self.record_only)}); "
                             f"got {self.expiry_record!r}")
        bad = {k: r.race_mix_as for k, r in self.record_only.items() if r.race_mix_as not in self.statuses}
        if bad:
            raise ValueError(f"race_mix_as must name a status ({list(self.statuses)}); got {bad}")
        bad_sp = {k: sp.place_type for k, sp in self.service_points.items()
                  if sp.place_type and sp.place_type not in self.place_types}
        if bad_sp:
            raise ValueError(f"a service point's place_type must be one of {list(self.place_types)}; got {bad_sp}")
        if len(self.service_points) > 64:
            raise ValueError(f"at most 64 service points; got {len(self.service_points)}")
        bad_st = {k: [x for x in sp.statuses if x not in self.statuses] for k, sp in self.service_points.items()}
        bad_st = {k: v for k, v in bad_st.items() if v}
        if bad_st:
            raise ValueError(f"a service point's statuses must be among {list(self.statuses)}; got {bad_st}")
        if not self.galleries or len(set(self.galleries)) != len(self.galleries):
            raise ValueError(f"galleries must name at least one gallery, each once; got {list(self.galleries)}")
        return self

    @property
    def record_statuses(self) -> tuple[str, ...]:
        """The statuses a record can show: every true status, then the record-only ones."""
        return (*self.statuses, *self.record_only)


def list_jurisdictions() -> list[str]:
    """The packaged jurisdictions.

    Examples:
        >>> "us" in list_jurisdictions()
        True
    """
    folder = resources.files("scrutiny.scenario") / "jurisdictions"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def _packaged(name: str) -> dict[str, Any]:
    known = list_jurisdictions()
    if name not in known:
        raise ValueError(f"unknown jurisdiction {name!r}; packaged: {known}.{did_you_mean(name, known)}")
    text = (resources.files("scrutiny.scenario") / "jurisdictions" / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_jurisdiction(value: Any = "us") -> JurisdictionParams:
    """A jurisdiction from a packaged name, a table (optionally ``base = "us"`` plus changes) or itself."""
    if isinstance(value, JurisdictionParams):
        return value
    return JurisdictionParams.model_validate(resolve_jurisdiction(value))


def resolve_jurisdiction(value: Any) -> Any:
    """Turn a packaged name into its table; a table with ``base`` is merged over that packaged table."""
    if isinstance(value, str):
        return _packaged(value)
    if isinstance(value, dict) and isinstance(value.get("base"), str):
        base = _packaged(value["base"])
        top = {k: v for k, v in value.items() if k != "base"}
        for key, sub in top.items():
            if isinstance(sub, dict) and isinstance(base.get(key), dict):
                base[key] = {**base[key], **sub}
            else:
                base[key] = sub
        return base
    return value

"""Parameters of the biometric galleries a 1:N search goes over.

Each gallery has a size (images compared per search), a composition by *recorded* status (what a
stranger's record in it shows when a false match returns it) and, for the synthetic residents,
the probability that a person of each true status is enrolled in it. The four galleries are the
data sources reporting names for Mobile Fortify (CALIBRATION.md): traveller/passport photos (CBP
TVS, State Department), the enforcement gallery (DHS IDENT/HART), visa application photos and
booking photos (mugshots). Only the total size (about 2e8 images, 404 Media) and the passport
share of citizens are published; the split and the compositions are assumptions, labelled so.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ConfigDict, Field, RootModel, field_validator, model_validator
from pydantic_core import PydanticUndefined

from scrutiny.codes import RECORD_STATUSES, STATUSES
from scrutiny.scenario._fields import Params, keyed_validator, mix_validator, param, validate_at

__all__ = ["GalleryParams", "GalleriesParams", "GALLERY_DEFAULTS"]

_SIZE_UNIT = "images"
_MIX_UNIT = "shares of the gallery's records"
_ENROL_UNIT = "probability by true status"


def _mix(**shares: float) -> dict[str, float]:
    return {s: float(shares.get(s, 0.0)) for s in RECORD_STATUSES}


def _enrol(**p: float) -> dict[str, float]:
    return {s: float(p.get(s, 0.0)) for s in STATUSES}


class GalleryParams(Params):
    """One gallery: size, composition by recorded status, enrolment of the residents by true status."""

    size: float = param(
        0.0, ge=0.0, le=1e10, plausible=(0.0, 3e8), unit=_SIZE_UNIT,
        description="Images in the gallery, each compared with the probe (its share of N in the 1:N search).",
        source="assumption: set per gallery",
    )
    record_mix: dict[str, float] = param(
        _mix(citizen_birth=1.0), ge=0.0, le=1.0, unit=_MIX_UNIT, keyed_by="record_statuses",
        description="Status shown by the records of the gallery's identities (shares over record statuses).",
        source="assumption: set per gallery",
    )
    p_enrolled: dict[str, float] = param(
        _enrol(), ge=0.0, le=1.0, unit=_ENROL_UNIT, keyed_by="statuses",
        description="Probability that a resident of each true status is enrolled in the gallery.",
        source="assumption: set per gallery",
    )

    @field_validator("record_mix")
    @classmethod
    def _record_mix(cls, v: dict[str, float]) -> dict[str, float]:
        return mix_validator(v, allowed=None, field="record_mix")

    @field_validator("p_enrolled")
    @classmethod
    def _enrolled(cls, v: dict[str, float]) -> dict[str, float]:
        return keyed_validator(v, allowed=None)


class TravellerGallery(GalleryParams):
    """Traveller/passport photos (CBP TVS, State Department passports): holds citizens."""

    size: float = param(
        9.0e7, ge=0.0, le=1e10, plausible=(2e7, 1.6e8), unit=_SIZE_UNIT,
        description="Traveller/passport images searched: US passport photos and entry photos of travellers.",
        source="assumption: about 45% of the ~2e8 images reported for Mobile Fortify (404 Media); no public "
        "breakdown by source",
    )
    record_mix: dict[str, float] = param(
        _mix(citizen_birth=0.74, naturalised=0.10, lpr=0.05, visa=0.10, unauthorised=0.005, expired=0.005),
        ge=0.0, le=1.0, unit=_MIX_UNIT, keyed_by="record_statuses",
        description="Status shown by traveller/passport records: mostly citizens, some foreign travellers.",
        source="assumption: passports are issued to citizens (about 1 in 8 of them naturalised); entry photos "
        "add visitors and residents; a small share later overstayed",
    )
    p_enrolled: dict[str, float] = param(
        _enrol(citizen_birth=0.45, naturalised=0.6, lpr=0.6, visa=0.8, protected=0.2, unauthorised=0.2,
               final_order=0.2),
        ge=0.0, le=1.0, unit=_ENROL_UNIT, keyed_by="statuses",
        description="Probability that a resident of each true status has a traveller/passport photo.",
        source="State Department: about 45% of citizens hold a passport; other statuses assumption "
        "(non-citizens photographed at entry by air)",
    )


class EnforcementGallery(GalleryParams):
    """DHS IDENT/HART: biometrics of non-citizens (and of citizens who naturalised)."""

    size: float = param(
        7.0e7, ge=0.0, le=1e10, plausible=(2e7, 2.7e8), unit=_SIZE_UNIT,
        description="Enforcement (IDENT/HART) face images searched.",
        source="assumption: about 35% of the ~2e8 images reported (404 Media); IDENT holds more than 270M "
        "records, most of them visitors' fingerprints",
    )
    record_mix: dict[str, float] = param(
        _mix(naturalised=0.12, lpr=0.22, visa=0.50, protected=0.05, unauthorised=0.05, final_order=0.02,
             expired=0.04),
        ge=0.0, le=1.0, unit=_MIX_UNIT, keyed_by="record_statuses",
        description="Status shown by enforcement-gallery records.",
        source="assumption: final orders 0.02 x 7e7 = 1.4M, the order of ICE's non-detained docket with final "
        "orders; previously encountered unauthorised and lawful statuses recorded as expired make the rest of "
        "the removable share (0.11); sensitivity input",
    )
    p_enrolled: dict[str, float] = param(
        _enrol(naturalised=1.0, lpr=1.0, visa=1.0, protected=0.95, unauthorised=0.5, final_order=1.0),
        ge=0.0, le=1.0, unit=_ENROL_UNIT, keyed_by="statuses",
        description="Probability that a resident of each true status is in the enforcement gallery.",
        source="IDENT holds the biometrics of non-citizens processed by DHS (citizens by birth 0); unauthorised "
        "0.5 (never encountered) and protected 0.95 are assumptions",
    )


class VisaGallery(GalleryParams):
    """State Department visa application photos."""

    size: float = param(
        2.4e7, ge=0.0, le=1e10, plausible=(5e6, 1e8), unit=_SIZE_UNIT,
        description="Visa application photos searched.",
        source="assumption: about 12% of the ~2e8 images reported (404 Media)",
    )
    record_mix: dict[str, float] = param(
        _mix(naturalised=0.05, lpr=0.08, visa=0.80, protected=0.01, unauthorised=0.03, final_order=0.005,
             expired=0.025),
        ge=0.0, le=1.0, unit=_MIX_UNIT, keyed_by="record_statuses",
        description="Status shown by visa records.",
        source="assumption: mostly visitors; some later became residents or citizens, some overstayed",
    )
    p_enrolled: dict[str, float] = param(
        _enrol(naturalised=0.5, lpr=0.6, visa=1.0, protected=0.3, unauthorised=0.4, final_order=0.4),
        ge=0.0, le=1.0, unit=_ENROL_UNIT, keyed_by="statuses",
        description="Probability that a resident of each true status has a visa photo on file.",
        source="assumption: visa holders all; about 40% of the unauthorised entered with a visa and overstayed "
        "(order of magnitude of published overstay estimates)",
    )


class MugshotGallery(GalleryParams):
    """Booking photos (mugshots) from arrests."""

    size: float = param(
        1.6e7, ge=0.0, le=1e10, plausible=(5e6, 1e8), unit=_SIZE_UNIT,
        description="Booking photos (mugshots) searched.",
        source="assumption: about 8% of the ~2e8 images reported (404 Media); NCIC and state booking systems",
    )
    record_mix: dict[str, float] = param(
        _mix(citizen_birth=0.82, naturalised=0.04, lpr=0.04, visa=0.01, protected=0.02, unauthorised=0.05,
             final_order=0.01, expired=0.01),
        ge=0.0, le=1.0, unit=_MIX_UNIT, keyed_by="record_statuses",
        description="Status shown (after the status look-up) by the records of booked people.",
        source="assumption: most people booked are citizens; the non-citizen shares follow the population",
    )
    p_enrolled: dict[str, float] = param(
        _enrol(citizen_birth=0.1, naturalised=0.1, lpr=0.1, visa=0.1, protected=0.1, unauthorised=0.1,
               final_order=0.3),
        ge=0.0, le=1.0, unit=_ENROL_UNIT, keyed_by="statuses",
        description="Probability that a resident of each true status has a booking photo.",
        source="assumption: about 1 in 10 residents has a booking photo; final orders often follow a criminal case",
    )


#: Galleries with documented defaults, by name (the US galleries reported for Mobile Fortify); a
#: jurisdiction's other galleries must be given in full by its preset.
GALLERY_DEFAULTS: dict[str, type[GalleryParams]] = {
    "traveller": TravellerGallery,
    "enforcement": EnforcementGallery,
    "visa": VisaGallery,
    "mugshot": MugshotGallery,
}


class GalleriesParams(RootModel):
    """The galleries, one block per name (``field.galleries.<name>``).

    ``field.searched_galleries`` names those a search goes over. A name with documented defaults
    (:data:`GALLERY_DEFAULTS`) starts from them.

    Examples:
        >>> g = GalleriesParams({"enforcement": {"size": 1e7}})
        >>> list(g), g.enforcement.size, g.enforcement.record_mix["final_order"]
        (['enforcement'], 10000000.0, 0.02)
        >>> list(GalleriesParams())
        ['traveller', 'enforcement', 'visa', 'mugshot']
    """

    model_config = ConfigDict(frozen=True)
    keyed_registry: ClassVar[str] = "galleries"

    root: dict[str, GalleryParams] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, GalleriesParams):
            return data.root
        if data is PydanticUndefined or data is None:
            data = {name: {} for name in GALLERY_DEFAULTS}
        if not isinstance(data, dict):
            raise ValueError(f"galleries must be a table of gallery blocks; got {data!r}")
        out = {}
        for name, value in data.items():
            if isinstance(value, GalleryParams):
                out[name] = value
            elif not isinstance(value, dict):
                raise ValueError(f"field.galleries.{name} must be a table; got {value!r}")
            else:
                out[name] = validate_at(GALLERY_DEFAULTS.get(name, GalleryParams), value, (name,))
        return out

    @classmethod
    def entries(cls, instance: GalleriesParams | None) -> list[tuple[str, type[Params], Any]]:
        """``(key, parameter class, block)`` of each gallery (the documented ones for the class itself)."""
        if instance is None:
            return [(name, c, None) for name, c in GALLERY_DEFAULTS.items()]
        return [(name, type(b), b) for name, b in instance.root.items()]

    def __getattr__(self, name: str) -> Any:
        root = self.__dict__.get("root")
        if root is not None and name in root:
            return root[name]
        return super().__getattr__(name)

    def __getitem__(self, name: str) -> GalleryParams:
        return self.root[name]

    def __iter__(self):
        return iter(self.root)

    def __len__(self) -> int:
        return len(self.root)

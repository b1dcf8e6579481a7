"""The scenario: one validated, immutable configuration of every stage."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, Field, ValidationError, WrapValidator, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from scrutiny.scenario._behavior import BehaviorParams
from scrutiny.scenario._field import FieldParams
from scrutiny.scenario._fields import Params, param, registry_of
from scrutiny.scenario._galleries import GALLERY_DEFAULTS
from scrutiny.scenario._jurisdiction import JurisdictionParams, load_jurisdiction, resolve_jurisdiction
from scrutiny.scenario._operations import OperationsParams
from scrutiny.scenario._sources import SourcesParams
from scrutiny.scenario._targeting import TargetingParams
from scrutiny.scenario._world import WorldParams

__all__ = ["Scenario", "iter_fields", "config_hash"]


class Scenario(Params):
    """A whole scenario. Every field has a default, so ``Scenario()`` is the us-interior preset.

    Examples:
        >>> s = Scenario()
        >>> s.field.galleries.traveller.size
        90000000.0
        >>> s.model_copy(update={"seed": 2}).seed
        2
    """

    name: str = param(
        "us-interior", unit="text", description="A label for the scenario, shown in reports.",
        source="choice of the analyst",
    )
    description: str = param(
        "Present practice in a large US metro, grounded in the 2025-26 record: ELITE-like place targeting, "
        "Mobile-Fortify-like identification of named subjects and the people agents question at the matcher's "
        "operating point, jail custody transfers, a quota that pushes.",
        unit="text", description="What the scenario represents, in a sentence or two (shown by `scrutiny presets` "
        "and in reports).", source="choice of the analyst",
    )
    seed: int = param(
        20260101, ge=0, le=2**63 - 1, unit="integer",
        description="Root seed; every random stream derives from (seed, replicate, stream name).",
        source="choice of the analyst",
    )
    n_days: int = param(
        90, ge=1, le=3650, unit="days", description="Days simulated.", source="choice of the analyst",
    )
    jurisdiction: Annotated[JurisdictionParams, WrapValidator(lambda v, _h: load_jurisdiction(v))] = Field(
        default_factory=lambda: load_jurisdiction("us"),
        description="The jurisdiction: a packaged name ('us', ...), or a table of statuses (with their roles), "
        "record-only statuses, galleries, place types and service points; {base = 'us', ...} changes a packaged one.",
        json_schema_extra={"vocabulary": True},
    )
    world: WorldParams = Field(default_factory=WorldParams, description="The synthetic metro.")
    sources: SourcesParams = Field(default_factory=SourcesParams, description="Data sources.")
    targeting: TargetingParams = Field(default_factory=TargetingParams, description="Place targeting.")
    field: FieldParams = Field(default_factory=FieldParams, description="The field encounter.")
    operations: OperationsParams = Field(default_factory=OperationsParams, description="Daily operations.")
    behavior: BehaviorParams = Field(default_factory=BehaviorParams, description="People's responses.")

    @model_validator(mode="before")
    @classmethod
    def _jurisdiction_defaults(cls, data: Any) -> Any:
        """Fill the fields whose defaults follow the jurisdiction (its galleries, all searched) when absent."""
        if not isinstance(data, dict):
            return data
        try:
            j = load_jurisdiction(resolve_jurisdiction(data.get("jurisdiction", "us")))
        except (ValueError, ValidationError):
            return data  # the field's own validation reports it
        data = copy.copy(data)
        fld = data.get("field", {})
        if not isinstance(fld, dict):
            return data
        fld = data["field"] = copy.copy(fld)
        galleries = fld.get("galleries", {})
        if isinstance(galleries, dict):
            galleries = dict(galleries)
            for g in j.galleries:
                if g not in galleries and g in GALLERY_DEFAULTS:
                    galleries[g] = {}
            fld["galleries"] = {g: galleries[g] for g in j.galleries if g in galleries} | {
                g: v for g, v in galleries.items() if g not in j.galleries}
        fld.setdefault("searched_galleries", list(j.galleries))
        fld.setdefault("searched_record_statuses", list(j.record_statuses))
        return data

    @model_validator(mode="after")
    def _jurisdiction_keys(self) -> Scenario:
        """Every field keyed by (or listing) a jurisdiction's vocabulary uses exactly that vocabulary."""
        vocab = vocabularies(self.jurisdiction)
        errors = []
        for name, info in iter_fields(type(self), instance=self):
            extra = info.json_schema_extra or {}
            kind = extra.get("keyed_by") or extra.get("names_of")
            if not kind:
                continue
            allowed, value = vocab[kind], field_value(self, name)
            if name == "world.status_shares" and self.world.composition != "shares":
                continue  # only read under composition 'shares'
            if "keyed_by" in extra:
                unknown, missing = sorted(set(value) - set(allowed)), [k for k in allowed if k not in value]
                if unknown or missing:
                    errors.append((name, value, f"keys must be the jurisdiction's {kind} {list(allowed)}; unknown "
                                   f"{unknown}, missing {missing}"))
            else:
                bad = [v for v in value if v not in allowed]
                if bad:
                    errors.append((name, value, f"{bad} not among the jurisdiction's {kind} {list(allowed)}"))
        extra_galleries = [g for g in self.field.galleries if g not in self.jurisdiction.galleries]
        missing_galleries = [g for g in self.jurisdiction.galleries if g not in self.field.galleries]
        if extra_galleries or missing_galleries:
            errors.append(("field.galleries", list(self.field.galleries), f"must give every gallery of the "
                           f"jurisdiction {list(self.jurisdiction.galleries)}; unknown {extra_galleries}, missing "
                           f"{missing_galleries} (a gallery without documented defaults must be given in full)"))
        if errors:
            raise ValidationError.from_exception_data("Scenario", [
                InitErrorDetails(type=PydanticCustomError("jurisdiction", msg.replace("{", "(").replace("}", ")")),
                                 loc=tuple(name.split(".")), input=value) for name, value, msg in errors])
        return self

    def config_hash(self) -> str:
        """Return the hash of everything but the seed; see :func:`config_hash`."""
        return config_hash(self)


def vocabularies(j: JurisdictionParams) -> dict[str, tuple[str, ...]]:
    """The names a scenario field may be keyed by, or list, under jurisdiction ``j``."""
    return {
        "statuses": tuple(j.statuses),
        "record_statuses": j.record_statuses,
        "unrecorded_statuses": tuple(k for k, st in j.statuses.items() if st.unrecorded_as),
        "galleries": j.galleries,
        "place_types": tuple(j.place_types),
        "service_points": tuple(j.service_points),
    }


def config_hash(scenario: Scenario) -> str:
    """Return a stable 16-hex-digit hash of the scenario's configuration, seed excluded.

    Two runs with the same hash and the same seed are the same experiment.

    Examples:
        >>> config_hash(Scenario()) == config_hash(Scenario(seed=5))
        True
    """
    payload = json.dumps(scenario.model_dump(mode="json", exclude={"seed"}), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def iter_fields(
    model: type[BaseModel] = Scenario, prefix: str = "", *, instance: BaseModel | None = None
) -> Iterator[tuple[str, FieldInfo]]:
    """Yield ``(dotted_name, FieldInfo)`` for every leaf field of a parameter model, depth first.

    A field holding registered components (``targeting.policy``, ``field.decision``) yields itself
    (the choice), then the fields of the components' parameter blocks under its own name: every
    registered component's when ``instance`` is ``None`` (documentation, contract tests), only the
    chosen ones' when an instance is given (a scenario's assumptions). A list of components is
    addressed by component name (``field.decision.human_review.p_rejects_false``); the data sources
    by their key (``sources.plates.enabled``).

    Examples:
        >>> names = [n for n, _ in iter_fields()]
        >>> "field.threshold" in names and "world.places.p_employed" in names
        True
        >>> "targeting.policy.prior_visits" in names
        True
        >>> "targeting.policy.prior_visits" in [n for n, _ in iter_fields(instance=Scenario())]
        False
    """
    entries = getattr(model, "entries", None)
    if entries is not None:  # a table of blocks keyed by name (sources, galleries)
        for name, cls, sub in entries(instance):
            yield from _component_fields(cls, f"{prefix}{name}.", sub)
        return
    for name, info in model.model_fields.items():
        if (info.json_schema_extra or {}).get("vocabulary"):
            continue  # the jurisdiction is the scenario's vocabulary, documented in its own file, not a parameter
        tag = registry_of(info)
        ann = info.annotation
        if tag is not None:
            yield f"{prefix}{name}", info
            if instance is None:
                for comp in tag.registry.names():
                    sub = f"{prefix}{name}.{comp}." if tag.many else f"{prefix}{name}."
                    yield from _component_fields(tag.registry.params_class(comp), sub, None)
            else:
                chosen = getattr(instance, name)
                for block in chosen if tag.many else (chosen,):
                    sub = f"{prefix}{name}.{block.name}." if tag.many else f"{prefix}{name}."
                    yield from _component_fields(type(block), sub, block)
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from iter_fields(ann, f"{prefix}{name}.", instance=getattr(instance, name, None))
        else:
            yield f"{prefix}{name}", info


def _component_fields(cls: type[BaseModel], prefix: str, instance: BaseModel | None):
    """The fields of a component's parameter block (its ``name`` is the choice, listed by the caller)."""
    for dotted, info in iter_fields(cls, prefix, instance=instance):
        if dotted != f"{prefix}name":
            yield dotted, info


def field_value(scenario: BaseModel, dotted: str) -> Any:
    """Return the value of a dotted field of a scenario (``"field.threshold"``).

    A list of components is addressed by component name (``"field.decision.human_review"``).
    """
    obj: Any = scenario
    for part in dotted.split("."):
        if isinstance(obj, tuple) and obj and all(isinstance(x, BaseModel) and hasattr(x, "name") for x in obj):
            obj = next(x for x in obj if x.name == part)
        else:
            obj = getattr(obj, part)
    return obj

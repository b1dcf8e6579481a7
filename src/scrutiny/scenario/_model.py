"""The scenario: one validated, immutable configuration of every stage."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from scrutiny.scenario._behavior import BehaviorParams
from scrutiny.scenario._field import FieldParams
from scrutiny.scenario._fields import Params, param, registry_of
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
    seed: int = param(
        20260101, ge=0, le=2**63 - 1, unit="integer",
        description="Root seed; every random stream derives from (seed, replicate, stream name).",
        source="choice of the analyst",
    )
    n_days: int = param(
        90, ge=1, le=3650, unit="days", description="Days simulated.", source="choice of the analyst",
    )
    world: WorldParams = Field(default_factory=WorldParams, description="The synthetic metro.")
    sources: SourcesParams = Field(default_factory=SourcesParams, description="Data sources.")
    targeting: TargetingParams = Field(default_factory=TargetingParams, description="Place targeting.")
    field: FieldParams = Field(default_factory=FieldParams, description="The field encounter.")
    operations: OperationsParams = Field(default_factory=OperationsParams, description="Daily operations.")
    behavior: BehaviorParams = Field(default_factory=BehaviorParams, description="People's responses.")

    def config_hash(self) -> str:
        """Return the hash of everything but the seed; see :func:`config_hash`."""
        return config_hash(self)


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
    table = getattr(model, "component_registry", None)
    if table is not None:  # a table of every registered component, keyed by name (sources)
        for name in table.names():
            sub = getattr(instance, name) if instance is not None else None
            yield from _component_fields(table.params_class(name), f"{prefix}{name}.", sub)
        return
    for name, info in model.model_fields.items():
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
    for name, info in cls.model_fields.items():
        if name != "name":
            ann = info.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                yield from iter_fields(ann, f"{prefix}{name}.", instance=getattr(instance, name, None))
            else:
                yield f"{prefix}{name}", info


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

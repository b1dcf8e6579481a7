"""Registries: one per extension point, mapping a component's name to its parameters and its code.

An extension point (a selection policy, a data source, a scan policy, a decision rule, an
encounter trigger) is a :class:`Registry`. Each component registers twice, by name:

* its **parameter block**, a frozen pydantic model whose ``name`` field is a ``Literal`` of the
  component's name, registered where the scenario is defined (so a scenario can be validated
  without importing the stage that runs it): ``@REGISTRY.params("thompson")``;
* its **implementation**, a class in the stage's package: ``@REGISTRY.implements("thompson")``.

A scenario field of a registered kind accepts a component's name (``"thompson"``) or a table with
a ``name`` key and that component's parameters (``{name = "thompson", prior_visits = 2.0}``); the
allowed names come from the registry, so adding a component never touches a ``Literal`` or an
``if`` chain. A component from outside the package (a test, a plug-in) registers both in one call
with :meth:`Registry.register`, its parameter block being the class attribute ``Params``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from scrutiny.errors import did_you_mean

__all__ = ["Registry"]

T = TypeVar("T")


class Registry:
    """Name -> (parameter block, implementation) for one extension point.

    Args:
        point: The extension point's name as a user meets it (``"targeting.policy"``).

    Examples:
        >>> from scrutiny.scenario import SELECTION_POLICIES
        >>> "thompson" in SELECTION_POLICIES.names()
        True
        >>> SELECTION_POLICIES.validate({"name": "thompson", "prior_visits": 2.0})
        ThompsonParams(name='thompson', prior_visits=2.0)
    """

    def __init__(self, point: str) -> None:
        self.point = point
        self._params: dict[str, type[BaseModel]] = {}
        self._impl: dict[str, type] = {}

    def params(self, name: str) -> Callable[[type[BaseModel]], type[BaseModel]]:
        """Class decorator registering the parameter block of component ``name``."""

        def deco(cls: type[BaseModel]) -> type[BaseModel]:
            if name in self._params and self._params[name] is not cls:
                raise ValueError(f"{self.point}: a parameter block named {name!r} is already registered")
            default = cls.model_fields.get("name")
            if default is None or default.default != name:
                raise ValueError(f"{self.point}: {cls.__name__} must declare name: Literal[{name!r}] = {name!r}")
            self._params[name] = cls
            return cls

        return deco

    def implements(self, name: str) -> Callable[[type[T]], type[T]]:
        """Class decorator registering the implementation of component ``name``."""

        def deco(cls: type[T]) -> type[T]:
            if name in self._impl and self._impl[name] is not cls:
                raise ValueError(f"{self.point}: an implementation named {name!r} is already registered")
            self._impl[name] = cls
            cls.name = name  # type: ignore[attr-defined]
            return cls

        return deco

    def register(self, name: str, impl: type[T]) -> type[T]:
        """Register a component defined in one place: ``impl`` carries its parameter block as ``impl.Params``."""
        self.params(name)(impl.Params)  # type: ignore[attr-defined]
        return self.implements(name)(impl)

    def unregister(self, name: str) -> None:
        """Remove component ``name`` (for tests that register a dummy component)."""
        self._params.pop(name, None)
        self._impl.pop(name, None)

    def names(self) -> tuple[str, ...]:
        """The registered names, in registration order."""
        return tuple(self._params)

    def __contains__(self, name: object) -> bool:
        return name in self._params

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def params_class(self, name: str) -> type[BaseModel]:
        """The parameter block of ``name``."""
        self._check(name)
        return self._params[name]

    def implementation(self, name: str) -> type:
        """The implementation of ``name``; its stage package must have been imported."""
        self._check(name)
        if name not in self._impl:
            raise LookupError(f"{self.point} {name!r} has parameters but no implementation registered")
        return self._impl[name]

    def _check(self, name: str) -> None:
        if name not in self._params:
            raise KeyError(f"Unknown {self.point} {name!r}; allowed: {list(self._params)}.{did_you_mean(name, self)}")

    def validate(self, value: Any) -> BaseModel:
        """Validate a name or a ``{name = ..., ...}`` table into the component's parameter block.

        Raises:
            pydantic_core.PydanticCustomError: for an unknown or missing name (pydantic reports it
                at the field's dotted path); the block's own validation errors keep their paths.
        """
        if isinstance(value, BaseModel) and type(value) in self._params.values():
            return value
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict):
            raise PydanticCustomError(
                "component", "expected a name (one of {allowed}) or a table with a 'name' key",
                {"allowed": list(self._params)},
            )
        name = value.get("name")
        if name not in self._params:
            hint = did_you_mean(str(name), self) if isinstance(name, str) else ""
            raise PydanticCustomError(
                "component", "unknown {point} {name!r}; allowed: {allowed}.{hint}",
                {"point": self.point, "name": name, "allowed": list(self._params), "hint": hint},
            )
        return self._params[name].model_validate(value)

    def validate_list(self, value: Any) -> tuple[BaseModel, ...]:
        """Validate a list of names or tables (a single name or table is a list of one)."""
        if isinstance(value, (str, dict, BaseModel)):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise PydanticCustomError("component", "expected a list of names or tables; got {value!r}",
                                      {"value": value})
        out, errors = [], []
        for i, item in enumerate(value):
            try:
                out.append(self.validate(item))
            except ValidationError as exc:
                for e in exc.errors():
                    errors.append(InitErrorDetails(type=PydanticCustomError(e["type"], e["msg"]),
                                                   loc=(i, *e["loc"]), input=e.get("input")))
            except PydanticCustomError as exc:
                errors.append(InitErrorDetails(type=exc, loc=(i,), input=item))
        if errors:
            raise ValidationError.from_exception_data(self.point, errors)
        return tuple(out)

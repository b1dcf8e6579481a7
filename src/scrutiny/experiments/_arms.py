"""Safeguard arms: named sets of dotted-field overrides of a baseline scenario.

An arms file is TOML::

    [arms.threshold_strict]
    description = "A match threshold one decade stricter."
    overrides = { "field.threshold" = 10.6 }

The baseline arm (no overrides) always comes first. Every arm is validated up front, before any
work starts: an unknown field or a bad value stops the comparison with a message that names the
arm, the dotted field, the bad value and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scrutiny.errors import ConfigError, brief, did_you_mean
from scrutiny.scenario import Scenario, apply_overrides, iter_fields
from scrutiny.scenario._load import format_validation_error, read_toml

__all__ = ["Arm", "load_arms", "arm_scenarios", "default_arms_path", "DEFAULT_ARMS"]

#: The arms file shipped with the package (the default safeguards).
DEFAULT_ARMS = "default"
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
#: Overrides an arm may not make: pairing on common random numbers needs the baseline's seed.
_FORBIDDEN = ("seed",)


@dataclass(frozen=True, slots=True)
class Arm:
    """One arm of a comparison: a name, what it means, the fields it changes and where it was defined."""

    name: str
    description: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)
    origin: str = field(default="arguments", compare=False)  # the arms file, for messages

    @property
    def label(self) -> str:
        """How messages name the arm: ``arm 'strict' in my-arms.toml``."""
        return f"arm {brief(self.name)}" + ("" if self.origin == "arguments" else f" in {self.origin}")


def default_arms_path(preset: str | None = None) -> Path:
    """Return the path of the packaged default safeguards of ``preset`` (``arms/<preset>.toml``), or the general ones.

    Examples:
        >>> default_arms_path("no-such-preset").name
        'default.toml'
    """
    folder = resources.files("scrutiny.experiments") / "arms"
    if preset is not None and (folder / f"{preset}.toml").is_file():
        return Path(str(folder / f"{preset}.toml"))
    return Path(str(folder / f"{DEFAULT_ARMS}.toml"))


def _arm(name: str, spec: Any, origin: str) -> Arm:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(
            f"Arm name {brief(name)} ({origin}) is not allowed: use letters, digits, '_', '-' or '.' "
            "(at most 64 characters, not starting with '.' or '-'), since it names a folder."
        )
    where = f"Arm {name!r} ({origin})"
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{where} must be a table with 'description' and 'overrides'; got {brief(spec)}.")
    unknown = sorted(map(str, set(spec) - {"description", "overrides"}))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {brief(unknown)}; allowed: ['description', 'overrides'].")
    description, overrides = spec.get("description", ""), spec.get("overrides", {})
    if not isinstance(description, str):
        raise ConfigError(f"{where}: 'description' must be text; got {brief(description)}.")
    if not isinstance(overrides, Mapping):
        raise ConfigError(f"{where}: 'overrides' must map dotted fields to values; got {brief(overrides)}.")
    return Arm(name, description, {str(k): v for k, v in overrides.items()}, origin)


def load_arms(
    arms: Mapping[str, Any] | str | Path | None = None, *, baseline_arm: str = "baseline", preset: str | None = None
) -> list[Arm]:
    """Read arms from a mapping or a TOML file; return them with the baseline arm first.

    Args:
        arms: ``{name: {"description": ..., "overrides": {dotted field: value}}}``, a path to an
            arms TOML file (whose ``[arms.NAME]`` tables have that shape), or ``None`` for the
            packaged default safeguards (of ``preset`` when it has its own, :func:`default_arms_path`).
        baseline_arm: Name of the baseline arm. It has no overrides; if ``arms`` names it, only
            its description is taken.
        preset: The scenario's preset name, for its packaged safeguards.

    Returns:
        Arms in order, baseline first.

    Raises:
        ConfigError: For a missing or malformed file, a bad arm name or a malformed arm.

    Examples:
        >>> [a.name for a in load_arms({"strict": {"overrides": {"field.threshold": 10.6}}})]
        ['baseline', 'strict']
    """
    origin = "arguments"
    if arms is None or isinstance(arms, (str, Path)):
        path = default_arms_path(preset) if arms is None else Path(arms)
        origin = str(path)
        data = read_toml(path, what="Arms")
        unknown = sorted(set(data) - {"arms"})
        if unknown or not isinstance(data.get("arms"), Mapping):
            raise ConfigError(
                f"Arms file {origin!r} must hold [arms.NAME] tables only; found top-level keys "
                f"{brief(sorted(data))}."
            )
        arms = data["arms"]
    if not isinstance(arms, Mapping):
        raise ConfigError(f"arms must be a mapping of name -> {{description, overrides}} or a path; got {brief(arms)}.")
    parsed = [_arm(name, spec, origin) for name, spec in arms.items()]
    base = next((a for a in parsed if a.name == baseline_arm), None)
    if base is not None and base.overrides:
        raise ConfigError(
            f"Arm {baseline_arm!r} ({origin}) is the baseline and cannot have overrides; got {brief(base.overrides)}. "
            "Put changes in the scenario, or give this arm another name."
        )
    description = base.description if base and base.description else "The scenario as given, with no safeguard added."
    return [Arm(baseline_arm, description, {}, origin)] + [a for a in parsed if a.name != baseline_arm]


def _where(arm: Arm) -> str:
    """The arm's label at the start of a sentence."""
    return "A" + arm.label[1:]


def _check_override_names(arm: Arm, known: list[str]) -> None:
    sections = {n.rsplit(".", 1)[0] for n in known if "." in n}
    for dotted, value in arm.overrides.items():
        if dotted in _FORBIDDEN:
            raise ConfigError(
                f"{_where(arm)}: overriding {dotted!r} (value {brief(value)}) is not allowed; arms are "
                "paired on the baseline's common random numbers. Change the seed of the whole comparison instead."
            )
        if dotted not in known and dotted not in sections:
            raise ConfigError(
                f"{_where(arm)}: unknown field {brief(dotted)} (value {brief(value)})."
                f"{did_you_mean(dotted, known)} "
                "Run `scrutiny fields` for every field."
            )


def arm_scenarios(base: Scenario, arms: list[Arm]) -> dict[str, Scenario]:
    """Apply each arm's overrides to ``base`` and validate; return ``{name: scenario}`` in order.

    The baseline's name and seed are kept, so an arm with no effective change has the baseline's
    configuration hash.

    Raises:
        ConfigError: Naming the arm, each bad dotted field, its value and what is allowed.

    Examples:
        >>> from scrutiny.scenario import Scenario
        >>> out = arm_scenarios(Scenario(), load_arms({"strict": {"overrides": {"field.threshold": 10.6}}}))
        >>> out["strict"].field.threshold, out["baseline"].field.threshold
        (10.6, 9.6)
    """
    known = [name for name, _ in iter_fields()]
    data = base.model_dump(mode="json")
    out: dict[str, Scenario] = {}
    for arm in arms:
        if arm.name in out:
            raise ConfigError(f"{_where(arm)} is defined twice.")
        _check_override_names(arm, known)
        try:
            out[arm.name] = Scenario.model_validate(apply_overrides(data, arm.overrides)) if arm.overrides else base
        except ConfigError as exc:
            raise ConfigError(f"{_where(arm)}: {exc}") from None
        except ValidationError as exc:
            raise ConfigError(format_validation_error(exc, arm.label)) from None
    return out

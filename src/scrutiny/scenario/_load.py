"""Loading scenarios from TOML, presets and dotted overrides, with errors a person can act on."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from scrutiny._files import packaged_geography, read_text
from scrutiny.errors import ConfigError, brief, did_you_mean
from scrutiny.scenario._advice import given_fields, warn_about
from scrutiny.scenario._fields import registry_of
from scrutiny.scenario._model import Scenario, field_value, iter_fields

__all__ = ["load_scenario", "list_presets", "apply_overrides", "dump_toml", "format_validation_error", "read_toml",
           "check_depth", "MAX_DEPTH"]


def list_presets() -> list[str]:
    """Return the names of the embedded presets.

    Examples:
        >>> "us-interior" in list_presets()
        True
    """
    folder = resources.files("scrutiny.scenario") / "presets"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


#: Deepest nesting of tables and arrays accepted in a TOML file or a mapping (Scrutiny's own nest 5 deep).
MAX_DEPTH = 20


def read_toml(path: str | Path, *, what: str) -> dict[str, Any]:
    """Read a TOML file, or raise a :class:`ConfigError` naming ``what`` file it is and the path.

    Args:
        path: The file.
        what: What the file holds, for the message (``"Scenario"``, ``"Arms"``, ``"Design"``).

    Raises:
        ConfigError: If the file does not exist, cannot be read, is not UTF-8, is not valid TOML or
            nests deeper than :data:`MAX_DEPTH`.
    """
    origin = f"{what} file {str(Path(path))!r}"
    text = read_text(path, f"{what} file", error=ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin} is not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{origin} nests arrays or inline tables too deeply to be read; Scrutiny's files nest "
                          f"at most {MAX_DEPTH} levels.") from None
    check_depth(data, origin)
    return data


def check_depth(data: Any, origin: str, limit: int = MAX_DEPTH) -> None:
    """Refuse tables and arrays nested more than ``limit`` deep (they would exhaust Python's recursion).

    Raises:
        ConfigError: Naming ``origin``, the dotted path where the limit is passed and the limit.

    Examples:
        >>> check_depth({"a": {"b": [1]}}, "x.toml", limit=3)
        >>> check_depth({"a": {"b": [[1]]}}, "x.toml", limit=3)
        Traceback (most recent call last):
        ...
        scrutiny.errors.ConfigError: x.toml nests more than 3 levels deep at 'a.b.0.0'; Scrutiny's files nest at most 3.
    """
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, Mapping):
            children = [(v, (*where, str(k))) for k, v in node.items()]
        elif isinstance(node, (list, tuple)):
            children = [(v, (*where, str(i))) for i, v in enumerate(node)]
        else:
            continue
        for child, path in children:
            if len(path) > limit:
                raise ConfigError(f"{origin} nests more than {limit} levels deep at {brief('.'.join(path), 80)}; "
                                  f"Scrutiny's files nest at most {limit}.")
            stack.append((child, path))


def _preset_data(name: str) -> dict[str, Any]:
    presets = list_presets()
    if name not in presets:
        raise ConfigError(f"Unknown preset {name!r}. Allowed presets: {presets}.{did_you_mean(name, presets)}")
    text = (resources.files("scrutiny.scenario") / "presets" / f"{name}.toml").read_text()
    return tomllib.loads(text)


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``data`` with dotted-key overrides applied (``{"field.threshold": 10.0}``).

    A component named by a string becomes a table when an override reaches inside it
    (``targeting.policy = "thompson"`` plus ``targeting.policy.prior_visits``), and an element of a
    list of components is reached by its name (``field.decision.human_review.p_rejects_false``).

    Examples:
        >>> apply_overrides({"field": {"threshold": 9.6}}, {"field.threshold": 10.0})
        {'field': {'threshold': 10.0}}
        >>> apply_overrides({"targeting": {"policy": "thompson"}}, {"targeting.policy.prior_visits": 2.0})
        {'targeting': {'policy': {'name': 'thompson', 'prior_visits': 2.0}}}
    """
    out = copy.deepcopy(data)
    for dotted, value in overrides.items():
        node: Any = out
        parts = str(dotted).split(".")
        for part in parts[:-1]:
            node = _descend(node, part, dotted)
        node[parts[-1]] = _keep_blocks(node.get(parts[-1]), copy.deepcopy(value))
    return out


def _blocks(value: Any) -> dict[str, dict]:
    """The components given as tables in ``value`` (one table, or a list), by name."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return {item["name"]: item for item in items if isinstance(item, dict) and isinstance(item.get("name"), str)}


def _keep_blocks(old: Any, new: Any) -> Any:
    """A component named bare in an override keeps the parameter block the scenario already gives it.

    So an arm ``field.decision = ["agent_discretion", "human_review"]`` adds a human review to a
    preset's ``{name = "agent_discretion", p_act = 0.744}`` without resetting ``p_act`` to its default.

    Examples:
        >>> _keep_blocks([{"name": "a", "p": 0.5}], ["a", "b"])
        [{'name': 'a', 'p': 0.5}, 'b']
        >>> _keep_blocks({"name": "a", "p": 0.5}, "a"), _keep_blocks({"name": "a", "p": 0.5}, "b")
        ({'name': 'a', 'p': 0.5}, 'b')
    """
    blocks = _blocks(old)
    if not blocks:
        return new
    if isinstance(new, str):
        return copy.deepcopy(blocks.get(new, new))
    if isinstance(new, list):
        return [copy.deepcopy(blocks[item]) if isinstance(item, str) and item in blocks else item for item in new]
    return new


def _descend(node: Any, part: str, dotted: str) -> dict:
    """The table under ``node[part]`` (created if missing), for :func:`apply_overrides`."""
    if isinstance(node, list):  # a list of components, reached by name
        for i, item in enumerate(node):
            name = item.get("name") if isinstance(item, dict) else item
            if name == part:
                if isinstance(item, str):
                    node[i] = {"name": item}
                return node[i]
        raise ConfigError(f"Override {dotted!r}: no component named {part!r} in the list {node!r}.")
    child = node.setdefault(part, {})
    if isinstance(child, str):  # a component given by name: make it a table
        child = node[part] = {"name": child}
    if isinstance(child, tuple):
        child = node[part] = list(child)
    if not isinstance(child, (dict, list)):
        raise ConfigError(f"Override {dotted!r}: {part!r} is not a section.")
    return child


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Scenario
    for part in loc[:-1]:
        info = model.model_fields.get(str(part))
        if info is None or not (isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)):
            return []
        model = info.annotation
    return list(model.model_fields)


def format_validation_error(err: ValidationError, origin: str) -> str:
    """Turn a pydantic error into one message: each bad field dotted, its value and what is allowed."""
    lines = [f"Invalid scenario ({origin}):"]
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        dotted = ".".join(str(p) for p in loc) or "<root>"
        value = e.get("input")
        if e["type"] == "extra_forbidden":
            allowed = _allowed_keys(loc)
            hint = did_you_mean(str(loc[-1]), allowed)
            lines.append(f"  - {dotted}: unknown field (value {brief(value)}).{hint} Allowed here: {allowed}")
            continue
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"  - {dotted}: {msg}; got {brief(value)}")
    return "\n".join(lines)


def load_scenario(
    source: str | Path | Mapping[str, Any] | None = None,
    *,
    preset: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """Load and validate a scenario from a TOML file, a mapping and/or a preset.

    Values are layered: the preset (or the file's own ``preset = "..."`` key), then the file or
    mapping, then ``overrides`` (dotted keys). Validation happens once, here.

    Args:
        source: Path to a TOML file, or a mapping with the same structure. ``None`` means the preset alone.
        preset: Name of an embedded preset (see :func:`list_presets`); defaults to ``"us-interior"``.
        overrides: Dotted-key values applied last, e.g. ``{"field.threshold": 10.0}``.

    Returns:
        A frozen :class:`Scenario`.

    Raises:
        ConfigError: For a missing file, bad TOML, an unknown preset, or any invalid field; the
            message names every bad dotted field, its value and what is allowed.

    Examples:
        >>> load_scenario(preset="us-interior", overrides={"n_days": 10}).n_days
        10
    """
    if source is not None and not isinstance(source, (str, Path, Mapping)):
        raise ConfigError(f"A scenario is a TOML file's path or a mapping; got {brief(source)}.")
    origin = "arguments" if source is None or isinstance(source, Mapping) else str(Path(source))
    data = _source_data(source)
    if overrides:
        check_depth(dict(overrides), "Scenario overrides")
    file_preset = data.pop("preset", None)
    if file_preset is not None and not isinstance(file_preset, str):
        raise ConfigError(f"{origin}: 'preset' must be a preset name ({list_presets()}); got {brief(file_preset)}.")
    chosen = preset or file_preset or "us-interior"
    try:
        merged = _merge(_preset_data(chosen), data)
    except ConfigError as exc:
        if preset or file_preset is None:
            raise
        raise ConfigError(f"Scenario file {origin!r}: {exc}") from None
    if overrides:
        merged = apply_overrides(merged, overrides)
    _name_components(merged)
    try:
        scenario = Scenario.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, origin)) from None
    warn_about(scenario, given_fields(scenario, data, overrides))  # allowed, but probably not meant
    return scenario


def _name_components(data: dict[str, Any]) -> None:
    """Give a component table that names no component the default's name (in place).

    ``--set targeting.policy.lone_pin_min_confidence=5`` on a scenario that keeps the default
    policy then adjusts the default policy rather than failing for want of a name.
    """
    default = Scenario()
    for dotted, info in iter_fields(Scenario, instance=default):
        tag = registry_of(info)
        if tag is None or tag.many:
            continue
        node: Any = data
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and "name" not in node:
            node["name"] = field_value(default, dotted).name


def _source_data(source: str | Path | Mapping[str, Any] | None) -> dict[str, Any]:
    """The scenario's own values: a copy of the mapping, or the TOML file with its geography folder resolved."""
    if source is None:
        return {}
    if isinstance(source, Mapping):
        check_depth(source, "Scenario (arguments)")
        return copy.deepcopy(dict(source))
    data = read_toml(source, what="Scenario")
    geography = data.get("world", {}).get("geography") if isinstance(data.get("world"), dict) else None
    if (isinstance(geography, str) and geography != "synthetic" and not Path(geography).is_absolute()
            and packaged_geography(geography) is None):
        # a folder named in a scenario file is relative to that file (a packaged name stays a name)
        data["world"]["geography"] = str((Path(source).parent / geography).resolve())
    return data


def dump_toml(scenario: Scenario) -> str:
    """Return the scenario, every field resolved, as TOML text (loadable by :func:`load_scenario`)."""
    return tomli_w.dumps(scenario.model_dump(mode="json"))

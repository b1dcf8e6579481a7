"""Every numeric scenario field is finite and inside a stated range (issue 16: no value passes that makes nonsense).

A numeric field is a number or a mapping or tuple of numbers. Each states both bounds; NaN, the
infinities and a value just past either bound are refused with a message naming the dotted field.
"""

import math
import typing

import annotated_types as at
import pytest
from pydantic import ValidationError

from scrutiny.errors import ConfigError
from scrutiny.scenario import Scenario, iter_fields, load_scenario
from scrutiny.scenario._fields import EACH, ComponentParams, Params


def _numeric(annotation) -> bool:
    if annotation in (int, float):
        return True
    if typing.get_origin(annotation) is typing.Literal:
        return False
    return any(_numeric(a) for a in typing.get_args(annotation))


NUMERIC = [(n, info) for n, info in iter_fields(Scenario) if _numeric(info.annotation)]
DEFAULTS = Scenario().model_dump(mode="json")


def _owners() -> dict[int, tuple[type, str]]:
    """Each field's declaring block and name, by the identity of its FieldInfo (components included)."""
    owners, stack = {}, [Params]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        owners.update({id(info): (cls, name) for name, info in cls.model_fields.items()})
    return owners


OWNERS = _owners()


def _bounds(info) -> dict:
    if info.annotation in (int, float):
        kinds = {at.Ge: "ge", at.Gt: "gt", at.Le: "le", at.Lt: "lt"}
        return {kinds[type(m)]: getattr(m, kinds[type(m)]) for m in info.metadata if type(m) in kinds}
    return dict((info.json_schema_extra or {}).get(EACH, {}))


def _default(name: str):
    """The field's value in the default scenario (KeyError for a component the default does not choose)."""
    value = DEFAULTS
    for part in name.split("."):
        value = value[part]
    return value


def _in_default(name: str) -> bool:
    try:
        _default(name)
        return True
    except (KeyError, TypeError):
        return False


def _scenario_level(name: str, info) -> bool:
    """A field a dotted override reaches in the default scenario (not inside a registered component)."""
    return _in_default(name) and not issubclass(OWNERS[id(info)][0], ComponentParams)


def _with_first_number(value, bad):
    """``value`` (a number, or a mapping or list of numbers) with its first number replaced by ``bad``."""
    if isinstance(value, dict):
        key = next(iter(value))
        return {**value, key: _with_first_number(value[key], bad)}
    if isinstance(value, list):
        return [_with_first_number(value[0], bad), *value[1:]]
    return bad


def _bad_values(bounds: dict) -> dict[str, float]:
    lower = bounds.get("ge", bounds.get("gt"))
    upper = bounds.get("le", bounds.get("lt"))
    span = max(abs(upper - lower), 1.0)
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf,
            "below": lower - span if "ge" in bounds else lower, "above": upper + span if "le" in bounds else upper}


def test_there_are_numeric_fields_of_both_shapes():
    shapes = {info.annotation in (int, float) for _, info in NUMERIC}
    assert len(NUMERIC) > 100 and shapes == {True, False}, "scalars and containers are both checked"


@pytest.mark.parametrize("name,info", NUMERIC, ids=[n for n, _ in NUMERIC])
def test_numeric_field_states_both_bounds(name, info):
    bounds = _bounds(info)
    assert {"ge", "gt"} & set(bounds) and {"le", "lt"} & set(bounds), f"{name} needs a lower and an upper bound"
    lower = bounds.get("ge", bounds.get("gt"))
    upper = bounds.get("le", bounds.get("lt"))
    assert math.isfinite(lower) and math.isfinite(upper) and lower < upper, f"{name}: bounds {bounds}"


@pytest.mark.parametrize("name,info", NUMERIC, ids=[n for n, _ in NUMERIC])
def test_numeric_field_refuses_nan_infinities_and_values_past_its_bounds(name, info):
    owner, field = OWNERS[id(info)]
    default = _default(name) if _in_default(name) else owner().model_dump(mode="json")[field]
    for label, bad in _bad_values(_bounds(info)).items():
        value = _with_first_number(default, bad) if default != {} else {"x": bad}
        with pytest.raises(ValidationError) as err:  # the block that declares it (a component, if not chosen)
            owner.model_validate({field: value})
        assert any(e["loc"][0] == field for e in err.value.errors()), f"{name} = {label}: {err.value}"
        if _scenario_level(name, info):  # and the whole scenario, which names the dotted field
            with pytest.raises(ConfigError) as err:
                load_scenario(overrides={name: value})
            assert name in str(err.value), f"{name} = {label}: the message names the field: {err.value}"


def test_the_preset_scenario_is_inside_every_bound():
    base = load_scenario()
    dump = base.model_dump(mode="json")

    def value(name):
        node = dump
        for part in name.split("."):
            node = node[part]
        return node

    chosen = {n: value(n) for n, info in NUMERIC if _scenario_level(n, info)}
    assert len(chosen) > 80 and load_scenario(overrides=chosen) == base, "every number round-trips its bounds"


def test_a_miss_rate_above_one_is_refused():
    expected = r"field: the miss rate of group 'white_man' under capture 'field' would be .* = [\d.]+, above 1"
    with pytest.raises(ConfigError, match=expected):
        load_scenario(overrides={"field.rel_fnmr_group": {**_default("field.rel_fnmr_group"), "white_man": 40.0}})


def test_a_nan_prior_is_refused_rather_than_giving_zero_operations():
    with pytest.raises(ConfigError, match=r"targeting\.rel_place_prior\.0: Input should be a finite number"):
        load_scenario(overrides={"targeting.rel_place_prior": [math.nan] * 7})


def test_a_numeric_field_without_bounds_cannot_be_declared():
    from scrutiny.scenario._fields import param

    with pytest.raises(TypeError, match="needs a lower .* and an upper"):
        param(1.0, ge=0.0, unit="x", description="an unbounded multiplier", source="test")
    with pytest.raises(TypeError, match="needs a lower"):
        param({"a": 0.5}, unit="share", description="shares without bounds", source="test")

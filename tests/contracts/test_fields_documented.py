"""Every scenario field is documented and constrained (sklearn's check_param_validation)."""

import pytest

from scrutiny.scenario import Scenario, iter_fields

FIELDS = list(iter_fields(Scenario))


@pytest.mark.parametrize("name,info", FIELDS, ids=[n for n, _ in FIELDS])
def test_field_has_description_unit_and_source(name, info):
    extra = info.json_schema_extra or {}
    assert info.description and len(info.description) > 10, f"{name} needs a description"
    assert extra.get("unit"), f"{name} needs a unit"
    assert extra.get("source"), f"{name} needs a source (or 'assumption: ...')"


@pytest.mark.parametrize("name,info", FIELDS, ids=[n for n, _ in FIELDS])
def test_numeric_fields_are_bounded(name, info):
    if info.annotation in (int, float):
        bounds = [m for m in info.metadata if any(getattr(m, b, None) is not None for b in ("ge", "gt", "le", "lt"))]
        assert bounds, f"{name} is numeric and needs a range"


def test_assumptions_with_plausible_range_are_sensitivity_inputs():
    n_assumptions = 0
    for name, info in FIELDS:
        extra = info.json_schema_extra or {}
        if str(extra.get("source", "")).startswith("assumption") and info.annotation is float:
            n_assumptions += 1
            assert "plausible" in extra, f"{name} is an assumption and needs a plausible range for sensitivity analysis"
    assert n_assumptions > 5

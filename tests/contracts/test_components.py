"""Every registered component passes the contract checks of its kind (see checks.py)."""

import pytest
from checks import CHECKS, run_checks

CASES = [(point, name) for point, (registry, _) in CHECKS.items() for name in registry.names()]


@pytest.mark.parametrize(("point", "name"), CASES, ids=[f"{p}:{n}" for p, n in CASES])
def test_registered_component_meets_its_contract(point, name):
    run_checks(point, name)

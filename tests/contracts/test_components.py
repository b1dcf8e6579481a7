"""Every registered component passes the contract checks of its kind (see checks.py)."""

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from checks import CHECKS, run_checks

CASES = [(point, name) for point, (registry, _) in CHECKS.items() for name in registry.names()]


@pytest.mark.parametrize(("point", "name"), CASES, ids=[f"{p}:{n}" for p, n in CASES])
def test_registered_component_meets_its_contract(point, name):
    run_checks(point, name)

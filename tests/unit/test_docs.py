"""The design and calibration documents travel with the package: the copies under docs/ and src/scrutiny/docs/ agree."""

from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["CALIBRATION.md", "DESIGN.md"])
def test_the_packaged_copy_is_the_project_document(name):
    project = (ROOT / "docs" / name).read_text(encoding="utf-8")
    packaged = (resources.files("scrutiny") / "docs" / name).read_text(encoding="utf-8")
    assert packaged == project, f"src/scrutiny/docs/{name} differs from docs/{name}: copy docs/{name} over it"
    assert "## " in project and "| source |" in project.lower() or name == "DESIGN.md"

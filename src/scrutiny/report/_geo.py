"""What a report says about a run on imported geography: its name, and the two assumptions the import makes.

A run on public tract aggregates (``world.geography`` names a folder) keeps its preset's name, which
says nothing about where it is. The report names the geography in its title (the first heading of
the folder's ``SOURCE.md`` or ``README.md``, else the folder's name) and states the two
assumptions the import makes (see :mod:`scrutiny.world._import`): ACS does not split
non-citizens by legal status, and the model has four race/ethnicity groups.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

__all__ = ["geography", "GEO_ASSUMPTIONS"]

#: The assumptions a run on imported geography makes, as the report states them.
GEO_ASSUMPTIONS: tuple[str, ...] = (
    "The American Community Survey does not split non-citizens by legal status, so each tract's non-citizens are "
    "split by the national mix among non-citizens (CALIBRATION.md), tilted toward tracts with many non-citizens by "
    "world.segregation. Where people of each status live within the county is therefore modelled, not observed.",
    "The model has four race/ethnicity groups (Hispanic and non-Hispanic white, Black and Asian). Non-Hispanic "
    "residents of other or several races (American Indian, Pacific Islander, some other race, two or more races) are "
    "counted with non-Hispanic white, whose false-match rate is NIST's reference: this understates the disparities "
    "those residents would face.",
)


def _heading(folder: Path) -> str | None:
    """The first Markdown heading of the folder's SOURCE.md or README.md, without what follows a colon."""
    for name in ("SOURCE.md", "README.md"):
        try:
            text = (folder / name).read_text(encoding="utf-8")[:4000]
        except (OSError, UnicodeDecodeError):
            continue
        m = re.search(r"^#\s+(.+)$", text, re.M)
        if m:
            return m.group(1).split(":", 1)[0].strip()[:120] or None
    return None


def geography(scenario: Any) -> dict[str, Any] | None:
    """``{"name", "folder", "assumptions"}`` for a run on imported geography, None for the synthetic metro.

    Examples:
        >>> from scrutiny.scenario import load_scenario
        >>> geography(load_scenario()) is None
        True
    """
    where = str(scenario.world.geography)
    if where == "synthetic":
        return None
    folder = Path(where)
    return {"name": _heading(folder) or folder.name, "folder": folder.name, "assumptions": list(GEO_ASSUMPTIONS)}

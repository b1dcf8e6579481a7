"""Parameter blocks of the everyday-check components that are not the status-check trigger itself.

``offline_proof`` is a decision rule (``field.decision`` or a status check's ``decision``): a
physical proof of status honoured when the digital check fails (the Digital Sanctuary's offline
fallback). Its implementation is :class:`scrutiny.field.OfflineProof`.
"""

from __future__ import annotations

from typing import Literal

from scrutiny.scenario._field import DECISION_RULES
from scrutiny.scenario._fields import ComponentParams, param

__all__ = ["OfflineProofParams"]


@DECISION_RULES.params("offline_proof")
class OfflineProofParams(ComponentParams):
    """An offline proof of status honoured when the digital check fails (or a match flags someone).

    It clears a person whose own record shows a status that is not removable (the failure was the
    digital service's, or a stranger's record was returned); a person whose own record is wrong (a
    status never recorded, a lawful status recorded as expired) has no valid proof to show.
    """

    name: Literal["offline_proof"] = "offline_proof"
    p_holds_proof: float = param(
        1.0, ge=0.0, le=1.0, plausible=(0.5, 1.0), unit="share",
        description="Share of people with a lawful status on record who hold the offline proof and show it.",
        source="Digital Sanctuary: an offline fallback proof for every status holder (1 = everyone holds one); a "
        "safeguard to test",
    )

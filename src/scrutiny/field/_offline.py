"""The ``offline_proof`` decision rule: a physical proof of status honoured when the digital check fails.

The eVisa replaced physical documents with a digital status that can fail to show (CALIBRATION.md,
round 2). The Digital Sanctuary's offline fallback gives every status holder a proof that does not
depend on the digital service: a checker who cannot see the status online accepts it. It cannot
help a person whose own record is wrong, since the proof shows what the record shows.
"""

from __future__ import annotations

import numpy as np

from scrutiny.field._rules import DecisionRule
from scrutiny.scenario import DECISION_RULES

__all__ = ["OfflineProof"]


@DECISION_RULES.implements("offline_proof")
class OfflineProof(DecisionRule):
    """Clears people whose own record shows a lawful status, if they hold the proof (stream ``field.offline_proof``)."""

    outcome = "cleared_documents"

    @classmethod
    def neutral(cls, statuses: tuple[str, ...]) -> dict:
        """Nobody holds the proof."""
        return {"p_holds_proof": 0.0}

    def clears(self, who, false_match, day, streams) -> np.ndarray:
        """Those whose own record shows a lawful status and who hold the proof."""
        lawful_record = ~self.ctx.vocab.shows_removable(self.ctx.own_record[who])
        return lawful_record & (streams.uniform("field.offline_proof", who, step=day) < self.p.p_holds_proof)

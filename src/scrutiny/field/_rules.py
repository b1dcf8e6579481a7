"""Who is scanned, and what decides a flagged person's fate: the registered scan policies and decision rules.

**Scan policies** (:data:`scrutiny.scenario.SCAN_POLICIES`): :meth:`ScanPolicy.scanned` says, for
everyone present at a site, who is scanned. A policy that scans the named subjects of leads sets
``needs_named`` and receives that mask from the loop.

**Decision rules** (:data:`scrutiny.scenario.DECISION_RULES`): ``field.decision`` lists the rules a
person whose returned record shows a removable status goes through, in order. Each rule looks only
at the flagged people no earlier rule has cleared, and clears some of them
(:meth:`DecisionRule.clears`); the rest are detained. Every rule draws from its own counter-based
stream keyed by (person, day), so rules compose without moving each other's draws, and an arm that
adds a rule shares every other draw with the baseline.

Adding a policy or a rule: a parameter block registered in :mod:`scrutiny.scenario._field` and a class
here (or anywhere) registered with ``@SCAN_POLICIES.implements(name)`` or
``@DECISION_RULES.implements(name)``; the contract checks in ``tests/contracts`` then cover it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scrutiny.codes import GROUPS, OUTCOMES, Vocabulary, code
from scrutiny.rng import Streams
from scrutiny.scenario import DECISION_RULES, SCAN_POLICIES, ComponentParams

__all__ = ["ScanPolicy", "DecisionRule", "RuleContext", "make_scan_policy", "make_decision_rules"]

@dataclass(frozen=True, slots=True)
class RuleContext:
    """Per-person arrays a rule may read (held by reference; ``own_record`` may be corrected during a run)."""

    status: np.ndarray  # int8[N], true status
    own_record: np.ndarray  # int8[N], status on the person's own record
    group: np.ndarray  # int8[N]
    vocab: Vocabulary  # the jurisdiction's statuses and their roles


class ScanPolicy:
    """Base class of scan policies: nobody is scanned.

    Args:
        p: The policy's parameter block (``field.scan_policy``).
    """

    name: ClassVar[str]
    #: Whether :meth:`scanned` needs to know who present is a named subject of a lead there.
    needs_named: ClassVar[bool] = False

    def __init__(self, p: ComponentParams) -> None:
        self.p = p

    def scanned(self, person: np.ndarray, group: np.ndarray, day: int, streams: Streams,
                named: np.ndarray | None) -> np.ndarray:
        """bool[K]: which of the people present are scanned."""
        return np.zeros(person.size, dtype=bool)


@SCAN_POLICIES.implements("everyone")
class ScanEveryone(ScanPolicy):
    """Everyone present."""

    def scanned(self, person, group, day, streams, named) -> np.ndarray:
        """Everyone."""
        return np.ones(person.size, dtype=bool)


@SCAN_POLICIES.implements("appearance")
class ScanByAppearance(ScanPolicy):
    """A probability by demographic group (stream ``field.scan``)."""

    def __init__(self, p: ComponentParams) -> None:
        super().__init__(p)
        self.p_scan = np.array([p.p_scan[g] for g in GROUPS])

    def scanned(self, person, group, day, streams, named) -> np.ndarray:
        """Each person with their group's probability."""
        return streams.uniform("field.scan", person, step=day) < self.p_scan[group]


@SCAN_POLICIES.implements("named_only")
class ScanNamedOnly(ScanPolicy):
    """The named subjects of active leads at the site."""

    needs_named = True

    def scanned(self, person, group, day, streams, named) -> np.ndarray:
        """The named subjects only."""
        return np.zeros(person.size, dtype=bool) if named is None else np.asarray(named, dtype=bool).copy()


class DecisionRule:
    """Base class of decision rules: clears nobody.

    Args:
        p: The rule's parameter block (an element of ``field.decision``).
        ctx: The per-person arrays rules read.
    """

    name: ClassVar[str]
    #: The ``decision`` event outcome of a person this rule clears (a name in ``scrutiny.codes.OUTCOMES``).
    outcome: ClassVar[str] = "cleared_other"
    @classmethod
    def neutral(cls, statuses: tuple[str, ...]) -> dict:
        """Parameter values under which the rule clears nobody, for a jurisdiction's ``statuses``.

        The contract checks run the rule so and expect the baseline bit for bit.
        """
        return {}

    def __init__(self, p: ComponentParams, ctx: RuleContext) -> None:
        self.p, self.ctx = p, ctx

    @property
    def outcome_code(self) -> int:
        """The integer code of :attr:`outcome`."""
        return code(OUTCOMES, self.outcome)

    def clears(self, who: np.ndarray, false_match: np.ndarray, day: int, streams: Streams) -> np.ndarray:
        """Bool aligned with ``who`` (flagged people not yet cleared): whom this rule clears.

        Args:
            who: int64 person ids.
            false_match: bool aligned with ``who``: their search returned a stranger's record.
            day: Day index.
            streams: Random streams.
        """
        return np.zeros(who.size, dtype=bool)


@SCAN_POLICIES.implements("questioned")
class ScanQuestioned(ScanPolicy):
    """Named subjects scanned with ``p_scan_named``; every other person present with ``p_questioned``.

    Streams ``field.scan`` (named subjects) and ``field.scan_questioned`` (the others), each on
    (person, day). A named subject who is not scanned is identified from their own record.
    """

    needs_named = True

    def __init__(self, p: ComponentParams) -> None:
        super().__init__(p)
        self.rel = np.array([p.rel_questioned_group[g] for g in GROUPS])

    def scanned(self, person, group, day, streams, named) -> np.ndarray:
        """Named subjects and questioned bystanders."""
        named = np.zeros(person.size, dtype=bool) if named is None else np.asarray(named, dtype=bool)
        u_named = streams.uniform("field.scan", person, step=day)
        u_other = streams.uniform("field.scan_questioned", person, step=day)
        p_other = np.minimum(1.0, self.p.p_questioned * self.rel[group])
        return np.where(named, u_named < self.p.p_scan_named, u_other < p_other)


@DECISION_RULES.implements("match_is_definitive")
class MatchIsDefinitive(DecisionRule):
    """Documents do not count: nobody is cleared."""


@DECISION_RULES.implements("documents_honoured")
class DocumentsHonoured(DecisionRule):
    """Proof carried clears the person (stream ``field.documents``, probability by true status)."""

    outcome = "cleared_documents"

    @classmethod
    def neutral(cls, statuses: tuple[str, ...]) -> dict:
        """Nobody carries documents."""
        return {"p_carries_documents": {st: 0.0 for st in statuses}}

    def __init__(self, p: ComponentParams, ctx: RuleContext) -> None:
        super().__init__(p, ctx)
        self.p_documents = np.array([p.p_carries_documents[s] for s in ctx.vocab.statuses])

    def clears(self, who, false_match, day, streams) -> np.ndarray:
        """Those carrying proof."""
        return streams.uniform("field.documents", who, step=day) < self.p_documents[self.ctx.status[who]]


@DECISION_RULES.implements("human_review")
class HumanReview(DecisionRule):
    """A second examiner rejects a share of false and of true matches (stream ``field.review``)."""

    outcome = "cleared_review"

    @classmethod
    def neutral(cls, statuses: tuple[str, ...]) -> dict:
        """The examiner rejects nothing."""
        return {"p_rejects_false": 0.0, "p_rejects_true": 0.0}

    def clears(self, who, false_match, day, streams) -> np.ndarray:
        """Those whose match the examiner rejects."""
        reject = np.where(false_match, self.p.p_rejects_false, self.p.p_rejects_true)
        return streams.uniform("field.review", who, step=day) < reject


@DECISION_RULES.implements("digital_status_check")
class DigitalStatusCheck(DecisionRule):
    """A status service reads the person's own record and can fail (stream ``field.digital_check``)."""

    outcome = "cleared_status_check"

    @classmethod
    def neutral(cls, statuses: tuple[str, ...]) -> dict:
        """The service always fails."""
        return {"p_fails": 1.0}

    def clears(self, who, false_match, day, streams) -> np.ndarray:
        """Those whose own record shows a non-removable status, unless the service fails."""
        works = streams.uniform("field.digital_check", who, step=day) >= self.p.p_fails
        return ~self.ctx.vocab.shows_removable(self.ctx.own_record[who]) & works


@DECISION_RULES.implements("agent_discretion")
class AgentDiscretion(DecisionRule):
    """Agents act on a flag with probability ``p_act`` (stream ``field.discretion``)."""

    outcome = "cleared_discretion"

    @classmethod
    def neutral(cls, statuses: tuple[str, ...]) -> dict:
        """Agents always act."""
        return {"p_act": 1.0}

    def clears(self, who, false_match, day, streams) -> np.ndarray:
        """Those on whom agents do not act."""
        return streams.uniform("field.discretion", who, step=day) >= self.p.p_act


def make_scan_policy(p: ComponentParams) -> ScanPolicy:
    """The scan-policy object of a ``field.scan_policy`` block."""
    return SCAN_POLICIES.implementation(p.name)(p)


def make_decision_rules(blocks: tuple[ComponentParams, ...], ctx: RuleContext) -> list[DecisionRule]:
    """The decision-rule objects of ``field.decision``, in order."""
    return [DECISION_RULES.implementation(b.name)(b, ctx) for b in blocks]

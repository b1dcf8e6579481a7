"""A component from outside the package is one class (with its parameter block) plus one registration.

Each dummy below is registered for the duration of its test only, then the same contract checks as
the built-ins run on it, and a scenario can name it.
"""

import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Literal

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from checks import run_checks, scenario

from scrutiny.field import DecisionRule, ScanPolicy
from scrutiny.operations import simulate
from scrutiny.scenario import DECISION_RULES, SCAN_POLICIES, SELECTION_POLICIES, SOURCES, ComponentParams, param
from scrutiny.sources import Source, make_leads
from scrutiny.targeting import SelectionPolicy


class LowestFirst(SelectionPolicy):
    """Visits the lowest positive scores first (a deliberately odd policy)."""

    class Params(ComponentParams):
        name: Literal["lowest_first"] = "lowest_first"

    def order(self, scores, cand, capacity, day, streams):
        from scrutiny.targeting import Selection

        order = np.argsort(scores.score[cand], kind="stable")[:capacity]
        return Selection(cand[order], np.ones(order.size), min(1.0, capacity / cand.size), int(cand.size))


class Census(Source):
    """Names every tenth resident at home, once, at the start."""

    class Params(ComponentParams):
        name: Literal["census"] = "census"
        enabled: bool = param(True, unit="switch", description="Use the dummy census.", source="a test")

    def initial(self, tally):
        who = np.arange(0, self.ctx.world.people.n, 10)
        j = self.ctx.channel("census")
        tally.records[j] += who.size
        tally.bystanders[j] += int((~self.ctx.removable[who]).sum())
        return make_leads(who, self.ctx.world.people.home[who], 5.0, j)


class EveryOther(ScanPolicy):
    """Scans people with an even id."""

    class Params(ComponentParams):
        name: Literal["every_other"] = "every_other"

    def scanned(self, person, group, day, streams, named):
        return person % 2 == 0


class LawyerPresent(DecisionRule):
    """A lawyer on the phone clears a share of everyone flagged."""

    class Params(ComponentParams):
        name: Literal["lawyer_present"] = "lawyer_present"
        p_clears: float = param(0.2, ge=0.0, le=1.0, unit="share", description="Share cleared.", source="a test")

    @classmethod
    def neutral(cls, statuses):
        return {"p_clears": 0.0}

    def clears(self, who, false_match, day, streams):
        return streams.uniform("field.review", who, step=day + 7) < self.p.p_clears


PLUGINS = [
    ("targeting.policy", SELECTION_POLICIES, "lowest_first", LowestFirst),
    ("sources", SOURCES, "census", Census),
    ("field.scan_policy", SCAN_POLICIES, "every_other", EveryOther),
    ("field.decision", DECISION_RULES, "lawyer_present", LawyerPresent),
]


@pytest.fixture(params=PLUGINS, ids=[p[2] for p in PLUGINS])
def plugin(request):
    point, registry, name, cls = request.param
    registry.register(name, cls)  # the one registration line
    yield point, name
    registry.unregister(name)


def test_a_registered_plugin_meets_the_contract_and_runs(plugin):
    point, name = plugin
    run_checks(point, name)
    if point != "sources":
        out = simulate(scenario(**{point: name}))
        assert out.events["day"].size > 0


def test_an_unregistered_name_is_refused_with_the_allowed_ones():
    from scrutiny.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        scenario(**{"targeting.policy": "lowest_first"})
    assert "lowest_first" in str(err.value) and "dense_first" in str(err.value)

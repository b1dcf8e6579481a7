"""An arm that names a component bare keeps the block its baseline gives it (a safeguard adds, it does not reset)."""

from scrutiny.experiments._arms import arm_scenarios, load_arms
from scrutiny.scenario import load_scenario


def test_a_safeguard_rule_added_to_the_list_keeps_the_baselines_discretion():
    base = load_scenario(preset="us-interior", overrides={"field.decision.agent_discretion.p_act": 0.6})
    arms = arm_scenarios(base, load_arms(preset="us-interior"))
    for name in ("human_review", "documents_honoured"):
        rules = {r.name: r for r in arms[name].field.decision}
        assert rules["agent_discretion"].p_act == 0.6, f"{name} must not reset p_act to its default"
        assert name in rules


def test_a_bare_name_for_another_component_takes_that_components_defaults():
    base = load_scenario(preset="us-interior", overrides={"field.scan_policy.p_questioned": 0.2})
    other = load_scenario(preset="us-interior", overrides={"field.scan_policy": "everyone"})
    assert base.field.scan_policy.p_questioned == 0.2 and other.field.scan_policy.name == "everyone"
    same = load_scenario(preset="us-interior", overrides={"field.scan_policy": "questioned"})
    assert same.field.scan_policy.p_questioned == load_scenario(preset="us-interior").field.scan_policy.p_questioned

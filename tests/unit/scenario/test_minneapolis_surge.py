"""The minneapolis-surge preset: the packaged Hennepin tracts, about 3,000 agents' capacity, protests, its arms."""

from scrutiny.experiments._arms import arm_scenarios, load_arms
from scrutiny.operations import capacity_and_quota
from scrutiny.scenario import list_presets, load_scenario
from scrutiny.world import population_of


def test_preset_runs_on_hennepin_with_protests_and_surge_capacity(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the packaged geography is found from anywhere
    assert "minneapolis-surge" in list_presets()
    s = load_scenario(preset="minneapolis-surge")
    assert s.world.geography == "hennepin-mn" and population_of(s.world) == 1_268_903
    assert [t.name for t in s.operations.triggers][-1] == "protests", "protests after the site visits"
    capacity, quota = capacity_and_quota(s, population_of(s.world))
    assert 95 <= capacity <= 105, "3,000 agents / 3 on site visits / 10 a team: about 100 sites a day"
    assert quota > 100


def test_packaged_arms_switch_what_they_say():
    s = load_scenario(preset="minneapolis-surge")
    arms = arm_scenarios(s, load_arms(preset="minneapolis-surge"))
    assert list(arms) == ["baseline", "no_protest_surveillance", "no_cell_site_simulators", "protest_sites_protected"]
    assert not arms["no_protest_surveillance"].operations.triggers[-1].surveillance
    assert arms["baseline"].operations.triggers[-1].surveillance
    assert not arms["no_cell_site_simulators"].sources.cell.enabled
    assert arms["protest_sites_protected"].targeting.excluded_place_types == ("protest_site",)

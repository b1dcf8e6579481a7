import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scrutiny._files import packaged_geography
from scrutiny.codes import STATUSES, code
from scrutiny.errors import InputError, PersonalDataError
from scrutiny.rng import Streams
from scrutiny.scenario import WorldParams, load_scenario
from scrutiny.world import build_world, load_aggregates

TOY = Path(__file__).parents[2] / "data" / "toy-geography"
HENNEPIN = packaged_geography("hennepin-mn")  # shipped with the package (src/scrutiny/data/hennepin-mn)


def check_marginals(folder: Path, seed: int = 0) -> None:
    w = build_world(WorldParams(geography=str(folder)), Streams(seed, 0))
    agg = load_aggregates(folder).table
    tract, status, group = w.tract_of_person(), w.people.status, w.people.group
    race, sex = group // 2, group % 2

    def by(mask):
        return np.bincount(tract[mask], minlength=len(agg))

    expected = {
        "total_pop": by(np.ones(status.size, bool)),
        "native_born": by(status == code(STATUSES, "citizen_birth")),
        "naturalized": by(status == code(STATUSES, "naturalised")),
        "noncitizen": by(status >= code(STATUSES, "lpr")),
        "hispanic": by(race == 2), "nh_black": by(race == 1), "nh_asian": by(race == 3),
        "male": by(sex == 0), "age_under_18": by(w.people.is_child),
    }
    for col, got in expected.items():
        assert np.array_equal(got, agg[col].to_numpy()), f"{col} marginal not reproduced"
    assert np.array_equal(by(race == 0), (agg["nh_white"] + agg["nh_other"]).to_numpy())
    households = int(w.people.household[-1]) + 1
    assert abs(households / agg["households"].sum() - 1) < 0.1, "households follow the totals approximately"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_toy_aggregates_reproduced_exactly(seed):
    check_marginals(TOY, seed)


def test_hennepin_aggregates_reproduced_exactly():
    check_marginals(HENNEPIN)


def test_packaged_geography_found_by_name_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing called hennepin-mn here
    agg = load_aggregates("hennepin-mn")
    assert len(agg.table) == 329 and int(agg.table["total_pop"].sum()) == 1_268_903, "ACS 2019-2023 totals"
    assert agg.geometry is not None and len(agg.geometry["features"]) == 329


def test_packaged_name_in_a_scenario_file_stays_a_name(tmp_path):
    path = tmp_path / "sub" / "s.toml"
    path.parent.mkdir()
    path.write_text('[world]\ngeography = "hennepin-mn"\n')
    assert load_scenario(path).world.geography == "hennepin-mn", "not resolved against the file's folder"
    (tmp_path / "sub" / "local").mkdir()
    path.write_text('[world]\ngeography = "local"\n')
    assert load_scenario(path).world.geography == str((tmp_path / "sub" / "local").resolve()), "a folder still is"


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "geo"
    shutil.copytree(TOY, dst)
    return dst


def test_personal_data_columns_refused(tmp_path):
    folder = _copy(tmp_path)
    df = pd.read_csv(folder / "tract_aggregates.csv", dtype=str)
    df["first_name"] = "x"
    df.to_csv(folder / "tract_aggregates.csv", index=False)
    with pytest.raises(PersonalDataError, match=r"first_name.*individuals"):
        load_aggregates(folder)


@pytest.mark.parametrize("column", ["patient_mrn", "home_zip", "person_id", "Date of Birth"])
def test_personal_data_columns_refused_by_the_shared_check(tmp_path, column):
    folder = _copy(tmp_path)
    df = pd.read_csv(folder / "tract_aggregates.csv", dtype=str)
    df[column] = "0"
    df.to_csv(folder / "tract_aggregates.csv", index=False)
    with pytest.raises(PersonalDataError, match=rf"tract_aggregates.csv: refused: column '{column}' looks like"):
        load_aggregates(folder)


def test_personal_geojson_properties_refused(tmp_path):
    folder = _copy(tmp_path)
    geo = json.loads((folder / "tracts.geojson").read_text())
    geo["features"][1]["properties"]["owner_name"] = "x"
    (folder / "tracts.geojson").write_text(json.dumps(geo))
    with pytest.raises(PersonalDataError, match=r"tracts.geojson: refused: property 'owner_name' looks like a name"):
        load_aggregates(folder)


def test_aggregate_columns_sharing_a_personal_word_are_accepted(tmp_path):
    folder = _copy(tmp_path)
    df = pd.read_csv(folder / "tract_aggregates.csv", dtype=str)
    df["foreign_born"], df["age_65_plus"] = df["naturalized"], "0"  # counts per tract, as in ACS extracts
    df.to_csv(folder / "tract_aggregates.csv", index=False)
    assert len(load_aggregates(folder).table) == len(df), "age-band and nativity counts are aggregates, not personal"


def test_bad_count_names_row_column_and_value(tmp_path):
    folder = _copy(tmp_path)
    df = pd.read_csv(folder / "tract_aggregates.csv", dtype=str)
    df.loc[1, "hispanic"] = "-3"
    df.to_csv(folder / "tract_aggregates.csv", index=False)
    with pytest.raises(InputError, match=r"row 3, column 'hispanic': '-3'"):
        load_aggregates(folder)


def test_partition_that_does_not_add_up_is_refused(tmp_path):
    folder = _copy(tmp_path)
    df = pd.read_csv(folder / "tract_aggregates.csv", dtype=str)
    df.loc[0, "noncitizen"] = "201"
    df.to_csv(folder / "tract_aggregates.csv", index=False)
    with pytest.raises(InputError, match="nativity/citizenship partition must add up"):
        load_aggregates(folder)


def test_non_tract_rows_refused(tmp_path):
    folder = _copy(tmp_path)
    df = pd.read_csv(folder / "tract_aggregates.csv", dtype=str)
    df.loc[0, "GEOID"] = "123"
    df.to_csv(folder / "tract_aggregates.csv", index=False)
    with pytest.raises(InputError, match="not an 11-digit census tract code"):
        load_aggregates(folder)


def test_missing_folder_explains_what_is_expected(tmp_path):
    with pytest.raises(InputError, match="tract_aggregates.csv"):
        load_aggregates(tmp_path)


def test_relative_geography_resolves_against_scenario_file(tmp_path):
    folder = _copy(tmp_path)
    (tmp_path / "s.toml").write_text('[world]\ngeography = "geo"\n')
    s = load_scenario(tmp_path / "s.toml")
    assert Path(s.world.geography) == folder


def test_run_on_imported_geography_writes_boundaries(tmp_path):
    from scrutiny.experiments import run

    s = load_scenario(overrides={"world.geography": str(TOY), "n_days": 10})
    r = run(s, replicates=1)
    out = r.write(tmp_path / "out")
    assert (out / "tracts.geojson").is_file()
    tracts = pd.read_csv(out / "tracts.csv", dtype={"geoid": str})
    assert set(tracts["geoid"]) == set(load_aggregates(TOY).table["GEOID"])

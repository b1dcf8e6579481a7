"""A broken geography folder stops with one message naming the file and what is wrong in it."""

import copy
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from scrutiny.errors import InputError
from scrutiny.world import load_aggregates

TOY = Path(__file__).parents[2] / "data" / "toy-geography"
CSV, GEO = "tract_aggregates.csv", "tracts.geojson"


@pytest.fixture
def folder(tmp_path):
    dst = tmp_path / "geo"
    shutil.copytree(TOY, dst)
    return dst


def refused(folder, file, pattern):
    with pytest.raises(InputError, match=pattern) as err:
        load_aggregates(folder)
    assert str(folder / file) in str(err.value), f"the message names {file}: {err.value}"


def test_empty_csv(folder):
    (folder / CSV).write_text("")
    refused(folder, CSV, r"the file is empty; expected a header row \['GEOID'")


def test_header_only(folder):
    (folder / CSV).write_text((TOY / CSV).read_text().splitlines()[0] + "\n")
    refused(folder, CSV, "has a header but no rows")


def test_every_tract_of_population_zero(folder):
    df = pd.read_csv(TOY / CSV, dtype=str)
    df[df.columns[1:]] = "0"
    df.to_csv(folder / CSV, index=False)
    refused(folder, CSV, r"the tracts hold 0 residents in all .* between 1,000 and 2,000,000,000")


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_csv_in_another_encoding(folder, encoding):
    (folder / CSV).write_bytes((TOY / CSV).read_text().replace("GEOID", "GÉOID").encode(encoding))
    refused(folder, CSV, "not UTF-8 text|is UTF-16")


def test_count_above_int64_is_refused_not_wrapped_to_a_negative_number(folder):
    df = pd.read_csv(TOY / CSV, dtype=str)
    df.loc[0, "total_pop"] = str(2**64 + 5)
    df.to_csv(folder / CSV, index=False)
    refused(folder, CSV, r"row 2, column 'total_pop': '18446744073709551621' is not a non-negative whole count of at "
                         r"most 10,000,000")


def write_geo(folder, geo):
    (folder / GEO).write_text(geo if isinstance(geo, str) else json.dumps(geo))


@pytest.mark.parametrize("geo,pattern", [
    ([1, 2], "expected a GeoJSON FeatureCollection.*got a list"),
    ({"type": "FeatureCollection", "features": {"a": 1}}, "'features' is \\{'a': 1\\}"),
    ({"type": "FeatureCollection"}, "'features' is None"),
    ("[" * 100_000 + "]" * 100_000, "nests arrays or objects too deeply"),
    ('{"features": [', "not valid GeoJSON"),
], ids=["list", "features-not-a-list", "no-features", "deep", "truncated"])
def test_geojson_that_is_not_a_feature_collection(folder, geo, pattern):
    write_geo(folder, geo)
    refused(folder, GEO, pattern)


def _mutated(change) -> dict:
    geo = json.loads((TOY / GEO).read_text())
    change(geo["features"][1])
    return geo


GEOMETRY = {
    "null": (lambda f: f.update(geometry=None), "geometry is null or missing"),
    "missing": (lambda f: f.pop("geometry"), "geometry is null or missing"),
    "empty": (lambda f: f.update(geometry={"type": "Polygon", "coordinates": []}), "Polygon has no coordinates|ring"),
    "point": (lambda f: f.update(geometry={"type": "Point", "coordinates": [0, 0]}), "of type 'Point'"),
    "text-coordinate": (lambda f: f["geometry"]["coordinates"][0].__setitem__(1, ["x", 0]), "longitude 'x'"),
    "latitude-out-of-range": (lambda f: f["geometry"]["coordinates"][0].__setitem__(1, [0, 91]), "latitude 91"),
    "centroid-text": (lambda f: f["properties"].update(centroid_lon="east", centroid_lat=1.0), "centroid_lon = 'east'"),
    "centroid-nan": (lambda f: f["properties"].update(centroid_lon=float("nan"), centroid_lat=1.0),
                     "centroid_lon = nan"),
    "centroid-range": (lambda f: f["properties"].update(centroid_lon=1.0, centroid_lat=-95.0), "centroid_lat = -95.0"),
    "properties-list": (lambda f: f.update(properties=[1]), "'properties' must be an object"),
}


@pytest.mark.parametrize("case", GEOMETRY, ids=list(GEOMETRY))
def test_bad_tract_geometry_names_the_feature(folder, case):
    change, pattern = GEOMETRY[case]
    write_geo(folder, _mutated(copy.deepcopy(change)))
    refused(folder, GEO, f"feature 1.*({pattern})")


def test_a_file_rewritten_at_once_is_read_afresh(folder):
    assert len(load_aggregates(folder).table) == 3
    (folder / CSV).write_text("")
    refused(folder, CSV, "the file is empty")


def test_folder_that_is_a_file(folder):
    with pytest.raises(InputError, match=r"world.geography: '.*tract_aggregates.csv' is not a folder"):
        load_aggregates(folder / CSV)


def test_rows_wider_than_the_header_are_refused_not_shifted(folder):
    lines = (TOY / CSV).read_text().splitlines()
    (folder / CSV).write_text("\n".join([lines[0]] + [line + ",7" for line in lines[1:]]) + "\n")
    refused(folder, CSV, r"line 2 has 16 fields but the header has 15")


def test_column_given_twice_is_refused(folder):
    lines = (TOY / CSV).read_text().splitlines()
    (folder / CSV).write_text("\n".join(line + "," + line.split(",")[1] for line in lines) + "\n")
    refused(folder, CSV, r"column\(s\) \['total_pop'\] appear more than once")

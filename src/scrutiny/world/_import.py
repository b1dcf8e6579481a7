"""Real geography from public tract aggregates: a GeoJSON of tracts plus a CSV of counts.

Only aggregates go in. The loader refuses any column or GeoJSON property that looks like data
about an individual (:func:`scrutiny._privacy.refuse_personal_columns`: names, dates of birth,
identity numbers, street addresses, phone numbers, plates, e-mail, ...) and any row that is not a
tract (an 11-digit GEOID), and checks that every partition of the population adds up. Everyone
synthesised on the tracts is synthetic.

Expected files in the folder:

* ``tract_aggregates.csv``: ``GEOID``, ``total_pop``, ``hispanic``, ``nh_white``, ``nh_black``,
  ``nh_asian``, ``nh_other``, ``native_born``, ``naturalized``, ``noncitizen``; optionally
  ``male``, ``female``, ``age_under_18``, ``households``, ``pop_in_households``.
* ``tracts.geojson``: one feature per tract with properties ``GEOID`` and, optionally,
  ``centroid_lon`` / ``centroid_lat`` (otherwise the mean of the outer ring's vertices is used).

ACS does not split non-citizens by legal status. Each tract's non-citizens are split by the
national mix among non-citizens (CALIBRATION.md), tilted toward high-non-citizen tracts by
``world.segregation`` (an assumption, stated in the report). Four race/ethnicity groups are
modelled: ``nh_other`` (American Indian, Pacific Islander, some other race, two or more races)
is counted with non-Hispanic white, whose false-match rate is NIST's reference: this understates
disparities for those residents.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scrutiny._files import packaged_geography, read_text
from scrutiny._privacy import refuse_personal_columns
from scrutiny.codes import Vocabulary
from scrutiny.errors import InputError, brief
from scrutiny.scenario import WorldParams
from scrutiny.world._metro import TractPlan, metro_status_shares

__all__ = ["Aggregates", "load_aggregates", "plan_from_aggregates", "population_of", "AGGREGATE_COLUMNS",
           "ACS_ASSUMPTIONS", "geography_label"]

AGGREGATES_FILE = "tract_aggregates.csv"
GEOMETRY_FILE = "tracts.geojson"
REQUIRED = ("GEOID", "total_pop", "hispanic", "nh_white", "nh_black", "nh_asian", "nh_other",
            "native_born", "naturalized", "noncitizen")
#: Aggregate columns whose names share a word with personal data (see :mod:`scrutiny._privacy`):
#: counts by age band (``age_under_18``, ``age_18_39``, ``age_65_plus``) and nativity
#: (``native_born``, ``foreign_born``), and the tract centroid (``centroid_lon``, ``centroid_lat``).
AGGREGATE_COLUMNS = re.compile(r"age_(under_\d+|\d+_\d+|\d+_plus)|(native|foreign)_born|centroid_(lon|lat)")
_EARTH_KM = 6371.0088
#: The two assumptions every run on imported ACS tract aggregates makes; the report states them
#: (``{segregation}`` is ``world.segregation``).
ACS_ASSUMPTIONS: tuple[str, ...] = (
    "ACS does not split non-citizens by legal status: each tract's non-citizens are split by the national mix "
    "among non-citizens (CALIBRATION.md: MPI/Pew), the undocumented statuses tilted toward tracts with more "
    "non-citizens by world.segregation = {segregation}.",
    "The model has four race/ethnicity groups: non-Hispanic residents of other or several races (ACS: American "
    "Indian, Pacific Islander, some other race, two or more races) are counted with non-Hispanic white, NIST's "
    "reference group for false matches, which understates the disparities they face.",
)


@dataclass(frozen=True, slots=True)
class Aggregates:
    """Validated tract aggregates and geometry."""

    table: pd.DataFrame  # one row per tract, GEOID as string
    lon: np.ndarray  # float64[T] centroid longitude
    lat: np.ndarray  # float64[T]
    geometry: dict | None


#: Largest count accepted in one cell of the aggregates (the largest census tracts hold tens of
#: thousands of people); it keeps every count and sum exact in int64.
MAX_TRACT_COUNT = 10_000_000
#: Fewest residents an imported geography may have in all (world.n_people's lower bound).
MIN_POPULATION = 1_000
#: Most residents an imported geography may have in all (world.n_people's upper bound).
MAX_POPULATION = 2_000_000_000


def _fail(path: Path, msg: str) -> InputError:
    return InputError(f"{path}: {msg}")


def _check_columns(path: Path, columns: list[str]) -> None:
    refuse_personal_columns(columns, origin=str(path), allowed=AGGREGATE_COLUMNS)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise _fail(path, f"missing required column(s) {missing}; required: {list(REQUIRED)}")


def _read_table(path: Path) -> pd.DataFrame:
    """The CSV as strings, one row per line, every line as wide as the header; refuses an empty or header-only file.

    The rows' index is their line number in the file (blank lines are skipped), for messages.
    """
    text = read_text(path, "world.geography: file")
    if not text.strip():
        raise _fail(path, f"the file is empty; expected a header row {list(REQUIRED)} and one row per census tract")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = [(reader.line_num, row) for row in reader if row]
    except csv.Error as exc:
        raise _fail(path, f"not a readable CSV file: line {reader.line_num}: {exc}") from None
    if not lines:
        raise _fail(path, f"the file is empty; expected a header row {list(REQUIRED)} and one row per census tract")
    header = [c.strip() for c in lines[0][1]]
    _check_columns(path, header)
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise _fail(path, f"column(s) {brief(twice)} appear more than once in the header")
    for line, row in lines[1:]:
        if len(row) != len(header):
            raise _fail(path, f"line {line} has {len(row)} fields but the header has {len(header)}")
    if len(lines) < 2:
        raise _fail(path, "has a header but no rows; expected one row per census tract")
    return pd.DataFrame([row for _, row in lines[1:]], columns=header, index=[line for line, _ in lines[1:]],
                        dtype=object)


def _number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return math.nan


def _check_counts(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """Return the table with every count column as int64, after checking GEOIDs, counts and partitions."""
    line = table.index.to_numpy()  # each row's line in the file
    geoid = table["GEOID"].astype(str).str.strip()
    bad = np.flatnonzero(~geoid.str.fullmatch(r"\d{11}").to_numpy(dtype=bool))
    if len(bad):
        i = int(bad[0])
        raise _fail(path, f"row {line[i]}: GEOID {brief(geoid.iloc[i])} is not an 11-digit census tract code")
    dup = geoid[geoid.duplicated()]
    if len(dup):
        raise _fail(path, f"GEOID {dup.iloc[0]!r} appears more than once")
    names = [c for c in table.columns if c != "GEOID"]
    cells = table[names].to_numpy(dtype=object)
    values = np.array([[_number(c) for c in row] for row in cells], dtype=np.float64).reshape(cells.shape)
    with np.errstate(invalid="ignore"):
        wrong = ~(np.isfinite(values) & (values >= 0) & (values == np.floor(values)) & (values <= MAX_TRACT_COUNT))
    if wrong.any():
        j = int(np.flatnonzero(wrong.any(axis=0))[0])
        i = int(np.flatnonzero(wrong[:, j])[0])
        raise _fail(path, f"row {line[i]}, column {brief(names[j])}: {brief(cells[i, j])} is not a non-negative whole "
                          f"count of at most {MAX_TRACT_COUNT:,}")
    col = {name: values[:, j].astype(np.int64) for j, name in enumerate(names)}
    parts = {
        "race/ethnicity": ["hispanic", "nh_white", "nh_black", "nh_asian", "nh_other"],
        "nativity/citizenship": ["native_born", "naturalized", "noncitizen"],
        "sex": ["male", "female"],
    }
    total = col["total_pop"]
    for label, cols in parts.items():
        if not all(c in col for c in cols):
            continue
        sums = np.sum([col[c] for c in cols], axis=0)
        wrong_rows = np.flatnonzero(sums != total)
        if len(wrong_rows):
            i = int(wrong_rows[0])
            raise _fail(path, f"row {line[i]} (GEOID {geoid.iloc[i]}): {' + '.join(cols)} = {sums[i]} "
                              f"but total_pop = {total[i]}; the {label} partition must add up")
    for name in ("age_under_18", "pop_in_households"):
        if name in col and (col[name] > total).any():
            i = int(np.flatnonzero(col[name] > total)[0])
            raise _fail(path, f"row {line[i]}: {name} = {col[name][i]} exceeds total_pop = {total[i]}")
    residents = int(total.sum())
    if not MIN_POPULATION <= residents <= MAX_POPULATION:
        raise _fail(path, f"the tracts hold {residents:,} residents in all (column 'total_pop'); an imported geography "
                          f"needs between {MIN_POPULATION:,} and {MAX_POPULATION:,}, as world.n_people does")
    return pd.DataFrame({"GEOID": geoid.to_numpy(dtype=object), **col}).astype({"GEOID": str})


def _read_geometry(path: Path) -> dict:
    """The GeoJSON, checked to be a FeatureCollection of objects whose properties are objects."""
    text = read_text(path, "world.geography: file")
    try:
        geometry = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid GeoJSON: {exc}") from None
    except RecursionError:
        raise _fail(path, "not valid GeoJSON: it nests arrays or objects too deeply to be read") from None
    features = geometry.get("features") if isinstance(geometry, dict) else None
    if not isinstance(features, list):
        got = f"'features' is {brief(features, 60)}" if isinstance(geometry, dict) else f"a {type(geometry).__name__}"
        raise _fail(path, f"expected a GeoJSON FeatureCollection, an object whose 'features' is a list of tract "
                          f"features; got {got}")
    for i, feature in enumerate(features):
        if not isinstance(feature, dict):
            raise _fail(path, f"feature {i}: expected a GeoJSON Feature object; got {brief(feature, 60)}")
        if not isinstance(feature.get("properties") or {}, dict):
            raise _fail(path, f"feature {i}: 'properties' must be an object; got {brief(feature['properties'], 60)}")
    return geometry


def _position(path: Path, where: str, value: object) -> tuple[float, float]:
    """A ``[lon, lat]`` position: two finite numbers inside the globe."""
    ok = isinstance(value, (list, tuple)) and len(value) >= 2
    lon, lat = (value[0], value[1]) if ok else (None, None)
    for name, x, limit in (("longitude", lon, 180.0), ("latitude", lat, 90.0)):
        number = isinstance(x, (int, float)) and not isinstance(x, bool)
        if not (number and math.isfinite(x) and -limit <= x <= limit):
            raise _fail(path, f"{where}: {name} {brief(x, 40)} is not a number in [-{limit:g}, {limit:g}]"
                              + ("" if ok else f" (position {brief(value, 40)} is not [lon, lat])"))
    return float(lon), float(lat)


def _ring(path: Path, where: str, ring: list) -> np.ndarray:
    """float64[n, 2] lon/lat of a ring; the first bad position is named when there is one."""
    try:
        xy = np.asarray(ring, dtype=np.float64)
    except (TypeError, ValueError):
        xy = None
    if xy is not None and xy.ndim == 2 and xy.shape[1] >= 2:
        xy = xy[:, :2]
        if np.isfinite(xy).all() and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all():
            return xy
    return np.array([_position(path, where, position) for position in ring], dtype=np.float64)


def _outer_rings(path: Path, where: str, geometry: object) -> list[np.ndarray]:
    """The outer ring of each polygon of a Polygon or MultiPolygon, its positions checked."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        got = "null or missing" if geometry is None else f"of type {brief(kind, 40)}"
        raise _fail(path, f"{where}: geometry is {got}; every tract needs a Polygon or MultiPolygon")
    polygons = coords if kind == "MultiPolygon" else [coords]
    if not isinstance(polygons, list) or not polygons:
        raise _fail(path, f"{where}: the {kind} has no coordinates")
    rings = []
    for polygon in polygons:
        ring = polygon[0] if isinstance(polygon, list) and polygon else None
        if not isinstance(ring, list) or len(ring) < 3:
            raise _fail(path, f"{where}: a {kind} ring needs at least 3 [lon, lat] positions; got {brief(ring, 60)}")
        rings.append(_ring(path, where, ring))
    return rings


def _centroid(path: Path, where: str, props: dict, rings: list[np.ndarray]) -> tuple[float, float]:
    if "centroid_lon" not in props or "centroid_lat" not in props:
        return float(rings[0][:, 0].mean()), float(rings[0][:, 1].mean())
    values = []
    for name, limit in (("centroid_lon", 180.0), ("centroid_lat", 90.0)):
        x = props[name]
        try:
            number = float(x) if not isinstance(x, bool) else math.nan
        except (TypeError, ValueError):
            number = math.nan
        if not (math.isfinite(number) and -limit <= number <= limit):
            raise _fail(path, f"{where}: property {name} = {brief(x, 40)} is not a number in [-{limit:g}, {limit:g}]")
        values.append(number)
    return values[0], values[1]


def _centroids(path: Path, geometry: dict, geoids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    by_id = {}
    for i, feature in enumerate(geometry["features"]):
        props = feature.get("properties") or {}
        gid = str(props.get("GEOID", ""))
        where = f"feature {i} (GEOID {brief(gid, 40)})"
        by_id[gid] = _centroid(path, where, props, _outer_rings(path, where, feature.get("geometry")))
    missing = [g for g in geoids if g not in by_id]
    if missing:
        raise _fail(path, f"no polygon for tract(s) {missing[:5]} of {AGGREGATES_FILE}")
    lon, lat = np.array([by_id[g] for g in geoids], dtype=np.float64).T
    return lon, lat


def load_aggregates(folder: str | Path) -> Aggregates:
    """Read and validate a geography folder (see the module docstring for the expected files).

    ``folder`` is a path, or the name of a geography shipped with the package (``"hennepin-mn"``:
    :func:`scrutiny._files.packaged_geography`), which is found from any working directory.

    The result is cached while both files hold the same bytes (a run reads the folder for its memory
    estimate, for every replicate's world and for its output); each call gets its own table.

    Raises:
        InputError: Naming the file, row, column and bad value (or feature and property).
        PersonalDataError: If a column looks like data about individuals.
    """
    folder = packaged_geography(str(folder)) or Path(folder)
    if not folder.is_dir():
        raise InputError(f"world.geography: {str(folder)!r} is not a folder; give a folder holding {AGGREGATES_FILE} "
                         f"and {GEOMETRY_FILE} (or use world.geography = 'synthetic').")
    csv_path, geo_path = folder / AGGREGATES_FILE, folder / GEOMETRY_FILE
    for p in (csv_path, geo_path):
        if not p.is_file():
            raise InputError(f"world.geography: {str(folder)!r} has no {p.name}; expected {AGGREGATES_FILE} and "
                             f"{GEOMETRY_FILE} (or use world.geography = 'synthetic').")
    try:  # keyed by content: a file rewritten within the clock's resolution is still read afresh
        stamp = tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in (csv_path, geo_path))
    except OSError as exc:
        raise InputError(f"world.geography: cannot read {exc.filename}: {exc.strerror or exc}.") from None
    agg = _load_cached(str(folder.resolve()), stamp)
    return Aggregates(table=agg.table.copy(), lon=agg.lon.copy(), lat=agg.lat.copy(), geometry=agg.geometry)


@functools.lru_cache(maxsize=4)
def _load_cached(folder: str, stamp: tuple) -> Aggregates:
    csv_path, geo_path = Path(folder) / AGGREGATES_FILE, Path(folder) / GEOMETRY_FILE
    table = _check_counts(csv_path, _read_table(csv_path))
    geometry = _read_geometry(geo_path)
    properties = dict.fromkeys(k for feature in geometry["features"] for k in feature.get("properties") or {})
    refuse_personal_columns(properties, origin=str(geo_path), allowed=AGGREGATE_COLUMNS, noun="property")
    lon, lat = _centroids(geo_path, geometry, table["GEOID"])
    return Aggregates(table=table, lon=lon, lat=lat, geometry=geometry)


def geography_label(geography: str) -> str:
    """A readable name for ``world.geography``: the title of the folder's SOURCE.md, else the folder's name.

    Never raises: a folder that has moved since the run still gets its name.

    Examples:
        >>> geography_label("hennepin-mn")
        'Hennepin County, Minnesota (FIPS 27053)'
        >>> geography_label("synthetic")
        'the synthetic metro'
    """
    if geography == "synthetic":
        return "the synthetic metro"
    folder = packaged_geography(geography) or Path(geography)
    try:
        first = (folder / "SOURCE.md").read_text(encoding="utf-8").lstrip().splitlines()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        first = ""
    return first.lstrip("#").split(":")[0].strip() or folder.name or str(geography)


def population_of(p: WorldParams) -> int:
    """Residents the world will have: ``n_people``, or the aggregates' total for imported geography."""
    if p.geography == "synthetic":
        return p.n_people
    return int(load_aggregates(p.geography).table["total_pop"].sum())


def _noncitizen_split(p: WorldParams, table: pd.DataFrame, vocab: Vocabulary) -> np.ndarray:
    """Shares of each non-citizen status per tract (float64[T, K]), national mix tilted by segregation.

    The undocumented statuses (protected, unauthorised, final order in the US) are tilted toward
    tracts with more non-citizens.
    """
    national = metro_status_shares(p.model_copy(update={"rel_unauthorised_metro": 1.0}), vocab)
    noncit = vocab.codes_where(~vocab.citizen)
    base = national[noncit] / national[noncit].sum()
    share = table["noncitizen"].to_numpy() / np.maximum(table["total_pop"].to_numpy(), 1)
    mean = max(table["noncitizen"].sum() / max(table["total_pop"].sum(), 1), 1e-12)
    tilt = (np.maximum(share, 1e-12) / mean) ** (0.5 * p.segregation)
    mix = np.tile(base, (len(table), 1))
    mix[:, vocab.undocumented[noncit]] *= tilt[:, None]
    return mix / mix.sum(axis=1, keepdims=True)


def plan_from_aggregates(
    agg: Aggregates, p: WorldParams, rng: np.random.Generator, vocab: Vocabulary | None = None
) -> TractPlan:
    """Turn validated aggregates into a tract plan whose status counts add up to every tract total.

    ACS counts the native-born (the jurisdiction's native status), the naturalised (its one
    non-native citizenship) and non-citizens, split here by the national mix (an assumption the
    report states).
    """
    vocab = vocab or Vocabulary.default()
    naturalised = vocab.codes_where(vocab.citizen & ~vocab.native)
    if len(naturalised) != 1:
        raise InputError(f"tract aggregates need a jurisdiction with one non-native citizenship (naturalised); "
                         f"{vocab.name!r} has {len(naturalised)}")
    t = agg.table
    n_tracts = len(t)
    counts = np.zeros((n_tracts, len(vocab.statuses)), dtype=np.int64)
    counts[:, vocab.codes_where(vocab.native)[0]] = t["native_born"]
    counts[:, naturalised[0]] = t["naturalized"]
    split = rng.multinomial(t["noncitizen"].to_numpy(), _noncitizen_split(p, t, vocab))
    for j, s in enumerate(vocab.codes_where(~vocab.citizen)):
        counts[:, s] = split[:, j]
    lat0 = float(np.mean(agg.lat))
    x = np.radians(agg.lon - agg.lon.min()) * np.cos(np.radians(lat0)) * _EARTH_KM
    y = np.radians(agg.lat - agg.lat.min()) * _EARTH_KM
    race = np.stack([t["nh_white"] + t["nh_other"], t["nh_black"], t["hispanic"], t["nh_asian"]], axis=1)
    optional = {c: t[c].to_numpy(np.int64) for c in ("male", "age_under_18") if c in t}
    hh_size = None
    if "households" in t and "pop_in_households" in t:
        per_household = t["pop_in_households"] / np.maximum(t["households"], 1)
        hh_size = np.where(t["households"] > 0, per_household, p.household_size)
    return TractPlan(
        x=x.astype(np.float32), y=y.astype(np.float32), status_counts=counts,
        race_mix=np.array([p.race_mix[s] for s in vocab.statuses], dtype=np.float64),
        geoid=tuple(t["GEOID"]), geometry=agg.geometry, race_counts=race.astype(np.int64),
        male_counts=optional.get("male"), child_counts=optional.get("age_under_18"),
        household_size=None if hh_size is None else np.asarray(hh_size, dtype=np.float64),
    )

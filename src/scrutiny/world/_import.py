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

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scrutiny._privacy import refuse_personal_columns
from scrutiny.codes import Vocabulary
from scrutiny.errors import InputError
from scrutiny.scenario import WorldParams
from scrutiny.world._metro import TractPlan, metro_status_shares

__all__ = ["Aggregates", "load_aggregates", "plan_from_aggregates", "population_of", "AGGREGATE_COLUMNS"]

AGGREGATES_FILE = "tract_aggregates.csv"
GEOMETRY_FILE = "tracts.geojson"
REQUIRED = ("GEOID", "total_pop", "hispanic", "nh_white", "nh_black", "nh_asian", "nh_other",
            "native_born", "naturalized", "noncitizen")
#: Aggregate columns whose names share a word with personal data (see :mod:`scrutiny._privacy`):
#: counts by age band (``age_under_18``, ``age_18_39``, ``age_65_plus``) and nativity
#: (``native_born``, ``foreign_born``), and the tract centroid (``centroid_lon``, ``centroid_lat``).
AGGREGATE_COLUMNS = re.compile(r"age_(under_\d+|\d+_\d+|\d+_plus)|(native|foreign)_born|centroid_(lon|lat)")
_EARTH_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Aggregates:
    """Validated tract aggregates and geometry."""

    table: pd.DataFrame  # one row per tract, GEOID as string
    lon: np.ndarray  # float64[T] centroid longitude
    lat: np.ndarray  # float64[T]
    geometry: dict | None


def _fail(path: Path, msg: str) -> InputError:
    return InputError(f"{path}: {msg}")


def _check_columns(path: Path, columns: list[str]) -> None:
    refuse_personal_columns(columns, origin=str(path), allowed=AGGREGATE_COLUMNS)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise _fail(path, f"missing required column(s) {missing}; required: {list(REQUIRED)}")


def _check_counts(path: Path, table: pd.DataFrame) -> None:
    geoid = table["GEOID"]
    bad = table.index[~geoid.str.fullmatch(r"\d{11}")]
    if len(bad):
        i = bad[0]
        raise _fail(path, f"row {i + 2}: GEOID {geoid[i]!r} is not an 11-digit census tract code")
    dup = geoid[geoid.duplicated()]
    if len(dup):
        raise _fail(path, f"GEOID {dup.iloc[0]!r} appears more than once")
    for col in table.columns.drop("GEOID"):
        values = pd.to_numeric(table[col], errors="coerce")
        wrong = table.index[values.isna() | (values < 0) | (values != np.floor(values))]
        if len(wrong):
            i = wrong[0]
            raise _fail(path, f"row {i + 2}, column {col!r}: {table[col][i]!r} is not a non-negative whole count")
        table[col] = values.astype(np.int64)
    parts = {
        "race/ethnicity": ["hispanic", "nh_white", "nh_black", "nh_asian", "nh_other"],
        "nativity/citizenship": ["native_born", "naturalized", "noncitizen"],
        "sex": ["male", "female"],
    }
    for label, cols in parts.items():
        if not all(c in table for c in cols):
            continue
        diff = table[cols].sum(axis=1) - table["total_pop"]
        wrong = table.index[diff != 0]
        if len(wrong):
            i = wrong[0]
            raise _fail(path, f"row {i + 2} (GEOID {geoid[i]}): {' + '.join(cols)} = {table[cols].sum(axis=1)[i]} "
                              f"but total_pop = {table['total_pop'][i]}; the {label} partition must add up")
    for col in ("age_under_18", "pop_in_households"):
        if col in table and (table[col] > table["total_pop"]).any():
            i = table.index[table[col] > table["total_pop"]][0]
            raise _fail(path, f"row {i + 2}: {col} = {table[col][i]} exceeds total_pop = {table['total_pop'][i]}")


def _centroids(path: Path, geometry: dict, geoids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    by_id = {}
    for feature in geometry.get("features", []):
        props = feature.get("properties") or {}
        gid = str(props.get("GEOID", ""))
        if "centroid_lon" in props and "centroid_lat" in props:
            by_id[gid] = (float(props["centroid_lon"]), float(props["centroid_lat"]))
        else:
            coords = feature["geometry"]["coordinates"]
            ring = np.asarray(coords[0] if feature["geometry"]["type"] == "Polygon" else coords[0][0], dtype=float)
            by_id[gid] = (float(ring[:, 0].mean()), float(ring[:, 1].mean()))
    missing = [g for g in geoids if g not in by_id]
    if missing:
        raise _fail(path, f"no polygon for tract(s) {missing[:5]} of {AGGREGATES_FILE}")
    lon, lat = np.array([by_id[g] for g in geoids]).T
    return lon, lat


def load_aggregates(folder: str | Path) -> Aggregates:
    """Read and validate a geography folder (see the module docstring for the expected files).

    Raises:
        InputError: Naming the file, row, column and bad value.
        PersonalDataError: If a column looks like data about individuals.
    """
    folder = Path(folder)
    csv_path, geo_path = folder / AGGREGATES_FILE, folder / GEOMETRY_FILE
    for p in (csv_path, geo_path):
        if not p.is_file():
            raise InputError(f"world.geography: {str(folder)!r} has no {p.name}; expected {AGGREGATES_FILE} and "
                             f"{GEOMETRY_FILE} (or use world.geography = 'synthetic').")
    table = pd.read_csv(csv_path, dtype=str)
    _check_columns(csv_path, list(table.columns))
    _check_counts(csv_path, table)
    try:
        geometry = json.loads(geo_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise _fail(geo_path, f"not valid GeoJSON: {exc}") from None
    properties = dict.fromkeys(k for feature in geometry.get("features", []) for k in feature.get("properties") or {})
    refuse_personal_columns(properties, origin=str(geo_path), allowed=AGGREGATE_COLUMNS, noun="property")
    lon, lat = _centroids(geo_path, geometry, table["GEOID"])
    return Aggregates(table=table, lon=lon, lat=lat, geometry=geometry)


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

"""A damaged results store recovers (and says so) or explains exactly what to do."""

import subprocess
import sys

import duckdb
import pytest
from conftest import tiny
from test_backends import store_content

from scrutiny.errors import ConfigError, InputError, RecoveryWarning
from scrutiny.experiments import compare, sweep

ARMS = {"strict": {"overrides": {"field.threshold": 10.6}}}
PART = "parts/strict/r00001.parquet"


@pytest.fixture
def store(tmp_path):
    compare(tiny(), ARMS, replicates=2, out=tmp_path / "s")
    return tmp_path / "s"


def damage(path, how):
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "emptied":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"not parquet at all\n" * 50)
    elif how == "data-pages":  # the footer is intact, the column data is not
        middle = bytearray(data)
        middle[100:150] = bytes(b ^ 0xFF for b in middle[100:150])
        path.write_bytes(bytes(middle))


@pytest.mark.parametrize("how", ["truncated", "emptied", "garbage", "data-pages"])
def test_damaged_part_is_recomputed_and_said(store, how):
    good = (store / PART).read_bytes()
    before = store_content(store)
    damage(store / PART, how)
    with pytest.warns(RecoveryWarning, match=r"task strict/r00001 .* is damaged .* computed again") as record:
        c = compare(tiny(), ARMS, replicates=2, out=store)
    assert (store / PART).read_bytes() == good, "the task is computed again, bit for bit"
    assert store_content(store) == before, "the catalog holds the same rows as before the damage"
    assert len(c.results["strict"].replicates) == 2
    if how == "emptied":
        said = [str(w.message) for w in record if issubclass(w.category, RecoveryWarning)]
        assert "the file is empty" in said[0], "(tiny()'s busy workload also warns, as a ScenarioWarning)"


def test_damaged_part_of_a_sweep_is_recomputed(tmp_path):
    design = {"fields": {"field.threshold": [9.6, 10.6]}}
    first = sweep(tiny(), design, out=tmp_path)
    (tmp_path / "parts" / "p00001" / "r00000.parquet").write_bytes(b"")
    with pytest.warns(RecoveryWarning, match="p00001/r00000"):
        again = sweep(tiny(), design, out=tmp_path)
    assert again.table().equals(first.table())


@pytest.mark.parametrize("how", ["garbage", "truncated", "emptied"])
def test_damaged_catalog_is_rebuilt_from_the_parts_without_recomputing(store, how):
    before = store_content(store)
    mtimes = {p: p.stat().st_mtime_ns for p in store.glob("parts/*/*.parquet")}
    damage(store / "results.duckdb", how)
    expected = r"could not be read.*moved to .*results.duckdb.damaged-.*rebuilt from the 4 part"
    with pytest.warns(RecoveryWarning, match=expected):
        compare(tiny(), ARMS, replicates=2, out=store)
    after = store_content(store)
    assert after["tasks"] == before["tasks"] and after["metrics"] == before["metrics"], "every task re-registered"
    assert {p: p.stat().st_mtime_ns for p in store.glob("parts/*/*.parquet")} == mtimes, "no part is recomputed"
    assert len(list(store.glob("results.duckdb.damaged-*"))) == 1, "the damaged catalog is kept aside"


def test_catalog_with_a_foreign_table_layout_is_rebuilt(store):
    con = duckdb.connect(str(store / "results.duckdb"))
    con.execute("DROP TABLE tasks")
    con.execute("CREATE TABLE tasks (x INTEGER)")
    con.close()
    with pytest.warns(RecoveryWarning, match="could not be read"):
        compare(tiny(), ARMS, replicates=2, out=store)


def test_catalog_open_in_another_process_names_that_process(store):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
         "time.sleep(120)", str(store / "results.duckdb")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(InputError, match=rf"is open in process {holder.pid}: another scrutiny command") as err:
            compare(tiny(), ARMS, replicates=2, out=store)
        assert "do not delete the catalog" in str(err.value)
        assert not list(store.glob("results.duckdb.damaged-*")), "a locked catalog is not mistaken for a damaged one"
    finally:
        holder.kill()
        holder.wait()


def test_rebuilt_catalog_still_refuses_a_folder_of_another_experiment(store):
    (store / "results.duckdb").write_bytes(b"garbage")
    expected = r"parts of another kind .* \(parts/baseline/\)"
    with pytest.warns(RecoveryWarning), pytest.raises(ConfigError, match=expected):
        sweep(tiny(), {"fields": {"field.threshold": [9.6]}}, out=store)

import numpy as np
from conftest import small

from scrutiny.codes import EVENT_KINDS
from scrutiny.events import read_events
from scrutiny.operations import simulate


def test_parquet_round_trip_with_provenance(tmp_path):
    log = simulate(small(n_days=10)).events
    path = log.write_parquet(tmp_path / "events.parquet", provenance={"seed": 3})
    back, prov = read_events(path)
    assert prov == {"seed": 3}
    for col in log:
        assert np.array_equal(log[col], back[col]), col


def test_parquet_has_named_categories(tmp_path):
    log = simulate(small(n_days=10)).events
    df = log.to_pandas()
    assert set(df["kind"].dropna().unique()) <= set(EVENT_KINDS)
    assert df.loc[df["kind"] == "operation", "person"].isna().all()

"""Rebuilding the report of a damaged run folder stops with one message naming the damaged file."""

import shutil

import pytest

from scrutiny.errors import InputError
from scrutiny.report import rebuild_report


@pytest.mark.parametrize("name", ["daily.csv", "tracts.csv"])
def test_csv_cut_short_is_named(run_dir, tmp_path, name):
    folder = shutil.copytree(run_dir, tmp_path / "run")
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data[: len(data) // 2 + 1].rstrip(b"\n"))
    with pytest.raises(InputError, match=rf"{name}' is cut short"):
        rebuild_report(folder)


def test_tract_table_without_rows_is_named(run_dir, tmp_path):
    folder = shutil.copytree(run_dir, tmp_path / "run")
    (folder / "tracts.csv").write_text((folder / "tracts.csv").read_text().splitlines()[0] + "\n")
    with pytest.raises(InputError, match=r"tracts.csv' holds no rows"):
        rebuild_report(folder)

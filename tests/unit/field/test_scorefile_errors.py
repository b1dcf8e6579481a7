"""A score file that cannot be read stops with one message naming the file and what is wrong."""

import pytest

from scrutiny.errors import InputError
from scrutiny.field import read_score_file

HEADER = "group,kind,score\n"


def refused(path, pattern):
    with pytest.raises(InputError, match=pattern) as err:
        read_score_file(path)
    assert str(path) in str(err.value), f"the message names the file: {err.value}"


@pytest.mark.parametrize("raw,pattern", [
    ((HEADER + "all,genuine,12.0 # é\n").encode("latin-1"), r"not UTF-8 text: byte 0xe9 on line 2"),
    ((HEADER + "all,genuine,12.0\n").encode("utf-16"), r"is UTF-16 \(little-endian\) text"),
    (b"", r"the file is empty"),
    (b"\n\n", r"the file is empty"),
    (HEADER.encode() + b"all,\"genuine,12.0\n", r"not a readable CSV file"),
], ids=["latin-1", "utf-16", "empty", "blank", "open-quote"])
def test_unreadable_score_file(tmp_path, raw, pattern):
    path = tmp_path / "scores.csv"
    path.write_bytes(raw)
    refused(path, pattern)


def test_header_only_needs_rows(tmp_path):
    (tmp_path / "scores.csv").write_text(HEADER)
    refused(tmp_path / "scores.csv", r"needs at least 50 'genuine' rows .* found 0")


def test_folder_given_as_score_file(tmp_path):
    refused(tmp_path, "is a folder, not a file")


def test_misspelt_column_suggests_the_right_one(tmp_path):
    (tmp_path / "scores.csv").write_text("group,kind,scroe\n")
    refused(tmp_path / "scores.csv", r"unknown column\(s\) \['scroe'\].*Did you mean 'score'\?")

"""Fuzzing the input files: scenario, arms, design, score and geography files never raise a traceback.

A seeded mutator starts from valid files and damages them the ways files get damaged (cut short,
bytes flipped or inserted, another encoding, lines dropped or repeated, numbers made NaN, infinite,
negative or enormous, nesting thousands deep, keys misspelt, JSON nodes and CSV cells replaced).
Every mutated file is either accepted or refused with a :class:`scrutiny.errors.Error` whose message
names the file; any other exception fails the test with the seed and the mutations that made it.

The CI run is a few hundred cases; the long run (``-m fuzz_long``) is 12,000::

    python -m pytest -m fuzz_long tests/properties/test_fuzz_inputs.py -n 2
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from scrutiny.errors import Error
from scrutiny.experiments import load_arms, load_design
from scrutiny.experiments._arms import arm_scenarios
from scrutiny.experiments._design import scenario_at
from scrutiny.experiments._resources import check_plan_size
from scrutiny.experiments._sweep import design_points, design_size
from scrutiny.field import EmpiricalScores
from scrutiny.scenario import dump_toml, load_scenario
from scrutiny.world import load_aggregates

TOY = Path(__file__).parents[1] / "data" / "toy-geography"
CI_CASES = 60  # per kind of file: 300 in all
LONG_CASES = 2_400  # per kind of file: 12,000 in all

SCENARIO = """\
name = "fuzz seed"
seed = 7
n_days = 30

[world]
n_people = 20000
segregation = 0.6
foreign_born_mix = { naturalised = 0.49, lpr = 0.19, visa = 0.05, unauthorised = 0.27 }

[world.places]
workplace_size = [40.0, 15.0, 20.0, 80.0, 25.0]

[field]
threshold = 10.0
fnmr_capture = [0.012, 0.061, 0.035]
rel_gallery_size = 0.5

[field.galleries.visa]
size = 2.4e7

[targeting]
excluded_place_types = ["school", "clinic"]
rel_place_prior = [1.0, 1.0, 0.05, 0.5, 0.5, 2.0, 0.5]

[operations]
rel_local_intensity = 5.0
"""

ARMS = """\
[arms.threshold_strict]
description = "A stricter threshold."
overrides = { "field.threshold" = 10.6 }

[arms.protected_places]
description = "No operations at protected places."
overrides = { "targeting.excluded_place_types" = ["school", "clinic", "church"], "world.segregation" = 0.2 }

[arms.both]
overrides = { "field.rel_fmr_group" = { white_man = 1.0, white_woman = 2.9, black_man = 2.3, black_woman = 11.7, \
hispanic_man = 1.5, hispanic_woman = 3.5, asian_man = 3.0, asian_woman = 6.0 }, "n_days" = 20 }
"""

DESIGN = """\
method = "grid"
replicates = 2
[fields]
"field.threshold" = [9.0, 9.6, 10.2]
"operations.rel_local_intensity" = { lo = 1.0, hi = 20.0, n = 3 }
"field.rel_gallery_size" = { lo = 0.005, hi = 1.5, n = 2, log = true }
"""


def _scores() -> str:
    rows = ["group,kind,score,gallery_size"]
    rows += [f"all,genuine,{12.0 + 0.05 * i:.3f}," for i in range(60)]
    rows += [f"all,nonmated_top,{6.0 + 0.15 * i:.3f},12000000" for i in range(60)]
    return "\n".join(rows) + "\n"


NUMBERS = ["nan", "inf", "-inf", "1e999", "-1", "0", "1e308", "99999999999999999999999", "-0.0", "1e-320",
           "2e9", "0x10", "1_0", "+5", "1.5", "NaN", "Infinity", "9" * 400]
JUNK = [b"\xff", b"\xe9", b"\x00", b"\xef\xbb\xbf", b"\\", b'"', b"'", b"[", b"]", b"{", b"}", b"=", b",", b"\n",
        b"\r\n", b"\t", b"#", b".", b"-", b"\xc3", b"\xed\xa0\x80", "é".encode(), b"\x1b[31m"]


def _mutate_bytes(raw: bytes, rng: np.random.Generator, log: list[str]) -> bytes:
    """One byte- or line-level change to a text file."""
    op = int(rng.integers(12))
    n = len(raw)
    at = int(rng.integers(n + 1))
    if op == 0:
        log.append(f"cut at {at}")
        return raw[:at]
    if op == 1:
        end = min(n, at + int(rng.integers(1, 40)))
        log.append(f"delete {at}:{end}")
        return raw[:at] + raw[end:]
    if op == 2:
        junk = JUNK[int(rng.integers(len(JUNK)))] * int(rng.integers(1, 4))
        log.append(f"insert {junk!r} at {at}")
        return raw[:at] + junk + raw[at:]
    if op == 3 and n:
        i = int(rng.integers(n))
        log.append(f"flip byte {i}")
        return raw[:i] + bytes([raw[i] ^ int(rng.integers(1, 256))]) + raw[i + 1:]
    if op == 4:
        encoding = ["latin-1", "utf-16", "utf-16-le", "cp1252"][int(rng.integers(4))]
        log.append(f"encode {encoding}")
        return raw.decode("utf-8", "replace").replace("e", "é", 1).encode(encoding, "replace")
    if op == 5:
        depth = int(rng.choice([30, 600, 5000]))
        opener, closer = [(b"[", b"]"), (b"{a=", b"}"), (b"{", b"}")][int(rng.integers(3))]
        log.append(f"nest {opener!r} x {depth} at {at}")
        return raw[:at] + b"x = " + opener * depth + b"1" + closer * depth + b"\n" + raw[at:]
    if op == 6:
        numbers = list(re.finditer(rb"-?\d+(\.\d+)?(e[-+]?\d+)?", raw))
        if numbers:
            m = numbers[int(rng.integers(len(numbers)))]
            new = NUMBERS[int(rng.integers(len(NUMBERS)))].encode()
            log.append(f"number {m.group()!r} -> {new[:20]!r}")
            return raw[:m.start()] + new + raw[m.end():]
    lines = raw.split(b"\n")
    i = int(rng.integers(len(lines)))
    if op == 7:
        log.append(f"drop line {i}")
        return b"\n".join(lines[:i] + lines[i + 1:])
    if op == 8:
        log.append(f"repeat line {i}")
        return b"\n".join(lines[:i + 1] + lines[i:])
    if op == 9:
        j = int(rng.integers(len(lines)))
        log.append(f"swap lines {i} {j}")
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    if op == 10:
        words = list(re.finditer(rb"[A-Za-z_]{3,}", raw))
        if words:
            m = words[int(rng.integers(len(words)))]
            word = bytearray(m.group())
            k = int(rng.integers(len(word)))
            word[k] = word[(k + 1) % len(word)]
            log.append(f"misspell {m.group()!r} -> {bytes(word)!r}")
            return raw[:m.start()] + bytes(word) + raw[m.end():]
    extra = [b"x = 1", b"[world]", b"[[arms]]", b"n_days = 1e999", b"seed = -1", b"\"a.b.c\" = 1", b"= 3",
             b"[" + b"a." * 300 + b"b]", b"method = 'lhs'", b"samples = 1000000000", b"preset = 'nope'",
             b"all,genuine,nan,", b"all,impostor,1e400,", b'"' * 3, b"GEOID,total_pop"]
    line = extra[int(rng.integers(len(extra)))]
    log.append(f"insert line {line[:30]!r} at {i}")
    return b"\n".join(lines[:i] + [line] + lines[i:])


def _mutate_json(raw: bytes, rng: np.random.Generator, log: list[str]) -> bytes:
    """Replace one node of the GeoJSON (or fall back to a byte-level change)."""
    if rng.random() < 0.3:
        return _mutate_bytes(raw, rng, log)
    try:
        doc = json.loads(raw)
    except ValueError:
        return _mutate_bytes(raw, rng, log)
    nodes: list[tuple[object, object]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            nodes.append((node, key))
            stack.append(child)
    if not nodes:
        return _mutate_bytes(raw, rng, log)
    parent, key = nodes[int(rng.integers(len(nodes)))]
    choices: list[object] = [None, [], {}, "x", float("nan"), float("inf"), -1, 10**30, True, [[1]], {"type": "Point"},
                             [0.0, 0.0], "99001000100", 1e-300, [[[500, 0]]]]
    new = choices[int(rng.integers(len(choices)))]
    log.append(f"json {key!r} -> {new!r}")
    if isinstance(parent, dict) and rng.random() < 0.15:
        del parent[key]
    else:
        parent[key] = new
    return json.dumps(doc).encode()


def _mutate_csv(raw: bytes, rng: np.random.Generator, log: list[str]) -> bytes:
    """Replace one cell or header of a CSV (or fall back to a byte-level change)."""
    lines = raw.decode("utf-8", "replace").split("\n")
    if rng.random() < 0.4 or len(lines) < 2:
        return _mutate_bytes(raw, rng, log)
    i = int(rng.integers(len(lines)))
    cells = lines[i].split(",")
    j = int(rng.integers(len(cells)))
    cells[j] = ["", "nan", "-1", "1e30", "99999999999999999999", "abc", "1.5", " 12", "first_name", "score", "all",
                "genuine", "0", "inf", '"', "GEOID", "x" * 5000][int(rng.integers(17))]
    log.append(f"csv line {i} cell {j} -> {cells[j][:20]!r}")
    lines[i] = ",".join(cells)
    return "\n".join(lines).encode()


def _mutated(seed: bytes, mutate: Callable, rng: np.random.Generator, log: list[str]) -> bytes:
    raw = seed
    for _ in range(int(rng.integers(1, 4))):
        raw = mutate(raw, rng, log)
    return raw


def _named(exc: Error, *paths: Path) -> bool:
    return any(str(p) in str(exc) for p in paths)


def _scenario(path: Path) -> None:
    s = load_scenario(path)
    assert dump_toml(s) and s.config_hash()  # an accepted scenario can be written back


def _arms(path: Path) -> None:
    arm_scenarios(load_scenario(preset="us-interior"), load_arms(path))


def _design(path: Path) -> None:
    spec = load_design(path)
    base = load_scenario(preset="us-interior")
    n_points, what = design_size(spec)
    check_plan_size(n_points, base, what=f"{path}: {what}", fix="the design")
    for i, point in enumerate(design_points(spec["dims"], spec["method"], spec["samples"], base.seed)[:20]):
        scenario_at(base, point, f"{spec['origin']}: point {i} {point}")


def _score(path: Path) -> None:
    EmpiricalScores.from_file(path, tail="refuse", threshold=13.0)


KINDS = {  # kind -> (seed files, mutator, loader)
    "scenario": ({"s.toml": SCENARIO.encode()}, _mutate_bytes, _scenario),
    "arms": ({"arms.toml": ARMS.encode()}, _mutate_bytes, _arms),
    "design": ({"design.toml": DESIGN.encode()}, _mutate_bytes, _design),
    "score": ({"scores.csv": _scores().encode()}, _mutate_csv, _score),
    "geography": ({"tract_aggregates.csv": (TOY / "tract_aggregates.csv").read_bytes(),
                   "tracts.geojson": (TOY / "tracts.geojson").read_bytes()}, None, load_aggregates),
}


def fuzz(kind: str, n_cases: int, seed: int, tmp: Path) -> dict[str, int]:
    """Run ``n_cases`` mutated files of one kind; return how many were accepted and refused."""
    files, mutate, load = KINDS[kind]
    rng = np.random.default_rng([seed, list(KINDS).index(kind)])
    outcomes = {"accepted": 0, "refused": 0}
    messages: set[str] = set()
    for case in range(n_cases):
        folder = tmp / f"{kind}-{case}"  # a fresh path each case: no cache keyed on the path can go stale
        folder.mkdir()
        log: list[str] = []
        target = None
        for name, data in files.items():
            chosen = name == list(files)[int(rng.integers(len(files)))] if kind == "geography" else True
            if chosen:
                how = _mutate_json if name.endswith(".geojson") else _mutate_csv if name.endswith(".csv") else mutate
                data = _mutated(data, how, rng, log)
            (folder / name).write_bytes(data)
            target = folder / name
        path = folder if kind == "geography" else target
        try:
            load(path)
            outcomes["accepted"] += 1
        except Error as exc:
            outcomes["refused"] += 1
            messages.add(re.sub(r"\d+", "N", str(exc).replace(str(path), "<path>"))[:50])
            assert _named(exc, path), f"{kind} case {case} ({log}): the message does not name {path}: {exc}"
        except Exception as exc:  # any other exception is what this test exists to find
            raise AssertionError(
                f"{kind} case {case} (seed {seed}; mutations {log}): {type(exc).__name__}: {exc}"
            ) from exc
    outcomes["kinds_of_message"] = len(messages)
    return outcomes


def test_seed_files_are_valid(tmp_path):
    for kind, (files, _, load) in KINDS.items():
        folder = tmp_path / kind
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        load(folder if kind == "geography" else folder / next(iter(files)))


@pytest.mark.parametrize("kind", list(KINDS))
def test_fuzz_inputs(tmp_path, kind):
    outcomes = fuzz(kind, CI_CASES, seed=20260101, tmp=tmp_path)
    assert outcomes["refused"] >= CI_CASES // 4 and outcomes["kinds_of_message"] >= 5, outcomes


@pytest.mark.fuzz_long
@pytest.mark.parametrize("kind", list(KINDS))
def test_fuzz_inputs_long(tmp_path, kind):
    outcomes = fuzz(kind, LONG_CASES, seed=1, tmp=tmp_path)
    assert outcomes["refused"] >= LONG_CASES // 4 and outcomes["accepted"] > 0, outcomes

"""The import graph of src/scrutiny has no cycle and never imports from a later stage into an earlier one.

Every ``import`` and ``from ... import`` under ``src/scrutiny`` is read with :mod:`ast`, those inside
functions included (a lazy import is still a dependency), and resolved to the module it names.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

#: The layers of the package, earliest first. Data flows one way through the pipeline (DESIGN.md,
#: "The pipeline"): each stage is built only from the foundation and the stages before it, so it can
#: be understood, tested and changed without the ones after it, and nothing downstream (metrics,
#: experiments, the report) can leak back into the simulation. A module may import from its own
#: layer and earlier ones, never from a later one. The foundation holds what every stage shares:
#: errors, vocabularies (codes), random streams, the version, the personal-data guard, file writing
#: (_io), the registries of extension points (_registry), the distance the loop and the metrics share
#: (_distance), and the event log's schema (events), which the simulation writes and the metrics read.
#: Units are top-level modules or packages of ``scrutiny`` ("" is the package ``__init__``: the
#: public API, on top of everything).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "codes", "rng", "_version", "_privacy", "_io", "_files", "_limits", "_registry", "_distance",
     "_renderers", "events", "_observed", "_sets", "_seedseq"),
    ("scenario",),
    ("world",),
    ("sources",),
    ("targeting",),
    ("behavior",),
    ("field",),
    ("operations",),
    ("metrics",),
    ("experiments",),
    ("report",),
    ("calibration",),
    ("cli", "__main__"),
    ("",),
)
LAYER: dict[str, int] = {unit: i for i, units in enumerate(LAYERS) for unit in units}

#: Imports from a later layer that are tolerated for now, as (importing module, imported unit). Each
#: is a known debt with its owner; the test fails when one is no longer needed, so the list shrinks.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, tuple[Path, bool]]:
    """``{dotted name: (path, is a package __init__)}`` of every module under src/scrutiny."""
    out = {}
    for path in sorted((SRC / "scrutiny").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


MODULES = _modules()


def _known(name: str) -> str:
    """The module ``name`` resolves to: itself, or the nearest package or module above it."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _imports(module: str) -> list[tuple[str, int]]:
    """(imported scrutiny module, line) for every import statement of ``module``, at any depth."""
    path, is_package = MODULES[module]
    package = module if is_package else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(_known(a.name), node.lineno) for a in node.names if a.name.split(".")[0] == "scrutiny"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: climb from this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.split(".")[0] != "scrutiny":
                continue
            for alias in node.names:  # `from scrutiny import metrics` names a module, not an attribute
                sub = f"{base}.{alias.name}"
                found.append((sub if sub in MODULES else _known(base), node.lineno))
    return found


def unit(module: str) -> str:
    """The layer unit of a module: ``scrutiny.metrics._core`` -> ``metrics``; ``scrutiny`` -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


EDGES: list[tuple[str, str, int]] = [(m, target, line) for m in MODULES for target, line in _imports(m)
                                     if target != m]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_parser_sees_imports_inside_functions_and_relative_ones():
    assert ("scrutiny._renderers", "scrutiny.errors") in {(a, b) for a, b, _ in EDGES}
    lazy = [(a, b) for a, b, _ in EDGES if a == "scrutiny.cli" and unit(b) == "experiments"]
    assert lazy, "cli imports experiments inside its command functions; those count"


def test_every_module_has_a_layer():
    missing = sorted({unit(m) for m in MODULES} - set(LAYER))
    assert not missing, f"add {missing} to LAYERS in {Path(__file__).name}, in pipeline order"


def test_no_import_from_a_later_layer():
    late = [f"{a}:{line} imports {b} ({unit(a) or 'scrutiny'} is layer {LAYER[unit(a)]}, "
            f"{unit(b) or 'scrutiny'} is layer {LAYER[unit(b)]})"
            for a, b, line in EDGES if LAYER[unit(b)] > LAYER[unit(a)] and (a, unit(b)) not in EXCEPTIONS]
    assert not late, "imports from a later layer:\n" + "\n".join(late)


def test_every_exception_is_still_needed():
    stale = [f"{module} -> {target}" for module, target in EXCEPTIONS
             if not any(a == module and unit(b) == target for a, b, _ in EDGES)]
    assert not stale, f"no longer imported, remove from EXCEPTIONS: {stale}"


def test_no_cycle_between_stages():
    graph: dict[str, set[str]] = {}
    for a, b, _ in EDGES:
        if unit(a) != unit(b):
            graph.setdefault(unit(a), set()).add(unit(b))
    assert not _cycles(graph), f"stages that import each other: {_cycles(graph)}"


def test_no_cycle_between_modules():
    graph: dict[str, set[str]] = {}
    for a, b, _ in EDGES:
        graph.setdefault(a, set()).add(b)
    assert not _cycles(graph), f"modules that import each other (lazily or not): {_cycles(graph)}"


def test_the_checks_catch_a_cycle_and_a_late_import():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert LAYER["report"] > LAYER["experiments"] > LAYER["metrics"] > LAYER["operations"] > LAYER["events"]

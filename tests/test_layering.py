"""The import layering the docs describe, held: no import climbs back up, and no circle.

Every module of src/seqcast is read with ``ast``; nothing is imported, so the
test is quick and sees imports inside functions too (a lazy import is still a
dependency), and so are ``if TYPE_CHECKING:`` imports (a loop of names is a
loop of concepts). ``from x import y`` counts as an import of the submodule
``x.y`` where there is one, else of ``x``. An import by string
(``importlib.import_module``) is not seen; src/seqcast has none.

Two orders are declared, each once:

* across the package, :data:`LAYERS` below: floors from the ground up, a
  module importing only its own floor or those below;
* inside ``seqcast.training``, the list in ``training/__init__.py``'s
  docstring: each module importing only those listed before it.

And across the whole package, no circle: modules that import each other,
directly or round a loop, whatever their floors.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
PACKAGE = "seqcast"
TRAINING = "seqcast.training"

#: Each part of seqcast and its floor, from the ground up; a module may import
#: modules on its own floor or below. Keys are names inside seqcast, matched
#: by dotted prefix, the longest winning: ``"data"`` places seqcast.data and
#: every module in it, and a longer key (``"data.windows"``) would place one
#: module apart. ``"__init__"`` is seqcast's own __init__.py. A new module
#: inside a package listed here stands with it; a new top-level module or
#: package needs a line (the gaps of 10 leave room for a floor in between).
LAYERS: dict[str, int] = {
    # the ground: what every entry point shares
    "errors": 0,
    "choices": 0,
    "spelling": 0,
    "backend_check": 0,
    "version": 0,
    "checks": 10,
    "files": 10,
    "distributed": 10,
    # reading data into a panel, windows
    "data": 20,
    # what a network is built from and scored by; the statistical baselines
    "layers": 30,
    "models": 30,
    "metrics": 30,
    "baselines": 30,
    # the compiled trainer
    "training": 40,
    # a forecaster's parts: its network and strategy, bands, backtests, saved file
    "strategies": 50,
    "network": 50,
    "intervals": 50,
    "backtest": 50,
    "backtesting": 50,
    "panel_backtest": 50,
    "lr_sweep": 50,
    "bundle_file": 50,
    # the estimator's named steps and its fitted state, the saved bundle of that state
    "estimator": 55,
    "panel_forecasting": 55,
    "bundle": 55,
    # the estimator, and the package's face that hands it out (seqcast.Forecaster)
    "forecaster": 60,
    "__init__": 65,
    # what runs many fits or reports on them
    "search": 70,
    "experiments": 70,
    "plots": 70,
    # the command line
    "cli": 80,
}

#: Imports that break a rule today (one that climbs, or one that closes a
#: circle), each with how to mend it. They are mended in the module that
#: imports, never by moving floors to suit: the checks pass over these and
#: fail on any other, and on a listed one that is gone (then delete its
#: line), so the list only shrinks.
KNOWN_BREAKS: dict[tuple[str, str], str] = {}

Graph = Mapping[str, set[str]]


# --------------------------------------------------------------------------- reading the code


def module_files(src: Path = SRC, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of ``package`` under ``src``, by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_modules(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``tree`` imports, at the top or inside a function.

    ``import a.b`` imports the module ``a.b`` (the longest known prefix of the
    name); ``from a import b`` imports the submodule ``a.b`` where there is one,
    else ``a`` (``b`` is a name it defines). Relative imports are resolved.
    """
    here = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_longest_known(alias.name, known) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found.add(name if name in known else _longest_known(base, known))
    return found - {None, module}


def _longest_known(name: str, known: set[str]) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return None


def import_graph(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (anywhere in it), itself left out."""
    known = set(modules)
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = imported_modules(tree, module, path.name == "__init__.py", known)
    return graph


# --------------------------------------------------------------------------- the checks


def floor_of(module: str, layers: Mapping[str, int], package: str = PACKAGE) -> int:
    """The floor of ``module`` by the longest key of ``layers`` that prefixes its name."""
    inside = "__init__" if module == package else module.removeprefix(package + ".")
    parts = inside.split(".")
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in layers:
            return layers[key]
    raise LookupError(
        f"{module} stands on no floor: add {parts[0]!r} to LAYERS in tests/test_layering.py"
    )


def climbing_imports(graph: Graph, rank: Mapping[str, float]) -> list[tuple[str, str]]:
    """Every import from a module to one ranked higher, as (importer, imported)."""
    return sorted(
        (source, target)
        for source, targets in graph.items()
        for target in targets
        if source in rank and target in rank and rank[target] > rank[source]
    )


def circles(graph: Graph) -> list[list[str]]:
    """The modules that import each other round a loop, one sorted list per loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    loop = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        loop.append(member)
                        if member == node:
                            break
                    if len(loop) > 1 or node in graph.get(node, ()):
                        found.append(sorted(loop))
    return sorted(found)


def describe(loop: list[str], graph: Graph) -> str:
    """A circle as the imports that close it: ``a -> b, b -> a``."""
    edges = [f"{a} -> {b}" for a in loop for b in sorted(graph[a]) if b in loop]
    return "; ".join(edges)


def training_order(init: Path) -> list[str]:
    """The modules of seqcast.training in the order its __init__.py's docstring lists them."""
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    return re.findall(r"^\* :mod:`~(seqcast\.training\.\w+)`", docstring, flags=re.MULTILINE)


# --------------------------------------------------------------------------- today's code


@pytest.fixture(scope="module")
def modules() -> dict[str, Path]:
    return module_files()


@pytest.fixture(scope="module")
def graph(modules) -> dict[str, set[str]]:
    return import_graph(modules)


def test_every_module_stands_on_a_floor(modules):
    unplaced = []
    for module in modules:
        try:
            floor_of(module, LAYERS)
        except LookupError as err:
            unplaced.append(str(err))
    assert not unplaced, "\n".join(unplaced)


def test_no_import_climbs_to_a_higher_floor(graph):
    rank = {module: floor_of(module, LAYERS) for module in graph}
    climbs = [edge for edge in climbing_imports(graph, rank) if edge not in KNOWN_BREAKS]
    assert not climbs, "imports that climb to a higher floor (see LAYERS):\n" + "\n".join(
        f"{a} (floor {rank[a]}) imports {b} (floor {rank[b]})" for a, b in climbs
    )


def test_the_known_breaks_are_still_there(graph):
    gone = [f"{a} -> {b}" for a, b in KNOWN_BREAKS if b not in graph.get(a, set())]
    assert not gone, "mended, delete from KNOWN_BREAKS: " + ", ".join(gone)


def test_no_circle_of_imports(graph):
    cut = {a: {b for b in targets if (a, b) not in KNOWN_BREAKS} for a, targets in graph.items()}
    found = circles(cut)
    assert not found, "modules that import each other:\n" + "\n".join(
        describe(loop, cut) for loop in found
    )


def test_training_modules_import_only_those_listed_before_them(modules, graph):
    order = training_order(modules[TRAINING])
    inside = sorted(m for m in modules if m.startswith(TRAINING + "."))
    unlisted = [m for m in inside if m not in order]
    assert not unlisted, (
        f"not in the module list of training/__init__.py's docstring: {', '.join(unlisted)}; "
        "add each where it stands (it may import only the modules above it)"
    )
    assert sorted(order) == inside, "the list names a module that is not there"
    rank = {module: position for position, module in enumerate(order)}
    rank[TRAINING] = len(order)  # the package's face stands above every module of it
    climbs = climbing_imports(graph, rank)
    assert not climbs, "training modules importing one listed after them:\n" + "\n".join(
        f"{a} imports {b}" for a, b in climbs
    )


# --------------------------------------------------------------------------- the checker itself


def test_a_climbing_import_is_found():
    layers = {"low": 0, "high": 10, "high.special": 0}
    graph = {
        "pkg.low.a": {"pkg.high.b"},  # climbs
        "pkg.high.b": {"pkg.low.a", "pkg.high.c"},  # down, and along its own floor
        "pkg.high.c": set(),
        "pkg.high.special": {"pkg.high.c"},  # placed apart, on the ground: climbs
    }
    rank = {module: floor_of(module, layers, package="pkg") for module in graph}
    assert rank == {"pkg.low.a": 0, "pkg.high.b": 10, "pkg.high.c": 10, "pkg.high.special": 0}
    assert climbing_imports(graph, rank) == [
        ("pkg.high.special", "pkg.high.c"),
        ("pkg.low.a", "pkg.high.b"),
    ]


def test_a_module_on_no_floor_says_where_to_declare_it():
    with pytest.raises(LookupError, match=r"add 'new' to LAYERS in tests/test_layering\.py"):
        floor_of("pkg.new.module", {"old": 0}, package="pkg")
    assert floor_of("pkg", {"__init__": 5}, package="pkg") == 5


def test_circles_are_found_and_a_tree_has_none():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"d"}}
    assert circles(graph) == [["a", "b", "c"], ["e"]]
    assert describe(["a", "b", "c"], graph) == "a -> b; b -> c; c -> a"
    del graph["c"]
    graph["c"] = {"d"}
    del graph["e"]
    assert circles(graph) == []


def test_imports_are_read_inside_functions_relative_and_as_submodules(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("VALUE = 1\n")
    (package / "sub" / "__init__.py").write_text("from . import deep\n")
    (package / "sub" / "deep.py").write_text("from ..low import VALUE\n")
    (package / "top.py").write_text(
        "def lazy():\n    from pkg.sub import deep\n    import pkg.low\n    from pkg import VALUE\n"
    )
    graph = import_graph(module_files(tmp_path, "pkg"))
    assert graph == {
        "pkg": set(),
        "pkg.low": set(),
        "pkg.sub": {"pkg.sub.deep"},
        "pkg.sub.deep": {"pkg.low"},
        "pkg.top": {"pkg.sub.deep", "pkg.low", "pkg"},
    }

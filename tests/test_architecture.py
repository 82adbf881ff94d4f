"""The package's layers: imports point one way, no cycles, no imports hidden in functions, short functions.

Layers, lowest first (a module may import from its own layer or below):

    0 _params                 every parameter's spec, the checks, the memory budget, rng
    1 model/                  what a user describes: neuron, kernels, inputs, spreads, synapses, networks
    2 wiring/                 connectivity builders with their scaling laws, space
    3 engine/, result         the simulation and the one result type
    4 theory/, analysis       mean field, rate models, fields; statistics of results
    5 models, experiments/, plotting, interop/   named networks, the lesson figures' computations, artists
    6 apps/                   the widgets (the only place that imports ipywidgets)

The test parses every module: an upward import, an import cycle, or an import of nmteach inside a
function (the usual way to dodge a cycle) fails it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nmteach"
LAYERS = {
    "_params": 0,
    "model": 1,
    "wiring": 2,
    "engine": 3,
    "result": 3,
    "theory": 4,
    "analysis": 4,
    "models": 5,
    "experiments": 5,
    "plotting": 5,
    "interop": 5,
    "apps": 6,
}
#: third-party packages that only some layers may import
ONLY_IN = {"ipywidgets": {"apps"}, "IPython": {"apps"}, "matplotlib": {"plotting", "apps"}}
MAX_FUNCTION_LINES = 80


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        yield path, ("nmteach", *parts), rel.name == "__init__"


def top(name: tuple) -> str | None:
    return name[1] if len(name) > 1 else None


def imports(path: Path, name: tuple, is_package: bool):
    """(imported nmteach module as a tuple, line, at module level?) and third-party roots, for one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    base = name if is_package else name[:-1]
    found, third = [], []

    def visit(node, nested):
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    origin = base[: len(base) - child.level + 1]
                    mod = (*origin, *(child.module.split(".") if child.module else ()))
                    targets = [mod] if child.module else [(*origin, a.name) for a in child.names]
                    found.extend((t, child.lineno, not nested) for t in targets)
                elif child.module.split(".")[0] == "nmteach":
                    found.append((tuple(child.module.split(".")), child.lineno, not nested))
                else:
                    third.append((child.module.split(".")[0], child.lineno))
            elif isinstance(child, ast.Import):
                for a in child.names:
                    root = a.name.split(".")[0]
                    if root == "nmteach":
                        found.append((tuple(a.name.split(".")), child.lineno, not nested))
                    else:
                        third.append((root, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found, third


def resolve(mod: tuple, known: set) -> tuple:
    """The module a dotted name refers to (``from .x import y`` may import a module y or a name y)."""
    while mod not in known and len(mod) > 1:
        mod = mod[:-1]
    return mod


ALL = list(modules())
KNOWN = {name for _, name, _ in ALL}


def test_layers_cover_every_module():
    unassigned = [".".join(n) for _, n, _ in ALL if top(n) is not None and top(n) not in LAYERS]
    assert not unassigned, f"modules without a layer: {unassigned}"


@pytest.mark.parametrize(("path", "name", "pkg"), ALL, ids=lambda x: ".".join(x) if isinstance(x, tuple) else None)
def test_imports_point_down_and_never_hide_in_functions(path, name, pkg):
    found, third = imports(path, name, pkg)
    if top(name) is None:  # nmteach/__init__.py gathers the public names from every layer
        return
    mine = LAYERS[top(name)]
    problems = []
    for mod, line, module_level in found:
        target = resolve(mod, KNOWN)
        if not module_level:
            problems.append(f"line {line}: imports {'.'.join(target)} inside a function")
        if top(target) is None:
            problems.append(f"line {line}: imports the package root nmteach (an upward import)")
        elif LAYERS[top(target)] > mine:
            problems.append(f"line {line}: imports {'.'.join(target)} from a higher layer")
    for root, line in third:
        allowed = ONLY_IN.get(root)
        if allowed is not None and top(name) not in allowed:
            problems.append(f"line {line}: imports {root}, which only {sorted(allowed)} may")
    assert not problems, f"{path.relative_to(PACKAGE.parent)}:\n" + "\n".join(problems)


def test_no_import_cycles():
    graph = {}
    for path, name, pkg in ALL:
        found, _ = imports(path, name, pkg)
        graph[name] = {resolve(m, KNOWN) for m, _, level in found if level} - {name}
    state: dict = {}
    cycle: list = []

    def dfs(node, stack):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if top(nxt) is None or top(node) is None:
                continue  # the package root imports everything; it is no one's dependency
            if state.get(nxt) == "open":
                cycle.extend([*stack[stack.index(nxt) :], nxt])
                return True
            if nxt not in state and dfs(nxt, [*stack, nxt]):
                return True
        state[node] = "done"
        return False

    for node in sorted(graph):
        if node not in state and dfs(node, [node]):
            break
    assert not cycle, "import cycle: " + " → ".join(".".join(c) for c in cycle)


def test_functions_are_short():
    long = []
    for path, _, _ in ALL:
        source = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(source))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                reason = "# long:" in source[node.lineno - 1]
                if n > MAX_FUNCTION_LINES and not reason:
                    long.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, f"functions longer than {MAX_FUNCTION_LINES} lines without a '# long: reason':\n" + "\n".join(long)


def test_the_architecture_test_can_fail(tmp_path):
    # the parser sees a function-level import and an upward one
    bad = tmp_path / "bad.py"
    bad.write_text("from ..apps import App\n\ndef f():\n    from ..engine import simulate\n", encoding="utf-8")
    found, _ = imports(bad, ("nmteach", "model", "bad"), False)
    assert (("nmteach", "apps"), 1, True) in found
    assert (("nmteach", "engine"), 4, False) in found

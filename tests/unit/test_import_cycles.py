"""No import loop in the package (issue 8): the module graph of src/floorwatch, read from the
source, has no cycle. Every import counts, also one inside a function, except those under
`if TYPE_CHECKING:` (they never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import floorwatch

PACKAGE = Path(floorwatch.__file__).parent


def _modules() -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package's __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["floorwatch", *path.relative_to(PACKAGE).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, name: str, is_package: bool, modules: set[str]) -> set[str]:
    """The package's modules that module `name` imports. As import-linter counts them: the
    module named, not the packages around it; `from a import b` is a.b when that is a module,
    else a."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit_node(other)
            else:
                visit_node(child)

    def visit_node(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - node.level + 1]
                base = ".".join([*here, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
        visit(node)

    visit(tree)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: _imported(
            ast.parse(path.read_text("utf-8"), str(path)), name, is_package, set(modules)
        )
        for name, (path, is_package) in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the whole package was read
    loops = cycles(graph)
    described = [
        [f"{m} -> {', '.join(sorted(graph[m] & set(loop)))}" for m in loop] for loop in loops
    ]
    assert described == []


MODULES = {"floorwatch", "floorwatch.a", "floorwatch.b", "floorwatch.sub", "floorwatch.sub.c"}


def test_the_check_reads_function_level_and_relative_imports() -> None:
    source = (
        "import json\n"
        "from floorwatch import b\n"
        "def f():\n"
        "    from .sub import c\n"
        "    from floorwatch.sub import name_in_init\n"
    )
    found = _imported(ast.parse(source), "floorwatch.a", False, MODULES)
    assert found == {"floorwatch.b", "floorwatch.sub.c", "floorwatch.sub"}


def test_the_check_ignores_type_checking_imports() -> None:
    source = (
        "import typing\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import floorwatch.b\n"
        "if typing.TYPE_CHECKING:\n"
        "    from floorwatch.sub import c\n"
        "else:\n"
        "    from floorwatch import sub\n"
    )
    assert _imported(ast.parse(source), "floorwatch.a", False, MODULES) == {"floorwatch.sub"}


def test_the_check_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c", "e"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]

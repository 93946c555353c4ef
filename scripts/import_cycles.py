"""Import cycles among the application's modules, and the imports made inside functions (docs/adr/0040).

grimp builds the import graph of the root packages `lint-imports` checks (pyproject.toml,
[tool.importlinter] root_packages), imports inside functions included. Every group of modules that reach
each other through imports (a strongly connected component of the graph) is a cycle; each is printed with
one of its shortest loops. Exit 1 when there is one. `make check` runs it beside `lint-imports`.

`--deferred` instead lists the imports made inside a function or class body of the application's own files
(not tests, not migrations; `if TYPE_CHECKING:` blocks aside), per file, with the line's comment: each one
left states why it cannot be at the top of its module.

Usage: PYTHONPATH=.:platform scripts/import_cycles.py [--deferred] [ROOT_PACKAGE ...]
"""

from __future__ import annotations

import argparse
import ast
import sys
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPLICATION_FOLDERS = ("catalogue", "checkout", "content", "support", "platform", "config")


def configured_root_packages() -> list[str]:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return list(settings["tool"]["importlinter"]["root_packages"])


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each group of modules that import each other, directly or through others, sorted; largest first."""
    imports = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    # Tarjan's algorithm, iterative (the graph is deeper than Python's recursion limit allows for).
    for start in sorted(imports):
        if start in index:
            continue
        work = [(start, iter(imports[start]))]
        index[start] = lowlink[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in index:
                    index[imported] = lowlink[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(imports[imported])))
                    break
                if imported in on_stack:
                    lowlink[module] = min(lowlink[module], index[imported])
            else:
                work.pop()
                if work:
                    lowlink[work[-1][0]] = min(lowlink[work[-1][0]], lowlink[module])
                if lowlink[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return sorted(groups, key=lambda group: (-len(group), group))


def loop_through(graph: grimp.ImportGraph, group: list[str]) -> list[str]:
    """One shortest loop from the group's first module back to itself, as the chain of modules."""
    first = group[0]
    best: list[str] = []
    for imported in sorted(graph.find_modules_directly_imported_by(first) & set(group)):
        back = graph.find_shortest_chain(importer=imported, imported=first)
        if back and (not best or len(back) + 1 < len(best)):
            best = [first, *back]
    return best


def import_lines(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    return ", ".join(f"line {detail['line_number']}" for detail in details)


def report_cycles(roots: list[str]) -> int:
    graph = grimp.build_graph(*roots, cache_dir=None)
    groups = import_cycles(graph)
    for group in groups:
        print(f"import cycle among {len(group)} modules: {', '.join(group)}")
        loop = loop_through(graph, group)
        for importer, imported in zip(loop, loop[1:], strict=False):
            print(f"    {importer} -> {imported} ({import_lines(graph, importer, imported)})")
    modules = len(graph.modules)
    print(f"import-cycles: {len(groups)} cycle(s) among the {modules} modules of {', '.join(roots)}")
    return 1 if groups else 0


def application_files() -> Iterator[Path]:
    for folder in APPLICATION_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def deferred_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements inside a function or class body (module-level `if`/`try` blocks count as top)."""

    def walk(nodes: Iterable[ast.AST], nested: bool) -> Iterator[ast.Import | ast.ImportFrom]:
        for node in nodes:
            if _is_type_checking_block(node):
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                if nested:
                    yield node
                continue
            inner = nested or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
            yield from walk(ast.iter_child_nodes(node), inner)

    yield from walk(tree.body, nested=False)


def report_deferred() -> int:
    total = 0
    for path in application_files():
        source = path.read_text()
        lines = source.splitlines()
        found = list(deferred_imports(ast.parse(source, filename=str(path))))
        if not found:
            continue
        total += len(found)
        print(f"{path.relative_to(ROOT)}: {len(found)}")
        for node in found:
            line = lines[node.lineno - 1]
            reason = line.split("#", 1)[1].strip() if "#" in line else ""
            print(f"    {node.lineno}: {ast.unparse(node)}" + (f"  # {reason}" if reason else ""))
    print(f"deferred-imports: {total} import statement(s) inside functions or classes in application code")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/import_cycles.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--deferred", action="store_true", help="list imports made inside functions instead")
    parser.add_argument("roots", nargs="*", help="root packages (default: [tool.importlinter] root_packages)")
    options = parser.parse_args(argv)
    if options.deferred:
        return report_deferred()
    return report_cycles(options.roots or configured_root_packages())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

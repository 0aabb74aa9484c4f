"""The shape of the code, enforced over the import graph: which package may import which, and that no function
grows past a readable size. What a cold start really loads, and failing fast without configuration, are checked
in real processes in ``tests/integration/test_cold_start.py``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from functions.shared.settings import PROJECT_ROOT

FUNCTIONS = PROJECT_ROOT / "functions"
HANDLERS = ("ingest", "match", "respond", "alerts")
# Tooling that runs on a developer's machine or at build time, never in a Lambda.
NOT_RUNTIME = ("functions.cli", "functions.curation", "functions.local")
BUILD_ONLY = ("aws_cdk", "yaml", "rapidfuzz")
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (a lazy import still ships with it)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


GRAPH = {module_name(p): imports_of(p) for p in sorted(FUNCTIONS.rglob("*.py"))}


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_import_graph_covers_the_whole_package() -> None:
    assert {"functions.ingest.handler", "functions.match.handler", "functions.respond.handler"} <= GRAPH.keys()
    assert "functions.shared.claims" in GRAPH["functions.respond.handler"]


@pytest.mark.parametrize("function", HANDLERS)
def test_functions_never_import_each_other(function: str) -> None:
    others = [f"functions.{o}" for o in HANDLERS if o != function]
    offending = {
        f"{module} imports {imported}"
        for module, imported_modules in GRAPH.items()
        if within(module, f"functions.{function}")
        for imported in imported_modules
        if any(within(imported, other) for other in others)
    }
    assert not offending, "functions talk through queues and shared models only:\n" + "\n".join(sorted(offending))


def test_only_the_local_runtime_and_the_cli_import_the_local_runtime() -> None:
    offending = {
        f"{module} imports {imported}"
        for module, imported_modules in GRAPH.items()
        if not within(module, "functions.local") and not within(module, "functions.cli")
        for imported in imported_modules
        if within(imported, "functions.local")
    }
    assert not offending, "\n".join(sorted(offending))


def test_no_runtime_module_imports_build_time_packages() -> None:
    offending = {
        f"{module} imports {imported}"
        for module, imported_modules in GRAPH.items()
        if not any(within(module, tooling) for tooling in NOT_RUNTIME)
        for imported in imported_modules
        if any(within(imported, package) for package in BUILD_ONLY)
    }
    assert not offending, "\n".join(sorted(offending))


def long_functions(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if "cdk.out" in path.parts or "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


@pytest.mark.parametrize("folder", ["functions", "infra"])
def test_no_function_is_longer_than_a_screen(folder: str) -> None:
    assert not long_functions(PROJECT_ROOT / folder), "split these:\n" + "\n".join(
        long_functions(PROJECT_ROOT / folder)
    )

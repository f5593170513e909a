"""No import circle anywhere: the project's modules form an import graph without cycles,
counting imports inside functions too, and none of the registrations app's modules hides
an import inside a function (apart from AppConfig.ready, where Django wants them).
Every registrations module also imports on its own in a fresh interpreter, leaves first."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", *settings.PROJECT_APPS)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    """The project's code: every module of its packages but their tests and migrations."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                continue
            modules[_module_name(path)] = path
    return modules


MODULES = _project_modules()


def _imported(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> set[str]:
    """The project modules an import statement names (`from pkg import mod` names pkg.mod,
    `from pkg.mod import name` names pkg.mod)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:  # relative: resolve against this module's package
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    found = set()
    for name in names:
        # The deepest project module the dotted name lies in.
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[module] = {
            target
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in _imported(node, module, path)
        }
    return graph


def _imports_inside_functions(path: Path, module: str) -> list[str]:
    """First-party imports made inside a function, except in an AppConfig's ready()."""
    tree = ast.parse(path.read_text(), filename=str(path))
    hidden = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready" and path.name == "apps.py":
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                hidden += [f"{function.name}() imports {target}" for target in sorted(_imported(node, module, path))]
    return hidden


def test_the_graph_sees_the_modules_and_their_imports():
    # A guard for the tests below: they must see the modules and edges they reason about.
    assert {"registrations.outbox", "registrations.delivery", "registrations.emails", "library.emails"} <= set(MODULES)
    graph = _imports()
    assert {"registrations.invites", "registrations.tasks"} <= graph["registrations.outbox"]
    assert "registrations.delivery" in graph["registrations.tasks"]
    assert "registrations.emails" in graph["registrations.delivery"]
    assert "registrations.emails" in graph["library.emails"]
    # An import inside a function counts too: AppConfig.ready imports the email kinds.
    assert "registrations.email_kinds" in graph["registrations.apps"]


def test_the_import_graph_has_no_cycle():
    try:
        list(TopologicalSorter(_imports()).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_registrations_imports_nothing_inside_functions():
    hidden = {
        module: found
        for module, path in MODULES.items()
        if module.startswith("registrations.") and (found := _imports_inside_functions(path, module))
    }
    assert hidden == {}


def test_the_email_modules_import_in_layers():
    # invites and the builder know nothing of delivery or the outbox; delivery nothing of
    # the outbox; the outbox reaches delivery only through the Celery task it nudges.
    graph = _imports()
    assert not {"registrations.outbox", "registrations.delivery", "registrations.tasks"} & graph["registrations.emails"]
    assert (
        not {"registrations.outbox", "registrations.delivery", "registrations.emails"} & graph["registrations.invites"]
    )
    assert "registrations.outbox" not in graph["registrations.delivery"]
    assert "registrations.outbox" not in graph["registrations.tasks"]


def _import_alone(module: str) -> tuple[str, int, str]:
    code = f"import django; django.setup(); import importlib; importlib.import_module({module!r})"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    return module, result.returncode, result.stderr[-2000:]


@pytest.mark.slow
def test_every_registrations_module_imports_alone_in_a_fresh_interpreter():
    graph = _imports()
    order = [m for m in TopologicalSorter(graph).static_order() if m.startswith("registrations")]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(_import_alone, order))
    failures = [f"{module}:\n{stderr}" for module, code, stderr in results if code != 0]
    assert not failures, failures[0]

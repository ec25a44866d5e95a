"""The layering rules of docs/architecture.md, checked by scanning every import in the three packages.

Imports inside functions count too: a lazy import hides a dependency from import time, not from the
design. Each rule is a function of the import graph, so the tests below can also show that a forbidden
import added to the real graph is caught.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lms", "courses", "assessments")
# The one module allowed to know every feature: it composes their routers and loads their plugins.
COMPOSER = "lms.app"

Graph = dict[str, set[str]]
# Imports of a module's own names (functions, classes), as opposed to the module itself or its `router`:
# composing routers is how route modules fit together, sharing their helpers is what the rules forbid.
ROUTER = "router"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def scan() -> tuple[Graph, Graph]:
    """(every import, the imports that take names other than ``router`` out of a module).

    Keys and values are project modules; ``from pkg import sub`` counts as importing pkg.sub.
    """
    files = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    graph: Graph = {}
    names_from: Graph = {}
    for module, path in files.items():
        targets: set[str] = set()
        helpers: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [(alias.name, False) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path.name == "__init__.py", node)
                names = [
                    (f"{base}.{alias.name}", False) if f"{base}.{alias.name}" in files else (base, alias.name != ROUTER)
                    for alias in node.names
                ]
            else:
                continue
            for name, takes_a_name in names:
                # `import a.b.c` and `from a.b import c` (c a function) both depend on the deepest module.
                while name and name not in files:
                    name = name.rpartition(".")[0]
                if name and name != module:
                    targets.add(name)
                    if takes_a_name:
                        helpers.add(name)
        graph[module] = targets
        names_from[module] = helpers
    return graph, names_from


def _top(module: str) -> str:
    return module.split(".")[0]


def _is_route_module(module: str) -> bool:
    return module.rpartition(".")[2].endswith("routes")


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(graph: Graph, names_from: Graph) -> list[str]:
    found = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            edge = f"{source} -> {target}"
            if _top(source) == "lms" and source != COMPOSER and _top(target) in ("courses", "assessments"):
                found.append(f"{edge}: the platform may reach features only through lms/hooks.py")
            if _top(source) == "courses" and _top(target) == "assessments":
                found.append(f"{edge}: courses may not import assessments (assessments -> courses -> lms)")
            if _in(target, "lms.admin") and not _in(source, "lms.admin") and source != COMPOSER:
                found.append(f"{edge}: only lms/admin imports lms.admin; shared helpers belong in lms/web")
            if _is_route_module(source) and _is_route_module(target) and target in names_from.get(source, ()):
                found.append(
                    f"{edge}: a route module may not import another; move the shared code to a selectors, deps or pages module"
                )
    found += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return found


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(graph, component) for component in components]


def _one_cycle(graph: Graph, component: Iterable[str]) -> list[str]:
    """A concrete path through the component back to its start, for the failure message."""
    members = set(component)
    start = min(members)
    path, seen = [start], {start}
    node = start
    while True:
        nxt = sorted(t for t in graph[node] if t in members)
        if start in nxt and len(path) > 1:
            return path + [start]
        fresh = [t for t in nxt if t not in seen] or nxt
        node = fresh[0]
        if node in seen:
            return path[path.index(node) :] + [node]
        path.append(node)
        seen.add(node)


def with_import(scanned: tuple[Graph, Graph], source: str, target: str, *, name: str = "helper") -> tuple[Graph, Graph]:
    """The scanned graphs as if ``source`` said ``from target import name``."""
    graph, names_from = ({module: set(targets) for module, targets in g.items()} for g in scanned)
    graph.setdefault(source, set()).add(target)
    if name != ROUTER:
        names_from.setdefault(source, set()).add(target)
    return graph, names_from


def test_the_codebase_keeps_its_layers():
    problems = violations(*scan())
    assert not problems, "\n".join(problems)


def test_the_scan_sees_imports_inside_functions_and_from_packages():
    graph, _ = scan()
    # lms.cli loads the features inside a function; the scan must still see it.
    assert "lms.app" in graph["lms.cli"]
    # `from courses.authoring import selectors as sel` is an import of the module, not of the package.
    assert "courses.authoring.selectors" in graph["courses.authoring.routes"]


def test_a_forbidden_import_fails_the_gate():
    scanned = scan()
    cases = {
        ("lms.reports.routes", "courses.models"): "only through lms/hooks.py",
        ("courses.learning.service", "assessments.models"): "courses may not import assessments",
        ("lms.competences.selectors", "lms.admin.selectors"): "only lms/admin imports lms.admin",
        ("courses.files.routes", "courses.authoring.routes"): "a route module may not import another",
        ("lms.web.paging", "lms.jobs.selectors"): "import cycle",  # jobs.selectors already imports paging
    }
    for (source, target), message in cases.items():
        assert source in scanned[0] and target in scanned[0], (source, target)
        problems = violations(*with_import(scanned, source, target))
        assert any(message in problem and source in problem for problem in problems), (source, target, problems)


def test_the_composer_and_aggregating_routers_are_allowed():
    scanned = scan()
    assert not violations(*with_import(scanned, "lms.app", "assessments.quizzes.routes"))
    assert not violations(*with_import(scanned, "lms.admin.routes", "lms.audit.routes", name=ROUTER))

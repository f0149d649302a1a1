"""The architecture, checked: no import cycle between modules, and imports between subsystems flow one
way (handlers -> jobs -> lists, curation, papers; github and web are edges; lists and curation are pure).

Every import counts, including those inside functions and under TYPE_CHECKING: a lazy import is still
a dependency, and a cycle hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers")
BASE = "base"  # bot's top-level modules (settings, errors, logs, the shared cache) and bot.config

# The subsystems each subsystem may import (besides itself and the base modules).
ALLOWED: dict[str, set[str]] = {
    BASE: set(),
    "papers": set(),
    "lists": {"papers"},
    "curation": {"papers", "lists"},
    "github": set(),
    "jobs": {"papers", "lists", "curation", "github"},
    "handlers": {"jobs", "papers", "lists", "curation", "github"},
    "web": {"jobs", "github", "papers", "handlers"},
    "setup": {"github"},
    "cli": {"jobs", "papers", "lists", "curation", "github", "web", "setup", "handlers"},
    "main": {"cli"},
}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def subsystem(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "handlers":
        return "handlers"
    if module == "bot.__main__":
        return "main"
    if len(parts) == 2 or module == "bot" or parts[1] == "config":
        return BASE
    return parts[1]


def imports_of(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name


def graph() -> dict[str, set[str]]:
    known = modules()
    edges = {m: set(imports_of(m, p, known)) for m, p in known.items()}
    for m in edges:  # a package's __init__ is imported with any of its modules: not an edge to follow
        edges[m] = {t for t in edges[m] if not m.startswith(t + ".")}
    return edges


def test_every_subsystem_is_known() -> None:
    unknown = {subsystem(m) for m in modules()} - set(ALLOWED)
    assert not unknown, f"subsystems with no rule in ALLOWED: {sorted(unknown)}"


def test_imports_flow_one_way() -> None:
    wrong = sorted(
        f"{source} -> {target}"
        for source, targets in graph().items()
        for target in targets
        if subsystem(target) not in {subsystem(source), BASE} | ALLOWED[subsystem(source)]
    )
    assert not wrong, "imports against the architecture:\n" + "\n".join(wrong)


def test_base_modules_import_no_subsystem() -> None:
    wrong = sorted(f"{s} -> {t}" for s, ts in graph().items() if subsystem(s) == BASE
                   for t in ts if subsystem(t) != BASE)
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("package", sorted(m for m, p in modules().items() if p.name == "__init__.py"
                                           and m.count(".") >= 1))
def test_each_subpackage_says_what_it_is_for(package: str) -> None:
    doc = ast.get_docstring(ast.parse(modules()[package].read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 5, f"{package}/__init__.py needs a docstring naming its role"


def test_modules_stay_small() -> None:
    big = sorted(f"{m}: {n} lines" for m, p in modules().items()
                 if (n := len(p.read_text(encoding="utf-8").splitlines())) > 350)
    assert not big, "modules over 350 lines (split them):\n" + "\n".join(big)

"""Imports point one way: interfaces -> services -> domain packages -> reference data and core.

Every ``import`` of every module under ``src/critchem`` is read (also those inside functions
and under ``TYPE_CHECKING``: a lazy import is still a dependency). A module may import modules
of its own layer or below, never above; live code never imports evaluation code
(ground-truth generators, back-tests, scoring), which may import anything live.
"""

from __future__ import annotations

import ast
from pathlib import Path

import critchem

SOURCE = Path(critchem.__file__).resolve().parent

LAYERS: dict[str, tuple[str, ...]] = {
    "core": ("core", "spreadsheet"),
    "reference data": ("nomenclature", "molecules", "events"),
    "domain": (
        "accounts",
        "alliance",
        "carbon",
        "criticality",
        "evidence",
        "investment",
        "notify",
        "production",
        "reports",
        "surveillance",
        "trade",
    ),
    "services": ("services",),
    "interfaces": ("api", "web", "cli", "toolkit", "__init__"),
}
"""Top-level modules and packages of ``critchem`` by layer, lowest first."""
RANK = {name: rank for rank, names in enumerate(LAYERS.values()) for name in names}
LAYER_NAMES = list(LAYERS)

EVALUATION: tuple[str, ...] = ("critchem.evaluation",)
"""Evaluation code: imported by tests, benchmarks and other evaluation code only."""


def _module_name(path: Path) -> str:
    parts = ("critchem", *path.relative_to(SOURCE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, imported module or name)`` of every absolute ``critchem`` import in ``path``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "critchem"]


def _top(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_evaluation(name: str) -> bool:
    return any(name == e or name.startswith(f"{e}.") for e in EVALUATION)


def _modules() -> list[tuple[str, Path]]:
    return sorted((_module_name(p), p) for p in SOURCE.rglob("*.py"))


def test_every_top_level_module_has_a_layer() -> None:
    tops = {_top(name) for name, _ in _modules() if not _is_evaluation(name)}
    assert tops - set(RANK) == set(), "give the new package a layer in LAYERS"
    assert set(RANK) - tops == set(), "a package in LAYERS no longer exists"


def test_imports_never_point_up_a_layer() -> None:
    upward: list[str] = []
    for name, path in _modules():
        if _is_evaluation(name):
            continue
        rank = RANK[_top(name)]
        for line, imported in _imports(path):
            target = _top(imported)
            if target in RANK and RANK[target] > rank:
                upward.append(
                    f"{path.relative_to(SOURCE.parent)}:{line}: {LAYER_NAMES[rank]} module "
                    f"imports {imported} ({LAYER_NAMES[RANK[target]]})"
                )
    assert upward == []


def test_live_code_never_imports_evaluation_code() -> None:
    offending = [
        f"{path.relative_to(SOURCE.parent)}:{line}: imports {imported}"
        for name, path in _modules()
        if not _is_evaluation(name)
        for line, imported in _imports(path)
        if _is_evaluation(imported)
    ]
    assert offending == []


def test_the_checker_sees_an_upward_and_an_evaluation_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from critchem import services\n"
        "def f() -> None:\n"
        "    from critchem.evaluation.backtest import replay_detector\n",
        encoding="utf-8",
    )
    imports = _imports(module)
    assert imports == [
        (1, "critchem.services"),
        (3, "critchem.evaluation.backtest.replay_detector"),
    ]
    assert RANK[_top(imports[0][1])] > RANK["trade"]
    assert _is_evaluation(imports[1][1])


def test_no_two_packages_import_each_other() -> None:
    """Below the interfaces, imports between packages of one layer point one way too.

    The interfaces are one application: the app factory (``api.app``) mounts the web pages,
    which take the API's request dependencies (``api.deps``, ``api.security``).
    """
    graph: dict[str, set[str]] = {}
    for name, path in _modules():
        if _is_evaluation(name) or RANK[_top(name)] == RANK["api"]:
            continue
        source = _top(name)
        for _, imported in _imports(path):
            target = _top(imported)
            if target != source and target in RANK and not _is_evaluation(imported):
                graph.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
        return False

    cycles = sorted(
        f"{a} <-> {b}" for a, targets in graph.items() for b in targets if a < b and reaches(b, a)
    )
    assert cycles == []

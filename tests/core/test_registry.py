"""One registry mechanism for every plug-in family, checked the same way for each family."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import critchem
from critchem.core.errors import NotFoundError
from critchem.core.registry import Registry
from critchem.criticality.registry import METHODOLOGIES
from critchem.evidence.base import FAMILIES
from critchem.investment.rules import RULES
from critchem.surveillance.registry import DETECTORS
from critchem.trade.sources import SOURCES

REGISTRIES: dict[str, Registry[Any]] = {
    "detectors": DETECTORS,
    "methodologies": METHODOLOGIES,
    "indicator families": FAMILIES,
    "trade sources": SOURCES,
    "eligibility rules": RULES,
}
SHIPPED = {
    "detectors": {"import_surge", "cusum", "structural_break"},
    "methodologies": {"eu-crm", "cca"},
    "indicator families": {"trade", "production_sites"},
    "trade sources": {"comext_bulk", "baci", "canonical"},
    "eligibility rules": {"availability", "cumulation"},
}


@dataclass(frozen=True)
class Plugin:
    name: str


@pytest.mark.parametrize("family", list(REGISTRIES))
def test_every_family_registers_its_shipped_plugins_by_name(family: str) -> None:
    registry = REGISTRIES[family]
    assert isinstance(registry, Registry)
    assert SHIPPED[family] <= set(registry)
    for name, plugin in registry.items():
        assert plugin.name == name


@pytest.mark.parametrize("family", list(REGISTRIES))
def test_every_family_names_the_known_plugins_of_an_unknown_name(family: str) -> None:
    registry = REGISTRIES[family]
    with pytest.raises(NotFoundError, match="no-such-plugin") as error:
        registry.lookup("no-such-plugin")
    assert error.value.suggestions == sorted(registry)
    name = next(iter(registry))
    assert registry.register(registry[name]) is registry[name]  # the same again: no change


def test_register_keeps_order_refuses_duplicates_and_restores() -> None:
    loads: list[int] = []

    def builtins() -> list[Plugin]:
        loads.append(1)
        return [Plugin("b"), Plugin("a")]

    registry = Registry[Plugin]("example", builtins=builtins)
    assert loads == []  # nothing happens before first use
    assert list(registry) == ["b", "a"] and loads == [1]
    with registry.restored():
        registry.register(Plugin("c"))
        registry.register(Plugin("a"), replace=True)
        assert list(registry) == ["b", "a", "c"]
    assert list(registry) == ["b", "a"]
    with pytest.raises(ValueError, match="a example named 'a' is already registered"):
        registry.register(Plugin("a"))
    with pytest.raises(ValueError, match="has no name"):
        registry.register(Plugin(""))
    assert len(registry) == 2 and loads == [1]


def test_a_check_refuses_a_plugin_before_it_is_added() -> None:
    def no_z(plugin: Plugin, others: object) -> None:
        if plugin.name.startswith("z"):
            raise ValueError(f"{plugin.name}: no z")

    registry = Registry[Plugin]("example", check=no_z)
    with pytest.raises(ValueError, match="zed: no z"):
        registry.register(Plugin("zed"))
    assert "zed" not in registry


def test_no_family_keeps_a_registry_of_its_own() -> None:
    """A module-level ``*REGISTRY`` dict or a ``register`` that fills one is a second mechanism."""
    source = Path(critchem.__file__).resolve().parent
    own: list[str] = []
    for path in sorted(source.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = (
                [node.target]
                if isinstance(node, ast.AnnAssign)
                else node.targets
                if isinstance(node, ast.Assign)
                else []
            )
            own += [
                f"{path.relative_to(source)}: {ast.unparse(t)}"
                for t in targets
                if ast.unparse(t).upper().endswith("REGISTRY")
            ]
            if (
                isinstance(node, ast.FunctionDef)
                and node.name == "register"
                and ".register(" not in ast.unparse(node)
            ):
                own.append(f"{path.relative_to(source)}: def register")
    assert own == []

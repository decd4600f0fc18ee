"""The registry of criticality methodologies: ``register``, ``get_methodology``, ``methodologies``.

Apart from :mod:`critchem.criticality.base` so that the base class does not import the
methodologies that subclass it; the shipped ones are registered on first use.
"""

from __future__ import annotations

from typing import Any

from critchem.core.errors import MethodologyError, UnknownMethodologyError
from critchem.core.registry import Registry
from critchem.criticality.base import Methodology


def _builtins() -> tuple[type[Methodology[Any]], ...]:
    from critchem.criticality.methodologies import BUILTIN

    return BUILTIN


METHODOLOGIES: Registry[type[Methodology[Any]]] = Registry(
    "methodology",
    builtins=_builtins,
    duplicate=MethodologyError,
    not_found=UnknownMethodologyError,
)
"""The methodology classes by name (the built-in ones registered on first use)."""


def register(cls: type[Methodology[Any]]) -> type[Methodology[Any]]:
    """Register a methodology class under its ``name`` (usable as a decorator)."""
    return METHODOLOGIES.register(cls)


def methodologies() -> list[str]:
    """The names of the registered methodologies."""
    return sorted(METHODOLOGIES)


def get_methodology(name: str) -> Methodology[Any]:
    """A methodology by name, with its shipped spec validated.

    >>> m = get_methodology("eu-crm")
    >>> m.name, m.spec.threshold("sr"), m.spec.threshold("ei")
    ('eu-crm', 1.0, 2.8)
    """
    return METHODOLOGIES.lookup(name)()

"""The molecule registry, the CAS ⇄ CN8 ⇄ HS6 mapping and the resolver."""

from critchem.molecules.mapping import CodeLink, Mapping, load_mapping
from critchem.molecules.registry import Molecule, Registry, load_registry, parse_registry
from critchem.molecules.resolver import (
    ExternalCompound,
    Match,
    Resolver,
    default_resolver,
    lookup_external,
    normalise_name,
)

__all__ = [
    "CodeLink",
    "ExternalCompound",
    "Mapping",
    "Match",
    "Molecule",
    "Registry",
    "Resolver",
    "default_resolver",
    "load_mapping",
    "load_registry",
    "lookup_external",
    "normalise_name",
    "parse_registry",
]

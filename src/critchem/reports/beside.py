"""Hazard and regulatory status of the assessed materials, for the report's table beside the verdict.

A material is looked up in the molecule registry by id (the ``cca`` inputs use registry ids); a
material outside the registry gets no row. The status never enters the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from critchem.molecules import load_registry
from critchem.molecules.hazard import RegulatoryEntry, clp_classes, clp_of, regulatory_of


@dataclass(frozen=True, slots=True)
class BesideRow:
    """The hazard and regulatory status of one assessed material."""

    material: str
    name: str
    clp: tuple[str, ...]
    regulatory: tuple[RegulatoryEntry, ...]


def beside_rows(materials: list[str]) -> list[BesideRow]:
    """One row per material that is a registry molecule, in the order given."""
    registry = load_registry()
    rows: list[BesideRow] = []
    for material in materials:
        if material not in registry:
            continue
        molecule = registry.get(material)
        rows.append(
            BesideRow(
                material=material,
                name=molecule.name,
                clp=tuple(clp_classes(clp_of(material))),
                regulatory=regulatory_of(material),
            )
        )
    return rows

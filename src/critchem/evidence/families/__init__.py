"""The indicator family modules the evidence builder imports, one module per family.

To add a family, write ``families/<name>.py`` with a class decorated by
:func:`critchem.evidence.base.register` and add its module name to ``MODULES`` (one line).
"""

MODULES: tuple[str, ...] = (
    # one line per family module, imported lazily by the builder
    "critchem.evidence.families.trade",
    "critchem.evidence.families.world_exports",
    "critchem.evidence.families.production_sites",
    "critchem.evidence.families.prodcom",
    "critchem.evidence.families.value_added",
    "critchem.evidence.families.energy_cost",
    "critchem.evidence.families.substitutability",
)
"""Module names imported by :func:`critchem.evidence.base.load_families`."""

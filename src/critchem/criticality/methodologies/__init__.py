"""The methodologies critchem ships, one module each, listed in ``BUILTIN`` for the registry."""

from critchem.criticality.methodologies.eu_crm import EuCrm

BUILTIN = (EuCrm,)
"""The built-in methodology classes, registered on first use of the registry."""

__all__ = ["BUILTIN", "EuCrm"]

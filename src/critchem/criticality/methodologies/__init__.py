"""The methodologies critchem ships, one module each, listed in ``BUILTIN`` for the registry."""

from critchem.criticality.methodologies.cca import Cca
from critchem.criticality.methodologies.eu_crm import EuCrm

BUILTIN = (EuCrm, Cca)
"""The built-in methodology classes, registered on first use of the registry."""

__all__ = ["BUILTIN", "Cca", "EuCrm"]

"""The evidence base: every criticality input computed from data, with its provenance.

Indicator families (:mod:`critchem.evidence.families`) compute one :class:`EvidenceValue`
per molecule, indicator and year; the builder keeps them as a versioned evidence table.
"""

from critchem.evidence.base import (
    FAMILIES,
    STATUSES,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    load_families,
    missing,
    register,
)

__all__ = [
    "FAMILIES",
    "STATUSES",
    "EvidenceContext",
    "EvidenceValue",
    "IndicatorFamily",
    "Provenance",
    "load_families",
    "missing",
    "register",
]

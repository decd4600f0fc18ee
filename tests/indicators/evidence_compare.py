"""Comparing two evidence builds, and the miniature files they are built from."""

from __future__ import annotations

import math
from pathlib import Path

from critchem.evidence.base import EvidenceValue
from critchem.evidence.table import EvidenceTable

DATA = Path(__file__).parent.parent / "evidence" / "data"
MOLECULES = ["ethylene", "butadiene", "isoprene", "isobutylene", "benzene", "toluene"]


def same_values(one: EvidenceTable, other: EvidenceTable) -> None:
    """The two builds hold the same rows: every field equal, numbers to 1e-12 (a sum may add
    the same values in another order on another engine)."""
    assert [(v.molecule, v.indicator) for v in one.values] == [
        (v.molecule, v.indicator) for v in other.values
    ]
    for a, b in zip(one.values, other.values, strict=True):
        assert _fields(a) == _fields(b), a.molecule + " " + a.indicator
        if isinstance(a.value, float) and isinstance(b.value, float):
            assert math.isclose(a.value, b.value, rel_tol=1e-12), (a, b)
        else:
            assert a.value == b.value, (a, b)


def _fields(value: EvidenceValue) -> tuple[object, ...]:
    return (value.status, value.source, value.years, value.codes, value.note, value.provenance)

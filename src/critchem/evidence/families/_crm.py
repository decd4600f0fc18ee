"""Registry elements that the EU critical raw materials study assessed as the same substance.

``evidence/data/crm_same_substance.csv``: one row per registry molecule that is the same
element as a raw material of the study (silicon = silicon metal, helium, gallium ...), with the
study's published SR and EI. The figures are not ``cca`` inputs; the families use the list to
say, in a missing value's reason, that the study's own index or import reliance of this very
substance exists (see ``evidence/data/SOURCES.md``).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from critchem.core.errors import EvidenceError

SAME_SUBSTANCE = "crm_same_substance.csv"


@cache
def same_substance() -> dict[str, dict[str, str]]:
    """Registry molecules that are the same substance as a raw material of the EU critical
    raw materials study (element = element), with the study's published SR and EI; each row
    sourced, else refused with its line."""
    text = resources.files("critchem.evidence").joinpath("data", SAME_SUBSTANCE).read_text()
    out: dict[str, dict[str, str]] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        if not (row.get("source_url") or "").startswith("https://") or not row.get("checked"):
            raise EvidenceError(f"{SAME_SUBSTANCE}, line {line}: a row needs a source and its URL")
        out[row["molecule"]] = row
    return out

"""Registry elements that the EU critical raw materials study assessed as the same substance.

``evidence/data/crm_same_substance.csv`` names, per registry molecule that is the same element
as a raw material of the study (silicon = silicon metal, helium, gallium ...), the material's
key in ``criticality/data/eu_crm_published.csv`` and the study year. The study's published SR
and EI are read from that file, not copied. They are not ``cca`` inputs: the families use the
list to say, in a missing value's reason, that the study's own index or import reliance of
this very substance exists (see ``evidence/data/SOURCES.md``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from critchem.core.errors import EvidenceError

SAME_SUBSTANCE = "crm_same_substance.csv"


@dataclass(frozen=True, slots=True)
class StudyMaterial:
    """The study's material that is the same substance as a registry molecule."""

    molecule: str
    name: str
    """The study's name of the material (e.g. ``Silicon metal``)."""
    year: int
    sr: float
    ei: float
    source_url: str
    """Where the study's published SR and EI were read."""


def parse_same_substance(text: str, *, where: str = SAME_SUBSTANCE) -> dict[str, StudyMaterial]:
    """The rows of the list, each joined to the study's published results of its year; a row
    without its source, or naming a material the published results do not have, is refused
    with its line."""
    from critchem.criticality.published import published_results

    out: dict[str, StudyMaterial] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        if not (row.get("source_url") or "").startswith("https://") or not row.get("checked"):
            raise EvidenceError(f"{where}, line {line}: a row needs a source and its URL")
        try:
            year = int(row["crm_year"])
        except (KeyError, ValueError) as error:
            raise EvidenceError(f"{where}, line {line}: crm_year: {error}") from None
        found = published_results(year).get(row["crm_material"].strip())
        if found is None:
            raise EvidenceError(
                f"{where}, line {line}: {row['crm_material']!r} has no published result of "
                f"{year} in criticality/data/eu_crm_published.csv"
            )
        molecule = row["molecule"].strip()
        out[molecule] = StudyMaterial(
            molecule, found.name, year, found.sr, found.ei, found.transcription
        )
    return out


@cache
def same_substance() -> dict[str, StudyMaterial]:
    """The shipped list (see :func:`parse_same_substance`)."""
    text = resources.files("critchem.evidence").joinpath("data", SAME_SUBSTANCE).read_text()
    return parse_same_substance(text)

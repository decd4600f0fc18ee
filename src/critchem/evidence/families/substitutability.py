"""Substitutability of a molecule, from a sourced register of published substitution indices.

``substitutability`` (0..1, 1 = not substitutable) is read from
``evidence/data/substitutability.csv``: one row per molecule with the published index, its
range, the years, what it is based on and the source with its URL (see
``evidence/data/SOURCES.md``). The index of the ``cca`` rule follows the substitution index
of the European Commission (2017), *Methodology for establishing the EU list of critical raw
materials*, section 3.3: the substitutes' cost and performance, weighted by the end-use shares.

A molecule without a row is missing with the reason, saying exactly what is absent; no
default, no sector average and no raw-material index is used for a chemical. For an element
that the EU critical raw materials study assessed as the same substance
(``evidence/data/crm_same_substance.csv``: silicon = silicon metal, helium, gallium ...), the
study's own index would be this molecule's; the reason then says that it exists and was not
found in a readable copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from critchem.evidence.base import EvidenceContext, EvidenceValue, IndicatorFamily, register
from critchem.evidence.families._crm import same_substance
from critchem.evidence.families._published import (
    PublishedFigure,
    parse_published,
    published_values,
    shipped,
)

SUBSTITUTABILITY = "substitutability"
REGISTER = "substitutability.csv"
MEASURE = "basis"
"""The register's column saying what each index is based on."""
MISSING_REASON = (
    "no published substitution index for this molecule (evidence/data/substitutability.csv): "
    "the EU critical raw materials assessments publish substitution indices for raw materials "
    "(e.g. lithium, helium, phosphorus), not for chemicals, and no substitution assessment of "
    "this chemical with a checkable source was found; a raw material's index is not used"
)


def missing_reason(molecule: str) -> str:
    """Why ``substitutability`` is missing for ``molecule``, as precisely as known.

    >>> "Silicon metal" in missing_reason("silicon"), "Silicon" in missing_reason("ammonia")
    (True, False)
    """
    crm = same_substance().get(molecule)
    if crm is None:
        return MISSING_REASON
    return (
        f"no published substitution index in evidence/data/substitutability.csv: the EU "
        f"critical raw materials study {crm.year} assessed {crm.name}, the same substance, "
        f"and computed its substitution index SI_SR (published SR {crm.sr:g}, EI {crm.ei:g}), "
        f"but the per-material indices were not found in a readable copy (the transcription "
        f"read gives SR, EI and end-use shares only: {crm.source_url})"
    )


def parse_register(text: str, *, where: str = REGISTER) -> dict[str, PublishedFigure]:
    """The rows of the register; a row without a source, or outside 0..1, is refused with its line.

    >>> rows = parse_register(
    ...     "molecule,value,low,high,years,basis,source_url,source,checked\\n"
    ...     "x,0.9,0.85,0.95,2020,b,https://example.org,s,2026-01-01\\n"
    ... )
    >>> rows["x"].value, rows["x"].years
    (0.9, (2020,))
    >>> parse_register("molecule,value,low,high,years,basis,source_url,source,checked\\n"
    ...                "x,0.9,0.85,0.95,2020,b,,s,2026-01-01\\n")
    Traceback (most recent call last):
    ...
    critchem.core.errors.EvidenceError: substitutability.csv, line 2: a row needs a source and its URL
    """
    return parse_published(text, where=where, measure=MEASURE)


def _shipped() -> tuple[dict[str, PublishedFigure], str]:
    return shipped(REGISTER, MEASURE)


@register
class SubstitutabilityFamily(IndicatorFamily):
    """``substitutability`` from the sourced register of published substitution indices."""

    name: ClassVar[str] = "substitutability"
    indicators: ClassVar[tuple[str, ...]] = (SUBSTITUTABILITY,)

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """One value per molecule: the published index, or missing with the reason."""
        return published_values(
            SUBSTITUTABILITY,
            molecules,
            year,
            register=REGISTER,
            measure=MEASURE,
            missing_reason=missing_reason,
        )

"""Share of energy in the EU production cost, from published plant-level studies.

``energy_cost_share`` of a molecule is read from the sourced register
``evidence/data/energy_cost_share.csv`` (one row per molecule, with the published range, the
years and the source; see ``evidence/data/SOURCES.md``). A molecule without a row is missing
with the reason: no published share was found, and a sector average (NACE) is not used for one
molecule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from critchem.evidence.base import EvidenceContext, EvidenceValue, IndicatorFamily, register
from critchem.evidence.families._published import (
    PublishedFigure,
    parse_published,
    published_values,
    shipped,
)

ENERGY = "energy_cost_share"
REGISTER = "energy_cost_share.csv"
MEASURE = "measure"
"""The register's column saying what each share measures."""
MISSING_REASON = (
    "no published share of energy in the EU production cost of this "
    f"molecule (evidence/data/{REGISTER}); a NACE average is not used"
)


def parse_register(text: str, *, where: str = REGISTER) -> dict[str, PublishedFigure]:
    """The rows of the register; a row without a source, or out of range, is refused.

    >>> rows = parse_register(
    ...     "molecule,value,low,high,years,measure,source_url,source,checked\\n"
    ...     "x,0.5,0.4,0.6,2020,m,https://example.org,s,2026-01-01\\n"
    ... )
    >>> rows["x"].value, rows["x"].years
    (0.5, (2020,))
    """
    return parse_published(text, where=where, measure=MEASURE)


def load_register() -> dict[str, PublishedFigure]:
    """The shipped register (cached)."""
    return shipped(REGISTER, MEASURE)[0]


@register
class EnergyCostFamily(IndicatorFamily):
    """``energy_cost_share`` from the sourced register of published plant-level studies."""

    name: ClassVar[str] = "energy_cost"
    indicators: ClassVar[tuple[str, ...]] = (ENERGY,)

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """One value per molecule: the published share, or missing with the reason."""
        return published_values(
            ENERGY,
            molecules,
            year,
            register=REGISTER,
            measure=MEASURE,
            missing_reason=MISSING_REASON,
        )

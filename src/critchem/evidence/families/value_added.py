"""Economic importance from data: downstream value added and strategic sectors.

- ``downstream_va_meur``: ``Σ_s A_s · Q_s`` over the NACE divisions of the molecule's sourced
  end-use split (``A_s``) with the EU value added at factor cost of each division (``Q_s``):
  the figure the split's own source prints beside the share (the EU critical raw materials
  study's Appendix 6 gives both), else Eurostat's structural business statistics; see
  :func:`critchem.criticality.value_added.split_value_added`. A molecule without a sourced
  split, with a partial split, or whose split names a division without a sourced value
  added, is missing with the reason. The value-chain graph is used by the ``cca`` rule
  itself (a feedstock inherits ``δ`` times the importance of its products), so a product's
  value added is not added again here.
- ``strategic_sectors``: the number of strategic sectors (defence, health, energy, digital,
  mobility, agri-food) the molecule serves, from the molecule registry, whose curation and
  sources are described in ``molecules/data/SOURCES.md``; the sectors are named in the note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from critchem.core.errors import CritchemError
from critchem.evidence.base import (
    COMPUTED,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    missing,
    register,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from critchem.criticality.value_added import EndUse, SectorValueAdded

VA = "downstream_va_meur"
NO_SPLIT = (
    "no end-use split with a public source (criticality/data/value_added/end_use_splits.csv): "
    "the EU critical raw materials study publishes end-use shares by NACE division for raw "
    "materials, and a chemical is given its split only when it is the same substance (an "
    "element such as silicon); no producers' association split mapped to NACE divisions "
    "was found for this molecule"
)
SECTORS = "strategic_sectors"
STRATEGIC = ("defence", "health", "energy", "digital", "mobility", "agri-food")
"""The strategic sectors counted (the ``cca`` indicator's declared list)."""


@register
class ValueAddedFamily(IndicatorFamily):
    """Downstream value added (SBS × sourced end-use split) and strategic sectors."""

    name: ClassVar[str] = "value_added"
    indicators: ClassVar[tuple[str, ...]] = (VA, SECTORS)

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """One value per molecule and indicator; missing ones say why."""
        from critchem.criticality.value_added import load_end_uses, load_value_added

        sbs = load_value_added()
        splits = load_end_uses()
        registry = context.registry
        out: list[EvidenceValue] = []
        for molecule in molecules:
            out.append(_downstream(molecule, year, splits.get(molecule, ()), sbs))
            try:
                served = registry.get(molecule).sectors
            except CritchemError as error:
                out.append(missing(molecule, SECTORS, year, f"not in the registry ({error})"))
                continue
            strategic = [s for s in served if s in STRATEGIC]
            out.append(
                EvidenceValue(
                    molecule,
                    SECTORS,
                    year,
                    float(len(strategic)),
                    COMPUTED,
                    source="registry",
                    note=(", ".join(strategic) or "none of " + ", ".join(STRATEGIC))
                    + f" (molecule registry {registry.version}, molecules.yaml)",
                    provenance=Provenance(f"critchem molecule registry {registry.version}"),
                )
            )
        return out


def _downstream(
    molecule: str,
    year: int,
    uses: tuple[EndUse, ...],
    sbs: Mapping[str, SectorValueAdded],
) -> EvidenceValue:
    """``downstream_va_meur`` of one molecule from its sourced split, or missing with why."""
    from critchem.criticality.value_added import split_value_added

    if not uses:
        return missing(molecule, VA, year, NO_SPLIT, source="sbs")
    found = split_value_added(uses, sbs)
    if isinstance(found, str):
        return missing(molecule, VA, year, found, source="sbs")
    parts = []
    for nace, share in found.shares.items():
        q = found.value_added[nace]
        origin = (
            "value added printed beside the share"
            if nace in found.printed
            else f"{sbs[nace].year}, {sbs[nace].method}"
        )
        apps = ", ".join(u.application for u in uses if u.nace == nace and u.application)
        parts.append(
            f"{nace} {share:.0%} of use{f' ({apps})' if apps else ''} x {q:,.0f} M EUR ({origin})"
        )
    urls = sorted({u.source_url for u in uses})
    sbs_used = sorted(n for n in found.shares if n not in found.printed)
    datasets = []
    if found.printed:
        datasets.append("end-use split with value added by NACE: " + "; ".join(urls))
    if sbs_used:
        datasets.append("Eurostat SBS sbs_na_ind_r2 via Key figures on European business 2022")
    years = {u.year for u in uses} | {sbs[n].year for n in sbs_used}
    return EvidenceValue(
        molecule,
        VA,
        year,
        found.value_meur,
        COMPUTED,
        source="sbs" if not found.printed else "end_use_split",
        years=tuple(sorted(years)),
        codes=tuple(f"NACE {n}" for n in found.shares),
        note="; ".join(parts) + f"; split: {'; '.join(urls)}",
        provenance=Provenance(" + ".join(datasets)),
    )

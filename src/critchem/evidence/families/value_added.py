"""Economic importance from data: downstream value added and strategic sectors.

- ``downstream_va_meur``: ``Σ_s A_s · Q_s`` over the NACE divisions of the molecule's sourced
  end-use split (``A_s``) with the EU value added at factor cost of each division (``Q_s``,
  Eurostat structural business statistics), see :mod:`critchem.criticality.value_added`.
  A molecule without a sourced split, or whose split names a division without a sourced
  value added, is missing with the reason. The value-chain graph is used by the ``cca`` rule
  itself (a feedstock inherits ``δ`` times the importance of its products), so a product's
  value added is not added again here.
- ``strategic_sectors``: the number of strategic sectors (defence, health, energy, digital,
  mobility, agri-food) the molecule serves, from the molecule registry, whose curation and
  sources are described in ``molecules/data/SOURCES.md``; the sectors are named in the note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

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

VA = "downstream_va_meur"
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
        from critchem.criticality.value_added import (
            downstream_value_added,
            load_end_uses,
            load_value_added,
        )

        sbs = load_value_added()
        splits = load_end_uses()
        registry = context.registry
        out: list[EvidenceValue] = []
        for molecule in molecules:
            uses = splits.get(molecule, ())
            unknown = sorted({u.nace for u in uses if u.nace not in sbs})
            if not uses:
                out.append(
                    missing(
                        molecule,
                        VA,
                        year,
                        "no end-use split with a public source"
                        " (criticality/data/value_added/end_use_splits.csv)",
                        source="sbs",
                    )
                )
            elif unknown:
                out.append(
                    missing(
                        molecule,
                        VA,
                        year,
                        "no sourced value added for NACE " + ", ".join(unknown),
                        source="sbs",
                    )
                )
            else:
                shares = {u.nace: u.share for u in uses}
                value = downstream_value_added(shares, {n: sbs[n].value_added_meur for n in shares})
                years = tuple(sorted({sbs[n].year for n in shares}))
                note = "; ".join(
                    f"{n} {shares[n]:.0%} of use x {sbs[n].value_added_meur:,.0f} M EUR"
                    f" ({sbs[n].year}, {sbs[n].method}; split: {u.source_url})"
                    for n, u in ((u.nace, u) for u in uses)
                )
                out.append(
                    EvidenceValue(
                        molecule,
                        VA,
                        year,
                        value,
                        COMPUTED,
                        source="sbs",
                        years=years,
                        codes=tuple(f"NACE {n}" for n in shares),
                        note=note,
                        provenance=Provenance(
                            "Eurostat SBS sbs_na_ind_r2 via Key figures on European business 2022"
                        ),
                    )
                )
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

"""World export concentration from BACI (HS6), in the manner of CEPII's GeoDep.

``world_export_hhi`` = Σ_e s_e² over the exporters e of the molecule's HS6 codes in the
newest BACI year not after Y, s_e the exporter's share of world exports by value (the HHI
of Herfindahl 1950 and Hirschman 1945, applied to world supply as CEPII's GeoDep does).

A BACI slice in the store (e.g. the demo's two exporters) is not the world: below
:data:`MIN_EXPORTERS` exporters in the year the value is missing, with that reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from critchem.evidence.base import (
    COMPUTED,
    GROUP_UPPER_BOUND,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    missing,
    register,
)
from critchem.evidence.codes import code_weights
from critchem.evidence.store_reader import (
    distinct_reporters,
    file_hashes,
    load_ids,
    partition_files,
    partner_values,
    stored_sources,
)
from critchem.trade.indicators.formulas import hhi
from critchem.trade.schema import FLOW_EXPORT

SOURCE = "baci"
MIN_EXPORTERS = 100
"""Fewest exporters a BACI year must hold to count as the world (BACI has about 220)."""

LOOKBACK = 4
"""Years before Y searched for the newest BACI year (BACI is published about two years late)."""


@register
class WorldExports(IndicatorFamily):
    """Concentration of world exports of the molecule's HS6 codes (BACI)."""

    name = "world_exports"
    indicators = ("world_export_hhi",)

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """``world_export_hhi`` of every molecule, from the newest BACI year ≤ ``year``."""
        indicator = self.indicators[0]
        if context.source not in (None, SOURCE) or SOURCE not in stored_sources(context.store_root):
            reason = "no BACI flows in the trade store (fetch BACI for the world view)"
            if context.source not in (None, SOURCE):
                reason = f"world exports come from BACI, not from the source {context.source!r}"
            return [missing(m, indicator, year, reason) for m in molecules]
        used_year, files = None, []
        for candidate in range(year, year - LOOKBACK - 1, -1):
            files = partition_files(context.store_root, SOURCE, [candidate])
            if files:
                used_year = candidate
                break
        if used_year is None:
            reason = f"no BACI year between {year - LOOKBACK} and {year} in the trade store"
            return [missing(m, indicator, year, reason, source=SOURCE) for m in molecules]
        exporters = distinct_reporters(files, open_files=context.open_files)
        if exporters < MIN_EXPORTERS:
            reason = (
                f"the BACI flows of {used_year} in the store cover {exporters} exporters only, "
                f"not the world (at least {MIN_EXPORTERS} needed)"
            )
            return [missing(m, indicator, year, reason, source=SOURCE) for m in molecules]
        ids = load_ids(files)
        provenance = Provenance(SOURCE, ids, file_hashes(context.store_root, ids))
        weights = {m: code_weights(context.mapping.for_molecule(m), digits=6) for m in molecules}
        codes = sorted({c for w in weights.values() for c in w.weights})
        rows = partner_values(
            files,
            flow=FLOW_EXPORT,
            products=codes,
            reporters=None,
            by="reporter",
            open_files=context.open_files,
        )
        by_code: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for row in rows:
            if row.value is not None:
                by_code[row.product].append((row.partner, row.value))
        out = []
        for molecule in molecules:
            w = weights[molecule]
            totals: dict[str, float] = defaultdict(float)
            for code, weight in w.weights.items():
                for exporter, value in by_code.get(code, []):
                    totals[exporter] += value * weight
            total = sum(v for v in totals.values() if v > 0)
            if total <= 0:
                reason = f"no BACI exports of HS6 {', '.join(w.codes) or '-'} in {used_year}"
                out.append(missing(molecule, indicator, year, reason, source=SOURCE, codes=w.codes))
                continue
            note = (
                f"BACI {used_year}, HS6 of the CN8 codes read in the BACI nomenclature "
                f"({len(totals)} exporters)"
            )
            out.append(
                EvidenceValue(
                    molecule,
                    indicator,
                    year,
                    hhi(v / total for v in totals.values() if v > 0),
                    GROUP_UPPER_BOUND if w.upper_bound else COMPUTED,
                    source=SOURCE,
                    years=(used_year,),
                    codes=w.codes,
                    note="; ".join(n for n in (note, w.note) if n),
                    provenance=provenance,
                )
            )
        return out

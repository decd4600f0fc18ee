"""EU production sites and capacities from the public registers (never from member declarations).

For a molecule with a public register of its EU plants (``production/data/register_coverage.tsv``),
over the EU27 units of that register with a published capacity ``c_u`` (t/year):

* ``eu_producers`` = the number of distinct companies (as named by the source);
* ``eu_sites`` = the number of distinct units (plants);
* ``hhi_capacity_company`` = Σ_k s_k², s_k = Σ_{u of k} c_u / Σ_u c_u (Herfindahl 1950,
  Hirschman 1945, on capacity shares of companies k);
* ``hhi_eu_production`` = Σ_c s_c², s_c the share of Member State c in the EU capacity;
* ``closure_share`` = Σ_j C_j / Σ_u c_u over the closures j of the molecule in
  ``closures_2022_2026.csv`` announced in or before the year (announced or completed), C_j the
  capacity the closure's source publishes. If one such closure has no published capacity the
  share is missing, with the known lower bound in the note.

A molecule whose plants are listed only in part (``published_capacities.csv``) but whose EU total
capacity a source publishes (``production/data/eu_capacity_totals.csv``) gets ``closure_share``
over that published total; its counts and concentrations stay ``missing``, with the share of the
total that the listed plants cover in the reason (a partial list gives no count nor HHI).

Companies are the operators as the source names them; group ownership is not consolidated.
A molecule without a register, or a year before the register's dates, is ``missing`` with the
reason: the confidential member declarations and the illustrative examples are never used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from critchem.evidence.base import (
    COMPUTED,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    missing,
    register,
)
from critchem.production.registers import (
    CLOSURES,
    Closure,
    PlantCapacity,
    closures,
    public_capacities,
    register_coverage,
    register_hash,
    register_rows,
)
from critchem.production.totals import EU_TOTALS, EuTotal, eu_totals
from critchem.trade.indicators.formulas import hhi

INDICATORS = ("eu_producers", "eu_sites", "hhi_capacity_company", "hhi_eu_production")
CLOSURE_SHARE = "closure_share"


@register
class ProductionSites(IndicatorFamily):
    """Producers, sites, capacity concentration and closures from the public registers."""

    name = "production_sites"
    indicators = (*INDICATORS, CLOSURE_SHARE)

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """The five indicators of every molecule in ``year`` (missing where no register covers)."""
        out: list[EvidenceValue] = []
        for molecule in molecules:
            out.extend(_molecule(molecule, year))
        return out


def _molecule(molecule: str, year: int) -> list[EvidenceValue]:
    announced = [c for c in closures(molecule) if c.eu27 and c.announced.year <= year]
    coverage = register_coverage().get(molecule)
    published = eu_totals().get(molecule)
    if coverage is None and published is not None:
        return _partial(molecule, year, announced, published)
    if coverage is None:
        reason = (
            "no public register of the EU plants of this molecule in the package "
            "(member declarations are confidential and not used)"
        )
        values = [missing(molecule, i, year, reason) for i in INDICATORS]
        values.append(missing(molecule, CLOSURE_SHARE, year, _no_total(announced)))
        return values
    load = register_rows(coverage.register)
    rows = [p for p in load.rows if p.molecule == molecule and p.eu27 and p.capacity_t]
    dates = sorted({p.as_of.year for p in rows})
    source = coverage.register
    if not rows or dates[0] > year:
        reason = (
            f"{source} dates from {'-'.join(str(y) for y in (dates[0], dates[-1]))}, after {year}"
            if rows
            else f"{source} lists no EU plant of {molecule} with a capacity"
        )
        return [
            missing(molecule, i, year, reason, source=source) for i in (*INDICATORS, CLOSURE_SHARE)
        ]
    provenance = Provenance(source, file_hashes=(register_hash(source),))
    total = sum(p.capacity_t or 0.0 for p in rows)
    note = f"{len(rows)} EU plants of {source} ({coverage.note})"
    figures = site_figures(rows)
    values = [
        EvidenceValue(
            molecule,
            indicator,
            year,
            figures[indicator],
            COMPUTED,
            source=source,
            years=tuple(dates),
            note=note,
            provenance=provenance,
        )
        for indicator in INDICATORS
    ]
    values.append(_closure_share(molecule, year, announced, total, source, tuple(dates)))
    return values


def _partial(
    molecule: str, year: int, announced: Sequence[Closure], total: EuTotal
) -> list[EvidenceValue]:
    """Counts and HHIs missing (a partial list), the closure share over the published total."""
    listed = [p for p in public_capacities(molecule) if p.eu27 and p.capacity_t]
    covered = sum(p.capacity_t or 0.0 for p in listed)
    reason = (
        f"the shipped registers list {len(listed)} EU units of {molecule} "
        f"({covered:,.0f} t/year, {covered / total.capacity_t:.0%} of the EU total of "
        f"{total.capacity_t:,.0f} t/year published in {total.as_of.text}, {total.source}): "
        "a partial list gives no count of producers nor concentration"
    )
    values = [missing(molecule, i, year, reason, source=EU_TOTALS) for i in INDICATORS]
    if total.as_of.year > year:
        why = f"the published EU total ({EU_TOTALS}) dates from {total.as_of.text}, after {year}"
        values.append(missing(molecule, CLOSURE_SHARE, year, why, source=EU_TOTALS))
        return values
    values.append(
        _closure_share(
            molecule,
            year,
            announced,
            total.capacity_t,
            EU_TOTALS,
            (total.as_of.year,),
            basis=f"the EU total published in {total.as_of.text} ({total.source})",
        )
    )
    return values


def site_figures(rows: Sequence[PlantCapacity]) -> dict[str, float]:
    """``eu_producers``, ``eu_sites`` and the two capacity HHIs of ``rows`` (equations above).

    >>> from critchem.production.registers import PlantCapacity, PublicDate
    >>> def unit(i, company, country, t):
    ...     return PlantCapacity("r", i, company, i, country, "", "ammonia", t, None,
    ...                          PublicDate(2023), "https://a")
    >>> figures = site_figures([unit("1", "A", "DE", 600.0), unit("2", "A", "NL", 200.0),
    ...                         unit("3", "B", "NL", 200.0)])
    >>> figures["eu_producers"], figures["eu_sites"]
    (2.0, 3.0)
    >>> round(figures["hhi_capacity_company"], 6), round(figures["hhi_eu_production"], 6)
    (0.68, 0.52)

    A 0.8² + 0.2² = 0.68 by company; DE 0.6² + NL 0.4² = 0.52 by Member State.
    """
    total = sum(p.capacity_t or 0.0 for p in rows)
    return {
        "eu_producers": float(len({p.company.casefold() for p in rows})),
        "eu_sites": float(len({p.id for p in rows})),
        "hhi_capacity_company": hhi(_shares(rows, lambda p: p.company.casefold(), total)),
        "hhi_eu_production": hhi(_shares(rows, lambda p: p.country, total)),
    }


def _shares(
    rows: Sequence[PlantCapacity], key: Callable[[PlantCapacity], str], total: float
) -> list[float]:
    sums: dict[str, float] = defaultdict(float)
    for p in rows:
        sums[key(p)] += p.capacity_t or 0.0
    return [v / total for v in sums.values()]


def _no_total(announced: Sequence[Closure]) -> str:
    reason = "no public EU capacity total for this molecule in the package"
    if announced:
        known = sum(c.capacity_t or 0.0 for c in announced)
        reason += (
            f"; {CLOSURES} lists {len(announced)} closure(s) announced by the year "
            f"({', '.join(c.id for c in announced)}), {known:,.0f} t/year with a published capacity"
        )
    return reason


def _closure_share(
    molecule: str,
    year: int,
    announced: Sequence[Closure],
    total: float,
    source: str,
    dates: tuple[int, ...],
    *,
    basis: str = "",
) -> EvidenceValue:
    both = f"{source} + {CLOSURES}"
    provenance = Provenance(both, file_hashes=(register_hash(source), register_hash(CLOSURES)))
    known = sum(c.capacity_t or 0.0 for c in announced)
    unknown = [c for c in announced if c.capacity_t is None]
    if unknown:
        reason = (
            f"closure(s) {', '.join(f'{c.id} ({c.company}, {c.site})' for c in unknown)} "
            f"without a published capacity; at least {known:,.0f} of {total:,.0f} t/year "
            f"({known / total:.1%})"
        )
        return missing(molecule, CLOSURE_SHARE, year, reason, source=both)
    listed = ", ".join(f"{c.id} {c.capacity_t:,.0f} t" for c in announced) or "none"
    return EvidenceValue(
        molecule,
        CLOSURE_SHARE,
        year,
        known / total,
        COMPUTED,
        source=both,
        years=dates,
        note=(
            f"closures announced by {year}: {listed}; over {total:,.0f} t/year of {basis or source}"
        ),
        provenance=provenance,
    )

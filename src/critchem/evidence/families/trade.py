"""Indicators of the EU's extra-EU imports, from Comext CN8 × partner flows in the store.

For each molecule, its CN8 codes are weighted as :mod:`critchem.evidence.codes` says (group
codes at their sourced share, else counted in full and marked as an upper bound), summed over
the 27 Member State reporters, and:

* ``hhi_extra_eu``: HHI = Σ s_i² over the known extra-EU origins i of year Y (fractions);
* ``gov_hhi_extra_eu``: Σ s_i² · WGI_i with the WGI 2023 rescaled 0..10 (European Commission
  2017, CRM Guidelines, section 3.2.1); an origin without WGI gets the median (noted);
* ``extra_eu_share``: extra-EU imports / all imports of the Member States (intra + extra);
* ``import_growth_3y``: G = M_extra(Y) / M_extra(Y−3) − 1, by value;
* ``top_supplier`` and ``top_supplier_share``: the largest known extra-EU origin in Y;
* ``top_supplier_persistence``: the fraction of the years Y−3..Y with known extra-EU imports
  in which the top supplier of Y was also the top supplier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from critchem.evidence.base import (
    COMPUTED,
    GROUP_UPPER_BOUND,
    SYNTHETIC,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    Value,
    missing,
    register,
)
from critchem.evidence.codes import CodeWeights, code_weights
from critchem.evidence.store_reader import (
    PartnerRow,
    file_hashes,
    load_ids,
    partition_files,
    partner_values,
    reporters_by_product,
    stored_sources,
)
from critchem.nomenclature.wgi_newest import WGI_EDITION, wgi_by_partner
from critchem.trade.indicators.formulas import governance_weighted_hhi, hhi
from critchem.trade.indicators.reference import (
    AGGREGATE,
    EXTRA,
    EXTRA_UNSPECIFIED,
    INTRA,
    INTRA_UNSPECIFIED,
    PartnerReference,
    partner_reference,
)
from critchem.trade.schema import FLOW_IMPORT

EU_IMPORT_SOURCES = ("comext_bulk", "comext_sdmx", "comext_extract", "synthetic")
"""Sources with EU Member State reporters, in order of preference (official first; an
annual extract of the bulk files after the full files)."""

SOURCE_NOTES = {
    "comext_extract": (
        "annual extract of the Comext bulk file: imports under the normal procedure only, "
        "partners of unknown origin (Q-codes) left out by the extract, so shares are of the "
        "imports of known origin"
    ),
}
"""What a source leaves out, said beside every indicator computed from it."""

PARTIAL_SOURCES = frozenset(SOURCE_NOTES)
"""Extracts whose Member State coverage per code is checked and said (their files are small)."""

WINDOW = 3
"""Years back for the growth and the persistence (Y−3 .. Y)."""

INDICATORS = (
    "hhi_extra_eu",
    "gov_hhi_extra_eu",
    "extra_eu_share",
    "import_growth_3y",
    "top_supplier",
    "top_supplier_share",
    "top_supplier_persistence",
)


def category(ref: PartnerReference, partner: str, kind: str) -> str:
    """The category of a partner seen from an EU reporter (see ``trade.indicators.reference``)."""
    if partner in ref.aggregates or kind == AGGREGATE:
        return AGGREGATE
    if partner in ref.eu27:
        return INTRA
    if partner in ref.intra_unspecified:
        return INTRA_UNSPECIFIED
    if partner in ref.extra_unspecified or kind in ("confidential", "non-geographic"):
        return EXTRA_UNSPECIFIED
    return EXTRA


@dataclass
class YearImports:
    """One molecule's weighted imports of one year, by partner category."""

    extra_known: dict[str, float] = field(default_factory=dict)
    extra_unknown: float = 0.0
    intra: float = 0.0
    aggregates_only: bool = True
    months: int = 0

    @property
    def extra_total(self) -> float:
        """All extra-EU imports, known and unknown origin."""
        return sum(self.extra_known.values()) + self.extra_unknown

    @property
    def top(self) -> tuple[str, float] | None:
        """The largest known extra-EU origin and its share of the known extra-EU imports."""
        known = {p: v for p, v in self.extra_known.items() if v > 0}
        if not known:
            return None
        partner = max(sorted(known), key=lambda p: known[p])
        return partner, known[partner] / sum(known.values())


def year_imports(
    rows: Sequence[PartnerRow], weights: CodeWeights, ref: PartnerReference
) -> dict[int, YearImports]:
    """Weighted imports of one molecule by year from its codes' partner rows."""
    out: dict[int, YearImports] = defaultdict(YearImports)
    for row in rows:
        weight = weights.weights.get(row.product)
        if weight is None or row.value is None:
            continue
        value = row.value * weight
        year = out[row.year]
        year.months = max(year.months, row.months)
        cat = category(ref, row.partner, row.partner_kind)
        if cat == AGGREGATE:
            continue
        year.aggregates_only = False
        if cat == EXTRA:
            year.extra_known[row.partner] = year.extra_known.get(row.partner, 0.0) + value
        elif cat == EXTRA_UNSPECIFIED:
            year.extra_unknown += value
        else:
            year.intra += value
    return dict(out)


@register
class ExtraEuImports(IndicatorFamily):
    """Concentration, share, growth and top supplier of the EU's extra-EU imports."""

    name = "trade"
    indicators = INDICATORS

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """The seven indicators of every molecule in ``year`` (see the module docstring)."""
        years = list(range(year - WINDOW, year + 1))
        present = stored_sources(context.store_root)
        wanted = [context.source] if context.source else list(EU_IMPORT_SOURCES)
        sources = [s for s in wanted if s in present and s in EU_IMPORT_SOURCES]
        wgi, median = wgi_by_partner()
        ref = partner_reference(wgi)
        weights = {m: code_weights(context.mapping.for_molecule(m)) for m in molecules}
        codes = sorted({c for w in weights.values() for c in w.weights})
        by_key: dict[tuple[str, str], list[PartnerRow]] = defaultdict(list)
        provenance: dict[str, Provenance] = {}
        coverage: dict[str, dict[tuple[str, int], frozenset[str]]] = {}
        for source in sources:
            files = partition_files(context.store_root, source, years)
            ids = load_ids(files)
            provenance[source] = Provenance(source, ids, file_hashes(context.store_root, ids))
            rows = partner_values(
                files,
                flow=FLOW_IMPORT,
                products=codes,
                reporters=ref.eu27,
                open_files=context.open_files,
            )
            for row in rows:
                by_key[(source, row.product)].append(row)
            if source in PARTIAL_SOURCES:
                coverage[source] = reporters_by_product(
                    files,
                    flow=FLOW_IMPORT,
                    products=codes,
                    reporters=ref.eu27,
                    open_files=context.open_files,
                )
        out: list[EvidenceValue] = []
        for molecule in molecules:
            found = self._molecule(
                molecule, year, weights[molecule], sources, by_key, provenance, ref, median
            )
            out.extend(_with_coverage(found, coverage, ref.eu27))
        return out

    def _molecule(
        self,
        molecule: str,
        year: int,
        weights: CodeWeights,
        sources: Sequence[str],
        by_key: dict[tuple[str, str], list[PartnerRow]],
        provenance: dict[str, Provenance],
        ref: PartnerReference,
        median: float,
    ) -> list[EvidenceValue]:
        codes = weights.codes
        if not codes:
            return [missing(molecule, i, year, "no CN8 code mapped") for i in INDICATORS]
        chosen: tuple[str, dict[int, YearImports]] | None = None
        for source in sources:
            rows = [r for c in codes for r in by_key.get((source, c), [])]
            by_year = year_imports(rows, weights, ref)
            current = by_year.get(year)
            if current is None:
                continue
            if chosen is None or (not current.aggregates_only and chosen[1][year].aggregates_only):
                chosen = (source, by_year)
            if not current.aggregates_only:
                break
        if chosen is None:
            looked = ", ".join(sources) or "none in the store"
            reason = (
                f"no EU import flows of {', '.join(codes)} in {year} in the trade store "
                f"(sources looked at: {looked})"
            )
            return [missing(molecule, i, year, reason, codes=codes) for i in INDICATORS]
        source, by_year = chosen
        values = _indicators(by_year, year, ref, median)
        status = (
            SYNTHETIC
            if source == "synthetic"
            else (GROUP_UPPER_BOUND if weights.upper_bound else COMPUTED)
        )
        out = []
        for indicator in INDICATORS:
            value, used_years, note = values[indicator]
            notes = "; ".join(n for n in (note, weights.note, SOURCE_NOTES.get(source, "")) if n)
            if value is None:
                out.append(missing(molecule, indicator, year, note, source=source, codes=codes))
                continue
            if source == "synthetic":
                notes = "; ".join(n for n in ("SYNTHETIC data, not a measurement", notes) if n)
            out.append(
                EvidenceValue(
                    molecule,
                    indicator,
                    year,
                    value,
                    status,
                    source=source,
                    years=tuple(used_years),
                    codes=codes,
                    note=notes,
                    provenance=provenance[source],
                )
            )
        return out


def _with_coverage(
    values: list[EvidenceValue],
    coverage: dict[str, dict[tuple[str, int], frozenset[str]]],
    eu27: Sequence[str],
) -> list[EvidenceValue]:
    """Say beside each value from a partial extract which Member States have no rows of its
    codes in its year (their imports are not in the totals)."""
    out = []
    for value in values:
        found = coverage.get(value.source)
        if found is None or value.value is None:
            out.append(value)
            continue
        by_code = {
            code: sorted(set(eu27) - found.get((code, value.year), frozenset()))
            for code in value.codes
        }
        absent = sorted({state for states in by_code.values() for state in states})
        if absent and all(states == absent for states in by_code.values()):
            said = f"no rows from {', '.join(absent)} in {value.year}: their imports are not in the totals"
        elif absent:
            parts = ", ".join(
                f"no rows of {code} from {', '.join(states)}"
                for code, states in by_code.items()
                if states
            )
            said = f"{parts} in {value.year}: those imports are not in the totals"
        if absent:
            value = replace(value, note="; ".join(n for n in (value.note, said) if n))
        out.append(value)
    return out


Computed = tuple[Value, list[int], str]


def _partial(year: int, months: int) -> str:
    """A note when a year is built from fewer than twelve monthly rows."""
    if not 0 < months < 12:
        return ""
    return f"{year} has only {months} month{'s' if months != 1 else ''} of data"


def _indicators(
    by_year: dict[int, YearImports], year: int, ref: PartnerReference, median: float
) -> dict[str, Computed]:
    """The indicator values (or None with the reason) from the yearly imports."""
    cur = by_year[year]
    out: dict[str, Computed] = {}
    partial = _partial(year, cur.months)
    known = {p: v for p, v in cur.extra_known.items() if v > 0}
    total_known = sum(known.values())
    if cur.aggregates_only:
        reason = (
            f"the flows of {year} have no partner breakdown (only aggregates such as WORLD, "
            "intra- and extra-EU together): extra-EU imports cannot be separated"
        )
        return {i: (None, [year], reason) for i in INDICATORS}
    if total_known > 0:
        fractions = [v / total_known for v in known.values()]
        unknown = cur.extra_unknown / (total_known + cur.extra_unknown)
        notes = [partial]
        if unknown > 0:
            notes.append(f"{unknown:.1%} of extra-EU imports have a confidential origin, left out")
        note = "; ".join(n for n in notes if n)
        out["hhi_extra_eu"] = (hhi(fractions), [year], note)
        scaled = [ref.wgi.get(p, median) for p in known]
        imputed = sorted(p for p in known if p not in ref.wgi)
        gov_note = f"governance: {WGI_EDITION}"
        if imputed:
            gov_note += f"; median WGI imputed for {', '.join(imputed)}"
        out["gov_hhi_extra_eu"] = (
            governance_weighted_hhi(fractions, scaled),
            [year],
            "; ".join(n for n in (note, gov_note) if n),
        )
        top = cur.top
        assert top is not None
        out["top_supplier"] = (top[0], [year], note)
        out["top_supplier_share"] = (top[1], [year], note)
    else:
        reason = f"no extra-EU imports with a known origin in {year}"
        for indicator in ("hhi_extra_eu", "gov_hhi_extra_eu", "top_supplier", "top_supplier_share"):
            out[indicator] = (None, [year], reason)
    all_imports = cur.extra_total + cur.intra
    if all_imports > 0:
        out["extra_eu_share"] = (cur.extra_total / all_imports, [year], partial)
    else:
        out["extra_eu_share"] = (None, [year], f"no imports in {year}")
    base = by_year.get(year - WINDOW)
    if base is None or base.extra_total <= 0:
        held = sorted(y for y, imp in by_year.items() if imp.extra_total > 0)
        out["import_growth_3y"] = (
            None,
            [year - WINDOW, year],
            f"no extra-EU imports in {year - WINDOW} to grow from: the store has extra-EU "
            f"imports of these codes for {', '.join(map(str, held))} only",
        )
    else:
        partial_base = _partial(year - WINDOW, base.months)
        out["import_growth_3y"] = (
            cur.extra_total / base.extra_total - 1.0,
            [year - WINDOW, year],
            "; ".join(n for n in ("by value", partial, partial_base) if n),
        )
    tops = {y: imp.top for y, imp in by_year.items() if year - WINDOW <= y <= year}
    seen = {y: t[0] for y, t in tops.items() if t is not None}
    if year in seen:
        same = sum(1 for p in seen.values() if p == seen[year])
        out["top_supplier_persistence"] = (
            same / len(seen),
            sorted(seen),
            f"{seen[year]} top supplier in {same} of {len(seen)} years with known extra-EU imports",
        )
    else:
        out["top_supplier_persistence"] = (None, [year], f"no known extra-EU origin in {year}")
    return out

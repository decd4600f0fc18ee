"""EU demand of a molecule in tonnes from the store: PRODCOM production and Comext trade.

Shared by the capacity timeline and the capacity-gap view. The formulas and what makes a
figure *sourced* are in :mod:`critchem.investment.demand`; this module reads the store:

* the PRODCOM files kept in ``<store>/prodcom`` (``critchem prodcom load``);
* the PRODCOM ⇄ CN8 correspondence (the setting ``prodcom_correspondence``, else the shipped
  one), which gives the headings that cover the molecule's CN8 codes (molecule registry);
* the trade store's annual (or summed monthly) EU27 extra-EU imports and exports of the CN8
  codes those headings cover, net mass in kg, from the official sources (Comext bulk first,
  then the Comext API, then the surveillance feed); the synthetic source never sources a
  demand.

Every figure carries the PRODCOM and CN codes, the SHA-256 of the PRODCOM files and of the
trade loads' source files, the trade load ids and the method version.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from critchem.investment.demand import DemandFigure, demand_from, not_sourced

DATASET = "Eurostat PRODCOM (DS-059358, sold production) and Comext (extra-EU trade, net mass)"
OFFICIAL_SOURCES = ("comext_bulk", "comext_sdmx", "surveillance")
"""Trade sources that may source a demand, official statistics first."""


def _plan(molecule: str, correspondence: Path | None) -> tuple[list[str], list[str], str] | str:
    """(PRODCOM codes, CN8 codes they cover, why it is an upper bound) or why there is none."""
    from critchem.core.errors import CritchemError
    from critchem.molecules import load_registry
    from critchem.production.prodcom import load_correspondence

    try:
        links = load_registry().get(molecule).codes
    except CritchemError as error:
        return f"not in the registry ({error})"
    own = sorted({link.cn8 for link in links})
    if not own:
        return "the molecule has no CN8 code in the mapping"
    table = load_correspondence(correspondence)
    heading = table.prodcom_for(own)
    uncovered = [c for c in own if not any(c in cns for cns in heading.values())]
    if uncovered:
        return (
            f"CN8 {', '.join(uncovered)} has no PRODCOM code in the PRODCOM-CN8 correspondence"
            f" ({Path(table.path).name})"
        )
    covered = sorted({c for code in heading for c in table.cn8_for(code)})
    why = []
    others = [c for c in covered if c not in own]
    if others:
        why.append(f"the PRODCOM headings also cover CN {', '.join(others)}")
    loose = sorted({f"{link.cn8} ({link.relation})" for link in links if link.relation != "exact"})
    if loose:
        why.append(f"CN codes not exactly the molecule: {', '.join(loose)}")
    return sorted(heading), covered, "; ".join(why)


def _trade(
    store_root: Path, molecule: str, covered: list[str], years: Sequence[int]
) -> tuple[dict[int, tuple[float | None, float | None]], str | None, str]:
    """Per year: extra-EU imports and exports (kg) over ``covered``; the source; or why not."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from critchem.core.errors import CritchemError
    from critchem.trade._layout import committed_files
    from critchem.trade.indicators import compute_indicators, connect

    files = [str(f) for f in committed_files(store_root)]
    if not files:
        return {}, None, "no trade in the store"
    mapping = pa.table({"molecule_id": [molecule] * len(covered), "product": covered})
    try:
        table = compute_indicators(
            connect("duckdb").read_parquet(files),
            level="molecule",
            mapping=mapping,
            reporter="EU27",
            freq="A",
            years=list(years),
        ).to_pyarrow()
    except CritchemError as error:
        return {}, None, f"no trade data: {error}"
    present = set(table.column("source").to_pylist())
    chosen = next((s for s in OFFICIAL_SOURCES if s in present), None)
    if chosen is None:
        why = (
            "trade of these codes only from the synthetic source"
            if present
            else f"no EU27 extra-EU trade of CN {', '.join(covered)} in the store"
        )
        return {}, None, why
    table = table.filter(pc.equal(table.column("source"), chosen))
    out: dict[int, tuple[float | None, float | None]] = {}
    for row in table.to_pylist():
        out[int(row["year"])] = (
            _mass(row["extra_import_value"], row["extra_import_net_mass_kg"]),
            _mass(row["extra_export_value"], row["extra_export_net_mass_kg"]),
        )
    return out, chosen, ""


def _mass(value: float | None, mass_kg: float | None) -> float | None:
    """The net mass of a flow; no flow at all is 0 kg, a flow without its mass is unknown.

    Comext records every declared flow: within a year that has the codes' trade, a direction
    without any row is no trade. A value without a net mass is not zero tonnes.

    >>> _mass(None, None), _mass(0.0, None), _mass(10.0, None), _mass(10.0, 2.0)
    (0.0, 0.0, None, 2.0)
    """
    if mass_kg is not None:
        return float(mass_kg)
    return 0.0 if not value else None


def sourced_demand(
    molecule: str,
    years: Sequence[int],
    *,
    store_root: Path,
    correspondence: Path | None = None,
) -> list[DemandFigure]:
    """The apparent consumption of ``molecule`` in each of ``years`` (t), or why not sourced."""
    from critchem.evidence.store_reader import file_hashes, load_ids, partition_files
    from critchem.production.prodcom import eu_production, load_parses

    parses = load_parses(store_root)
    if not parses:
        why = "no PRODCOM file in the store (fetch Eurostat PRODCOM DS-059358 and load it)"
        return [not_sourced(molecule, y, why) for y in years]
    plan = _plan(molecule, correspondence)
    if isinstance(plan, str):
        return [not_sourced(molecule, y, plan) for y in years]
    codes, covered, upper = plan
    labels = (*[f"PRODCOM {c}" for c in codes], *[f"CN {c}" for c in covered])
    trade, source, why_no_trade = _trade(store_root, molecule, covered, years)
    out: list[DemandFigure] = []
    for year in years:
        production = eu_production(parses, codes, year)
        ids: tuple[str, ...] = ()
        hashes: tuple[str, ...] = production.file_hashes
        if source is not None:
            ids = load_ids(partition_files(store_root, source, [year]))
            hashes = (*hashes, *file_hashes(store_root, ids))
        dataset = f"{DATASET}; trade: {source or 'none'}"
        if production.status != "computed":
            out.append(
                not_sourced(
                    molecule,
                    year,
                    production.note,
                    codes=labels,
                    dataset=dataset,
                    file_hashes=hashes,
                    load_ids=ids,
                )
            )
            continue
        flows = trade.get(year)
        if flows is None:
            why = why_no_trade or f"no EU27 extra-EU trade of CN {', '.join(covered)} in {year}"
            out.append(
                not_sourced(
                    molecule,
                    year,
                    why,
                    codes=labels,
                    dataset=dataset,
                    file_hashes=hashes,
                    load_ids=ids,
                )
            )
            continue
        out.append(
            demand_from(
                molecule,
                year,
                production_quantity=production.quantity,
                production_unit=production.unit,
                imports_kg=flows[0],
                exports_kg=flows[1],
                upper_bound_why=upper,
                codes=labels,
                dataset=dataset,
                file_hashes=hashes,
                load_ids=ids,
            )
        )
    return out

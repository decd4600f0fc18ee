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
from typing import TYPE_CHECKING

from critchem.investment.demand import DemandFigure, demand_from, not_sourced

if TYPE_CHECKING:
    from critchem.production.prodcom import ProdcomParse

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
    plan = load_correspondence(correspondence).headings_for(own)
    if isinstance(plan, str):
        return plan
    headings, covered = plan
    why = []
    others = [c for c in covered if c not in own]
    if others:
        why.append(f"the PRODCOM headings also cover CN {', '.join(others)}")
    loose = sorted({f"{link.cn8} ({link.relation})" for link in links if link.relation != "exact"})
    if loose:
        why.append(f"CN codes not exactly the molecule: {', '.join(loose)}")
    return headings, covered, "; ".join(why)


Trade = tuple[dict[int, tuple[float | None, float | None]], str | None, str]
"""Per year: extra-EU imports and exports (kg); the source chosen; or why there is none."""


def _trade(
    store_root: Path, covered: dict[str, list[str]], years: Sequence[int]
) -> dict[str, Trade]:
    """For each molecule, its extra-EU trade over its ``covered`` codes (see :data:`Trade`).

    One indicator query for all the molecules (the mapping names each molecule's codes, and
    the indicators are grouped by molecule, so each molecule's rows are those of a query on
    its codes alone): building and compiling the query costs seconds, running it little.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from critchem.core.errors import CritchemError
    from critchem.trade._layout import committed_files
    from critchem.trade.indicators import compute_indicators, connect

    files = [str(f) for f in committed_files(store_root)]
    if not files:
        return {m: ({}, None, "no trade in the store") for m in covered}
    mapping = pa.table(
        {
            "molecule_id": [m for m, codes in covered.items() for _ in codes],
            "product": [c for codes in covered.values() for c in codes],
        }
    )
    try:
        every = compute_indicators(
            connect("duckdb").read_parquet(files),
            level="molecule",
            mapping=mapping,
            reporter="EU27",
            freq="A",
            years=list(years),
        ).to_pyarrow()
    except CritchemError as error:
        return {m: ({}, None, f"no trade data: {error}") for m in covered}
    out: dict[str, Trade] = {}
    for molecule, codes in covered.items():
        table = every.filter(pc.equal(every.column("molecule_id"), molecule))
        present = set(table.column("source").to_pylist())
        chosen = next((s for s in OFFICIAL_SOURCES if s in present), None)
        if chosen is None:
            why = (
                "trade of these codes only from the synthetic source"
                if present
                else f"no EU27 extra-EU trade of CN {', '.join(codes)} in the store"
            )
            out[molecule] = ({}, None, why)
            continue
        table = table.filter(pc.equal(table.column("source"), chosen))
        flows: dict[int, tuple[float | None, float | None]] = {}
        for row in table.to_pylist():
            flows[int(row["year"])] = (
                _mass(row["extra_import_value"], row["extra_import_net_mass_kg"]),
                _mass(row["extra_export_value"], row["extra_export_net_mass_kg"]),
            )
        out[molecule] = (flows, chosen, "")
    return out


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
    return sourced_demands([molecule], years, store_root=store_root, correspondence=correspondence)[
        molecule
    ]


def sourced_demands(
    molecules: Sequence[str],
    years: Sequence[int],
    *,
    store_root: Path,
    correspondence: Path | None = None,
) -> dict[str, list[DemandFigure]]:
    """:func:`sourced_demand` of each of ``molecules``, their trade read in one query."""
    from critchem.production.prodcom import load_parses

    parses = load_parses(store_root)
    if not parses:
        why = "no PRODCOM file in the store (fetch Eurostat PRODCOM DS-059358 and load it)"
        return {m: [not_sourced(m, y, why) for y in years] for m in molecules}
    plans = {m: _plan(m, correspondence) for m in molecules}
    planned = {m: p for m, p in plans.items() if not isinstance(p, str)}
    trade = _trade(store_root, {m: p[1] for m, p in planned.items()}, years) if planned else {}
    loads: dict[tuple[str, int], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    out: dict[str, list[DemandFigure]] = {}
    for molecule, plan in plans.items():
        if isinstance(plan, str):
            out[molecule] = [not_sourced(molecule, y, plan) for y in years]
        else:
            out[molecule] = _figures(
                molecule,
                years,
                plan,
                trade[molecule],
                store_root=store_root,
                parses=parses,
                loads=loads,
            )
    return out


def _figures(
    molecule: str,
    years: Sequence[int],
    plan: tuple[list[str], list[str], str],
    found: Trade,
    *,
    store_root: Path,
    parses: Sequence[ProdcomParse],
    loads: dict[tuple[str, int], tuple[tuple[str, ...], tuple[str, ...]]],
) -> list[DemandFigure]:
    """The demand figures of one planned molecule, from its PRODCOM codes and its trade.

    ``loads`` keeps the load ids and file hashes of each (source, year) once read: they are
    the same for every molecule of that source and year.
    """
    from critchem.evidence.store_reader import file_hashes, load_ids, partition_files
    from critchem.production.prodcom import eu_production

    codes, covered, upper = plan
    labels = (*[f"PRODCOM {c}" for c in codes], *[f"CN {c}" for c in covered])
    trade, source, why_no_trade = found
    out: list[DemandFigure] = []
    for year in years:
        production = eu_production(parses, codes, year)
        ids: tuple[str, ...] = ()
        hashes: tuple[str, ...] = production.file_hashes
        if source is not None:
            if (source, year) not in loads:
                year_ids = load_ids(partition_files(store_root, source, [year]))
                loads[source, year] = (year_ids, file_hashes(store_root, year_ids))
            ids, trade_hashes = loads[source, year]
            hashes = (*hashes, *trade_hashes)
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

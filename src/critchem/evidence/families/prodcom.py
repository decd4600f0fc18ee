"""EU production from PRODCOM: import reliance, apparent consumption and the EU producer price.

For each molecule: its CN8 codes (registry mapping) → the PRODCOM codes that cover them
(PRODCOM ⇄ CN8 correspondence) → the EU27 sold production of those codes in the year
(PRODCOM files kept in the store, ``<store>/prodcom``) and the EU27's extra-EU imports and
exports of every CN8 code those PRODCOM codes cover (trade store), all in EUR:

- ``apparent_consumption_eur``: ``P + M − X`` (``prodcom.apparent_consumption``);
- ``import_reliance``: ``(M − X) / (P + M − X)`` in ``[0, 1]`` (``prodcom.import_reliance``);
- ``eu_producer_price``: ``PRODVAL / PRODQNT`` in EUR per PRODCOM unit
  (``prodcom.producer_price``).

A confidential PRODCOM figure makes the three values ``confidential`` ("confidential in
PRODCOM"), never filled. A PRODCOM heading or CN8 code that covers more than the molecule
(mapping relation ``group``, or a heading covering other CN8 codes too) gives the figure of
the whole group, marked ``group_upper_bound``. Trade from the synthetic source is marked
``synthetic``. Within a year where the store has trade of the codes, a flow direction without
any record counts as no trade (Comext records every declared flow); a year without any record
of the codes is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from critchem.core.errors import CritchemError
from critchem.evidence.base import (
    COMPUTED,
    CONFIDENTIAL,
    GROUP_UPPER_BOUND,
    SYNTHETIC,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    missing,
    register,
)

if TYPE_CHECKING:
    from critchem.production.prodcom import Correspondence, ProdcomParse

IR = "import_reliance"
PUBLISHED_IR = "import_reliance_published.csv"
"""The register of published import reliances (same measure), used when PRODCOM gives none."""
AC = "apparent_consumption_eur"
PRICE = "eu_producer_price"
DATASET = "Eurostat PRODCOM (DS-059358, sold production)"
SOURCE_PREFERENCE = ("comext_bulk", "comext_sdmx", "surveillance", "synthetic")
"""Trade sources in EUR with EU27 reporters, official statistics first."""


@register
class ProdcomFamily(IndicatorFamily):
    """Import reliance, apparent consumption and EU producer price from PRODCOM and Comext."""

    name: ClassVar[str] = "prodcom"
    indicators: ClassVar[tuple[str, ...]] = (IR, AC, PRICE)

    def __init__(self, *, correspondence: Path | None = None) -> None:
        """``correspondence``: a PRODCOM ⇄ CN8 file; default the setting
        ``prodcom_correspondence`` (``CRITCHEM_PRODCOM_CORRESPONDENCE``), else the shipped one."""
        self.correspondence_path = correspondence

    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """One value per molecule and indicator; missing ones say why."""
        from critchem.production.prodcom import load_correspondence, load_parses

        parses = load_parses(context.store_root)
        if not parses:
            reason = "no PRODCOM file in the store: fetch Eurostat PRODCOM (DS-059358) and load it"
            return _with_published(
                [
                    missing(m, i, year, reason, source="prodcom")
                    for m in molecules
                    for i in self.indicators
                ]
            )
        table = load_correspondence(
            self.correspondence_path or context.settings.prodcom_correspondence
        )
        out: list[EvidenceValue] = []
        plans = {m: self._plan(context, table, m) for m in molecules}
        trade, trade_source, trade_note = _trade(
            context, {m: p[1] for m, p in plans.items() if isinstance(p, tuple)}, year
        )
        loads = _trade_loads(context, trade_source, year)
        for molecule in molecules:
            plan = plans[molecule]
            if isinstance(plan, str):
                out += [missing(molecule, i, year, plan, source="prodcom") for i in self.indicators]
                continue
            out += self._values(
                molecule, year, plan, parses, trade.get(molecule), trade_source, trade_note, loads
            )
        return _with_published(out)

    def _plan(
        self, context: EvidenceContext, table: Correspondence, molecule: str
    ) -> tuple[list[str], list[str], bool] | str:
        """(PRODCOM codes, CN8 codes they cover, group?) or the reason there are none."""
        try:
            links = context.registry.get(molecule).codes
        except CritchemError as error:
            return f"not in the registry ({error})"
        own = sorted({link.cn8 for link in links})
        plan = table.headings_for(own)
        if isinstance(plan, str):
            return plan
        headings, covered = plan
        group = any(link.relation == "group" for link in links) or covered != own
        return headings, covered, group

    def _values(
        self,
        molecule: str,
        year: int,
        plan: tuple[list[str], list[str], bool],
        parses: Sequence[ProdcomParse],
        flows: tuple[float | None, float | None] | None,
        trade_source: str | None,
        trade_note: str,
        loads: tuple[tuple[str, ...], tuple[str, ...]],
    ) -> list[EvidenceValue]:
        from critchem.production.prodcom import (
            apparent_consumption,
            eu_production,
            import_reliance,
            producer_price,
        )

        codes, covered, group = plan
        production = eu_production(parses, codes, year)
        labels = (*[f"PRODCOM {c}" for c in codes], *[f"CN {c}" for c in covered])
        source = f"prodcom+{trade_source}" if trade_source else "prodcom"
        ids, hashes = loads
        provenance = Provenance(
            f"{DATASET}; trade: {trade_source or 'none'}",
            load_ids=ids,
            file_hashes=(*production.file_hashes, *hashes),
        )
        if production.status == "confidential":
            return [
                EvidenceValue(
                    molecule,
                    i,
                    year,
                    None,
                    CONFIDENTIAL,
                    source="prodcom",
                    years=(year,),
                    codes=labels,
                    note=production.note,
                    provenance=provenance,
                )
                for i in self.indicators
            ]
        if production.status != "computed":
            return [
                missing(molecule, i, year, production.note, source="prodcom", codes=labels)
                for i in self.indicators
            ]
        status = COMPUTED
        notes = [production.note]
        if group:
            status = GROUP_UPPER_BOUND
            notes.append(
                "group code: the figure is the whole group's (CN "
                + ", ".join(covered)
                + "), which covers more than the molecule"
            )
        if trade_source == "synthetic":
            status = SYNTHETIC
            notes.append("trade from the synthetic source")
        values: list[EvidenceValue] = []

        def emit(indicator: str, value: float | None, why: str, extra: str = "") -> None:
            if value is None:
                values.append(missing(molecule, indicator, year, why, source=source, codes=labels))
                return
            note = "; ".join([*notes, extra] if extra else notes)
            values.append(
                EvidenceValue(
                    molecule,
                    indicator,
                    year,
                    value,
                    status,
                    source=source,
                    years=(year,),
                    codes=labels,
                    note=note,
                    provenance=provenance,
                )
            )

        imports, exports = flows if flows is not None else (None, None)
        no_trade = trade_note or f"no extra-EU trade of CN {', '.join(covered)} in {year}"
        ir_value = import_reliance(production.value_eur, imports, exports)
        ac_value = apparent_consumption(production.value_eur, imports, exports)
        why = no_trade if flows is None else "apparent consumption is not positive"
        emit(IR, ir_value, why, "value basis (EUR); trade: extra-EU imports and exports")
        emit(AC, ac_value, no_trade, "EUR; P + M - X")
        unit = production.unit or "unit"
        emit(
            PRICE,
            producer_price(production.value_eur, production.quantity),
            f"no usable PRODCOM quantity for {', '.join(codes)} (one unit needed)",
            f"EUR per {unit}",
        )
        return values


def _trade_loads(
    context: EvidenceContext, source: str | None, year: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The trade store's load ids and source-file hashes of ``source`` in ``year``."""
    if source is None:
        return (), ()
    from critchem.evidence.store_reader import file_hashes, load_ids, partition_files

    ids = load_ids(partition_files(context.store_root, source, [year]))
    return ids, file_hashes(context.store_root, ids)


def _trade(
    context: EvidenceContext, covered: dict[str, list[str]], year: int
) -> tuple[dict[str, tuple[float | None, float | None]], str | None, str]:
    """Extra-EU imports and exports (EUR) per molecule over the CN8 codes its PRODCOM covers."""
    if not covered:
        return {}, None, ""
    import pyarrow as pa
    import pyarrow.compute as pc

    from critchem.trade.indicators.compute import compute_indicators

    rows = [(m, c) for m, codes in covered.items() for c in codes]
    mapping = pa.table({"molecule_id": [r[0] for r in rows], "product": [r[1] for r in rows]})
    try:
        table = compute_indicators(
            context.flows,
            level="molecule",
            mapping=mapping,
            reporter="EU27",
            freq="A",
            source=context.source,
            years=[year],
        ).to_pyarrow()
    except CritchemError as error:
        return {}, None, f"no trade data: {error}"
    table = table.filter(pc.equal(table.column("currency"), "EUR"))
    present = set(table.column("source").to_pylist())
    chosen = context.source or next((s for s in SOURCE_PREFERENCE if s in present), None)
    if chosen is None:
        return {}, None, f"no EU27 trade in EUR for {year} in the store"
    table = table.filter(pc.equal(table.column("source"), chosen))
    out: dict[str, tuple[float | None, float | None]] = {}
    for row in table.to_pylist():
        # Comext records every declared flow: within a year that has the molecule's trade, a
        # flow direction without any row is no trade (0), not an unknown.
        out[row["molecule_id"]] = (
            row["extra_import_value"] or 0.0,
            row["extra_export_value"] or 0.0,
        )
    return out, chosen, ""


def _with_published(values: list[EvidenceValue]) -> list[EvidenceValue]:
    """Each missing ``import_reliance`` replaced by the published figure of the register, if
    any; else its reason completed for the elements the EU critical raw materials study
    assessed (the study's figure exists and was not read). Confidential values stay."""
    from dataclasses import replace

    from critchem.evidence.families._crm import same_substance
    from critchem.evidence.families._published import shipped

    figures, digest = shipped(PUBLISHED_IR, "basis")
    crm = same_substance()
    out: list[EvidenceValue] = []
    for value in values:
        if value.indicator != IR or value.value is not None or value.status == CONFIDENTIAL:
            out.append(value)
            continue
        found = figures.get(value.molecule)
        if found is not None:
            out.append(
                EvidenceValue(
                    value.molecule,
                    IR,
                    value.year,
                    found.value,
                    COMPUTED,
                    source="register",
                    years=found.years,
                    note=(
                        f"published import reliance, {found.low:g}-{found.high:g} "
                        f"({found.measure}); {found.source}; {found.source_url}; checked "
                        f"{found.checked}; used because PRODCOM gives none: {value.note}"
                    ),
                    provenance=Provenance(f"evidence/data/{PUBLISHED_IR}", file_hashes=(digest,)),
                )
            )
            continue
        study = crm.get(value.molecule)
        if study is not None:
            value = replace(
                value,
                note=(
                    f"{value.note}; the EU critical raw materials study {study.year} "
                    f"publishes an import reliance for {study.name}, the same "
                    "substance, but it was not found in a readable copy (register "
                    f"evidence/data/{PUBLISHED_IR} has no row)"
                ),
            )
        out.append(value)
    return out

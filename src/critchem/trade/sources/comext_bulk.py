"""Eurostat Comext bulk files (``full_v2_YYYYMM.7z`` and the older ``fullYYYYMM`` layout).

Two layouts are read (see the Eurostat bulk download facility, ``comext/COMEXT_DATA/PRODUCTS``):

* current (v2): ``REPORTER,PARTNER,TRADE_TYPE,PRODUCT_NC,...,FLOW,STAT_PROCEDURE,SUPPL_UNIT,
  PERIOD,VALUE_EUR,VALUE_NAC,QUANTITY_KG,QUANTITY_SUPPL_UNIT``, reporters and partners as
  alpha-2 codes;
* older: ``DECLARANT,DECLARANT_ISO,PARTNER,PARTNER_ISO,...,FLOW,STAT_REGIME,SUPP_UNIT,PERIOD,
  VALUE_IN_EUROS,QUANTITY_IN_KG,SUP_QUANTITY``, with numeric geonomenclature codes beside the
  alpha-2 codes (both must agree when both are known).

Semantics: ``PERIOD`` ``YYYYMM`` is a month (freq ``M``) and ``YYYY52`` the annual total
(freq ``A``, stored apart and never to be added to the months); masked products
(``39XXXXXX``) are kept with ``product_masked``; Q-code partners are kept and labelled by
``partner_kind``; Greece is stored ``GR`` (``EL`` accepted); the product nomenclature is
``CN<year of the period>``; values are in euro; ``NO_SU`` means no supplementary unit (its
quantity is then null, not 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from critchem.trade.periods import Period, parse_comext_period
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT
from critchem.trade.sources._archive import read_header
from critchem.trade.sources._codes import (
    Resolved,
    by_code,
    by_geonom,
    classify_products,
    resolve,
)
from critchem.trade.sources._reader import DEFAULT_BLOCK_SIZE, Block, read_blocks
from critchem.trade.sources._vector import (
    NOT_A_NUMBER,
    Checks,
    Encoded,
    as_mask,
    constant,
    flows_batch,
    rejected_rows,
    to_number,
)
from critchem.trade.sources.base import ParsedBatch, TradeSource

V2_COLUMNS: tuple[str, ...] = (
    "REPORTER", "PARTNER", "TRADE_TYPE", "PRODUCT_NC", "PRODUCT_SITC", "PRODUCT_CPA21",
    "PRODUCT_CPA22", "PRODUCT_BEC", "PRODUCT_BEC5", "PRODUCT_SECTION", "FLOW",
    "STAT_PROCEDURE", "SUPPL_UNIT", "PERIOD", "VALUE_EUR", "VALUE_NAC", "QUANTITY_KG",
    "QUANTITY_SUPPL_UNIT",
)  # fmt: skip
"""Columns of the current (v2) bulk layout."""

OLD_COLUMNS: tuple[str, ...] = (
    "DECLARANT", "DECLARANT_ISO", "PARTNER", "PARTNER_ISO", "TRADE_TYPE", "PRODUCT_NC",
    "PRODUCT_SITC", "PRODUCT_CPA2002", "PRODUCT_CPA2008", "PRODUCT_CPA2_1", "PRODUCT_BEC",
    "PRODUCT_SECTION", "FLOW", "STAT_REGIME", "SUPP_UNIT", "PERIOD", "VALUE_IN_EUROS",
    "QUANTITY_IN_KG", "SUP_QUANTITY",
)  # fmt: skip
"""Columns of the older bulk layout."""

NO_UNIT = ("NO_SU", "")
"""``SUPPL_UNIT`` values that mean the product has no supplementary unit."""
TRADE_TYPES = ("I", "E", "")
FLOWS = (str(FLOW_IMPORT), str(FLOW_EXPORT))
PROCEDURES = ("1", "2", "3", "9")
"""Statistical procedures: 1 normal, 2 inward processing, 3 outward processing, 9 not recorded."""


@dataclass(frozen=True, slots=True)
class _Layout:
    columns: tuple[str, ...]
    reporter: str
    partner: str
    procedure: str
    suppl_unit: str
    value: str
    mass: str
    suppl: str
    reporter_iso: str | None = None
    partner_iso: str | None = None


V2 = _Layout(V2_COLUMNS, "REPORTER", "PARTNER", "STAT_PROCEDURE", "SUPPL_UNIT", "VALUE_EUR",
             "QUANTITY_KG", "QUANTITY_SUPPL_UNIT")  # fmt: skip
OLD = _Layout(OLD_COLUMNS, "DECLARANT", "PARTNER", "STAT_REGIME", "SUPP_UNIT", "VALUE_IN_EUROS",
              "QUANTITY_IN_KG", "SUP_QUANTITY", "DECLARANT_ISO", "PARTNER_ISO")  # fmt: skip


def _header_columns(header: str) -> tuple[str, ...]:
    return tuple(name.strip().strip('"') for name in header.split(","))


def _one_of(allowed: tuple[str, ...]) -> Callable[[str], int]:
    def convert(text: str) -> int:
        if text not in allowed:
            raise ValueError(text)
        return int(text)

    return convert


class ComextBulk(TradeSource):
    """Comext bulk ``.dat``/``.csv`` files or their ``.7z`` archives, both layouts."""

    name: ClassVar[str] = "comext_bulk"
    version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "Eurostat Comext bulk (full_v2_YYYYMM and older layout), EUR"

    def __init__(self, *, block_size: int = DEFAULT_BLOCK_SIZE) -> None:
        self.block_size = block_size

    def sniff(self, header: str) -> bool:
        """Whether the header is the v2 or the older bulk layout."""
        return _header_columns(header) in (V2_COLUMNS, OLD_COLUMNS)

    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Stream a bulk file (``.dat``, ``.csv``, ``.gz`` or ``.7z``) as canonical flows."""
        layout = OLD if _header_columns(read_header(path)) == OLD_COLUMNS else V2
        for block in read_blocks(path, layout.columns, block_size=self.block_size):
            yield self._convert(block, layout)

    def _geography(
        self, block: Block, checks: Checks, column: str, iso_column: str | None
    ) -> Resolved:
        """Resolve a reporter/partner column (numeric + ISO in the older layout)."""
        values = block.rows.column(column)
        if iso_column is None:
            found = resolve(Encoded.of(values), by_code())
            checks.add(found.unknown, column, values, "is not a known country or partner code")
            return found
        numeric = resolve(Encoded.of(pc.utf8_lpad(values, 3, "0")), by_geonom())
        iso_values = block.rows.column(iso_column)
        by_iso = resolve(Encoded.of(iso_values), by_code())
        checks.add(
            numeric.unknown & by_iso.unknown, column, values, f"and {iso_column} are both unknown"
        )
        conflict = as_mask(pc.not_equal(numeric.code, by_iso.code))
        checks.add(conflict, iso_column, iso_values, f"disagrees with {column} (numeric code)")
        return Resolved(
            pc.coalesce(numeric.code, by_iso.code),
            pc.coalesce(numeric.kind, by_iso.kind),
            numeric.unknown & by_iso.unknown,
            [],
        )

    def _convert(self, block: Block, layout: _Layout) -> ParsedBatch:
        rows = block.rows
        n = rows.num_rows
        checks = Checks(n)
        reporter = self._geography(block, checks, layout.reporter, layout.reporter_iso)
        checks.add(
            as_mask(pc.not_equal(reporter.kind, "country")),
            layout.reporter,
            rows.column(layout.reporter),
            "is not a country (reporters are Member States)",
        )
        partner = self._geography(block, checks, layout.partner, layout.partner_iso)

        trade_type = Encoded.of(rows.column("TRADE_TYPE"))
        checks.add(
            trade_type.rows([entry not in TRADE_TYPES for entry in trade_type.entries]),
            "TRADE_TYPE",
            trade_type.values,
            "is not I (intra-EU) or E (extra-EU)",
        )
        product = Encoded.of(rows.column("PRODUCT_NC"))
        masked, bad_product = classify_products(product)
        checks.add(
            bad_product, "PRODUCT_NC", product.values, "is not an 8-digit CN code or a masked code"
        )

        flow, bad_flow = Encoded.of(rows.column("FLOW")).convert(_one_of(FLOWS), pa.int8())
        checks.add(bad_flow, "FLOW", rows.column("FLOW"), "is not 1 (import) or 2 (export)")
        procedure_text = Encoded.of(rows.column(layout.procedure))
        procedure, bad_procedure = procedure_text.convert(_one_of(PROCEDURES), pa.int8())
        no_procedure = procedure_text.rows([entry == "" for entry in procedure_text.entries])
        checks.add(
            bad_procedure & ~no_procedure,
            layout.procedure,
            procedure_text.values,
            "is not a statistical procedure (1, 2, 3 or 9)",
        )
        period = Encoded.of(rows.column("PERIOD"))
        parsed = [_comext_period(entry) for entry in period.entries]
        checks.add(
            period.rows([p is None for p in parsed]),
            "PERIOD",
            period.values,
            "is not YYYYMM or YYYY52 (annual total)",
        )

        value, bad_value, negative_value = to_number(rows.column(layout.value))
        checks.add(bad_value, layout.value, rows.column(layout.value), NOT_A_NUMBER)
        checks.add(negative_value, layout.value, rows.column(layout.value), "is negative")
        mass, bad_mass, negative_mass = to_number(rows.column(layout.mass))
        checks.add(bad_mass, layout.mass, rows.column(layout.mass), NOT_A_NUMBER)
        checks.add(negative_mass, layout.mass, rows.column(layout.mass), "is negative")
        unit = Encoded.of(rows.column(layout.suppl_unit))
        units = [None if entry in NO_UNIT else entry for entry in unit.entries]
        suppl, bad_suppl, _ = to_number(rows.column(layout.suppl))
        checks.add(bad_suppl, layout.suppl, rows.column(layout.suppl), NOT_A_NUMBER)
        if any(entry is None for entry in units):
            no_unit = unit.rows([entry is None for entry in units])
            suppl = pc.if_else(pa.array(no_unit), pa.scalar(None, pa.float64()), suppl)

        bad = checks.bad()
        columns = {
            "source": constant(self.name, pa.string(), n),
            "reporter": reporter.code,
            "partner": partner.code,
            "partner_kind": partner.kind,
            "trade_type": trade_type.spread([t or None for t in trade_type.entries], pa.string()),
            "product": product.values,
            "product_nomenclature": period.spread(
                [f"CN{p.year}" if p else None for p in parsed], pa.string()
            ),
            "product_masked": pa.array(masked),
            "flow": flow,
            "stat_procedure": procedure,
            "freq": period.spread([p.freq if p else None for p in parsed], pa.string()),
            "period": period.spread([p.label if p else None for p in parsed], pa.string()),
            "period_start": period.spread([p.start if p else None for p in parsed], pa.date32()),
            "year": period.spread([p.year if p else None for p in parsed], pa.int16()),
            "value": value,
            "currency": constant("EUR", pa.string(), n),
            "net_mass_kg": mass,
            "suppl_quantity": suppl,
            "suppl_unit": unit.spread(units, pa.string()),
        }
        flows = flows_batch(columns, ~bad)
        return ParsedBatch(
            flows=flows,
            rejected=rejected_rows(block, checks, bad, ","),
            rows_read=block.rows_read,
            rows_stored=flows.num_rows,
            progress=block.progress,
        )


def _comext_period(text: str) -> Period | None:
    try:
        return parse_comext_period(text)
    except ValueError:
        return None

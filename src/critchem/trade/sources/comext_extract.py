"""Annual extracts of Eurostat Comext by reporter, partner and CN8 (values in euro only).

Layout (one header line, comma separated)::

    DECLARANT_ISO,PARTNER_ISO,PRODUCT_NC,FLOW,PERIOD,VALUE_IN_EUROS
    AT,DZ,28042910,1,2024,3579675

It is the shape of a filtered copy of the annual Comext bulk files (``full_v2_YYYY52``):
``DECLARANT_ISO`` the Member State (Greece written ``EL`` or ``GR``), ``PARTNER_ISO`` the
partner country, ``FLOW`` 1 import or 2 export, ``PERIOD`` a year, ``VALUE_IN_EUROS`` the
value. The layout carries no quantity, no trade type and no statistical procedure: they are
stored null, never guessed. Such extracts are made by filtering the bulk files, and some
filters write 0 where the bulk value was missing or confidential; a value of 0 is therefore
refused (with its line) rather than stored as a measurement.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from critchem.trade.periods import Period, parse_iso_period
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT, FREQ_ANNUAL
from critchem.trade.sources._codes import by_code, classify_products, resolve
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

COLUMNS: tuple[str, ...] = (
    "DECLARANT_ISO",
    "PARTNER_ISO",
    "PRODUCT_NC",
    "FLOW",
    "PERIOD",
    "VALUE_IN_EUROS",
)
"""The columns of the extract, in order."""

FLOWS = (str(FLOW_IMPORT), str(FLOW_EXPORT))
ZERO_REASON = (
    "is 0: this layout's extracts write 0 for a missing or confidential value, so 0 is not "
    "stored as a measurement"
)


def _header_columns(header: str) -> tuple[str, ...]:
    return tuple(name.strip().strip('"') for name in header.split(","))


def _year(text: str) -> Period | None:
    try:
        return parse_iso_period(text, FREQ_ANNUAL)
    except ValueError:
        return None


class ComextExtract(TradeSource):
    """Annual Comext extracts by reporter, partner and CN8, values in euro (see module)."""

    name: ClassVar[str] = "comext_extract"
    version: ClassVar[str] = "1.0"
    description: ClassVar[str] = (
        "Annual Comext extract DECLARANT_ISO,PARTNER_ISO,PRODUCT_NC,FLOW,PERIOD,VALUE_IN_EUROS"
    )

    def __init__(self, *, block_size: int = DEFAULT_BLOCK_SIZE) -> None:
        self.block_size = block_size

    def sniff(self, header: str) -> bool:
        """Whether the header is exactly the extract's six columns."""
        return _header_columns(header) == COLUMNS

    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Stream the extract (plain or ``.gz``) as canonical annual flows."""
        for block in read_blocks(path, COLUMNS, block_size=self.block_size):
            yield self._convert(block)

    def _convert(self, block: Block) -> ParsedBatch:
        rows = block.rows
        n = rows.num_rows
        checks = Checks(n)
        reporter_text = Encoded.of(rows.column("DECLARANT_ISO"))
        reporter = resolve(reporter_text, by_code())
        checks.add(
            reporter.unknown, "DECLARANT_ISO", reporter_text.values, "is not a known country code"
        )
        checks.add(
            as_mask(pc.not_equal(reporter.kind, "country")),
            "DECLARANT_ISO",
            reporter_text.values,
            "is not a country (reporters are Member States)",
        )
        partner_text = Encoded.of(rows.column("PARTNER_ISO"))
        partner = resolve(partner_text, by_code())
        checks.add(
            partner.unknown, "PARTNER_ISO", partner_text.values, "is not a known partner code"
        )
        product = Encoded.of(rows.column("PRODUCT_NC"))
        masked, bad_product = classify_products(product)
        checks.add(
            bad_product, "PRODUCT_NC", product.values, "is not an 8-digit CN code or a masked code"
        )
        flow_text = Encoded.of(rows.column("FLOW"))
        flow, bad_flow = flow_text.convert(_flow, pa.int8())
        checks.add(bad_flow, "FLOW", flow_text.values, "is not 1 (import) or 2 (export)")
        period = Encoded.of(rows.column("PERIOD"))
        parsed = [_year(entry) for entry in period.entries]
        checks.add(
            period.rows([p is None for p in parsed]), "PERIOD", period.values, "is not a year YYYY"
        )
        value, bad_value, negative = to_number(rows.column("VALUE_IN_EUROS"))
        checks.add(bad_value, "VALUE_IN_EUROS", rows.column("VALUE_IN_EUROS"), NOT_A_NUMBER)
        checks.add(negative, "VALUE_IN_EUROS", rows.column("VALUE_IN_EUROS"), "is negative")
        zero = as_mask(pc.equal(value, 0.0)) & ~bad_value
        checks.add(zero, "VALUE_IN_EUROS", rows.column("VALUE_IN_EUROS"), ZERO_REASON)
        bad = checks.bad()
        columns = {
            "source": constant(self.name, pa.string(), n),
            "reporter": reporter.code,
            "partner": partner.code,
            "partner_kind": partner.kind,
            "trade_type": pa.nulls(n, pa.string()),
            "product": product.values,
            "product_nomenclature": period.spread(
                [f"CN{p.year}" if p else None for p in parsed], pa.string()
            ),
            "product_masked": pa.array(masked),
            "flow": flow,
            "stat_procedure": pa.nulls(n, pa.int8()),
            "freq": period.spread([p.freq if p else None for p in parsed], pa.string()),
            "period": period.spread([p.label if p else None for p in parsed], pa.string()),
            "period_start": period.spread([p.start if p else None for p in parsed], pa.date32()),
            "year": period.spread([p.year if p else None for p in parsed], pa.int16()),
            "value": value,
            "currency": constant("EUR", pa.string(), n),
            "net_mass_kg": pa.nulls(n, pa.float64()),
            "suppl_quantity": pa.nulls(n, pa.float64()),
            "suppl_unit": pa.nulls(n, pa.string()),
        }
        flows = flows_batch(columns, ~bad)
        return ParsedBatch(
            flows=flows,
            rejected=rejected_rows(block, checks, bad, ","),
            rows_read=block.rows_read,
            rows_stored=flows.num_rows,
            progress=block.progress,
        )


def _flow(text: str) -> int:
    if text not in FLOWS:
        raise ValueError(text)
    return int(text)

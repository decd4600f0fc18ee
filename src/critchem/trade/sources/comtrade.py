"""UN Comtrade (API v1 and bulk files): trade of any reporter by HS product, in USD.

Layout: the API v1 record columns (``typeCode,freqCode,refPeriodId,refYear,refMonth,period,
reporterCode,reporterISO,...,flowCode,...,partnerCode,partnerISO,...,classificationCode,...,
cmdCode,...,qtyUnitCode,qtyUnitAbbr,qty,...,netWgt,...,primaryValue,...``), comma-separated
(CSV export) or tab-separated (bulk ``.txt``/``.gz`` files); only the columns used are required.

Semantics: ``flowCode`` M is an import, X an export; re-imports, re-exports and processing
flows (RM, RX, MIP ...) are breakdowns of those and are rejected, as are rows broken down by
second partner, mode of transport or customs procedure (they would double count). Reporters and
partners are ISO alpha-3 codes, mapped to the canonical alpha-2 codes; ``W00`` (World), ``S19``
(Other Asia, nes: Taiwan) and ``_X`` (areas nes) through ``comtrade_special_codes.csv``.
``classificationCode`` H0..H6 gives the nomenclature (HS1992..HS2022). Values are
``primaryValue`` in USD; ``netWgt`` is in kg; ``qty`` in ``qtyUnitAbbr`` is the supplementary
quantity.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from critchem.trade.periods import Period, parse_comext_period
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT, FREQ_ANNUAL, FREQ_MONTHLY
from critchem.trade.sources._archive import read_header
from critchem.trade.sources._codes import PartnerTable, by_code, by_iso3, resolve
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

REQUIRED = ("typeCode", "freqCode", "period", "reporterISO", "flowCode", "partnerISO",
            "classificationCode", "cmdCode", "primaryValue", "netWgt", "qty")  # fmt: skip
CLASSIFICATIONS = {
    "H0": "HS1992",
    "H1": "HS1996",
    "H2": "HS2002",
    "H3": "HS2007",
    "H4": "HS2012",
    "H5": "HS2017",
    "H6": "HS2022",
}
"""Comtrade classification codes of the HS revisions."""
FLOWS = {"M": FLOW_IMPORT, "X": FLOW_EXPORT}
TOTALS = {"partner2Code": ("0", ""), "motCode": ("0", ""), "customsCode": ("C00", "")}
"""Breakdown columns and the values that mean "all" (any other value is a breakdown row)."""
NO_UNIT = ("", "N/A", "-1")


def _columns(header: str) -> tuple[tuple[str, ...], str]:
    delimiter = "\t" if "\t" in header else ","
    return tuple(name.strip().strip('"') for name in header.split(delimiter)), delimiter


@cache
def partner_table() -> PartnerTable:
    """Comtrade ISO alpha-3 codes (and its special codes) → (canonical code, kind)."""
    table = dict(by_iso3())
    text = resources.files("critchem.trade").joinpath("data", "comtrade_special_codes.csv")
    for row in csv.DictReader(io.StringIO(text.read_text(encoding="utf-8"))):
        table[row["comtrade_iso"]] = by_code()[row["comext_code"]]
    return table


def _period(freq: str, text: str) -> Period:
    """``2023`` (A) or ``202301`` (M)."""
    text = text.strip()
    if freq == FREQ_ANNUAL and len(text) == 4 and text.isdigit():
        return Period.year_of(int(text))
    if freq == FREQ_MONTHLY and len(text) == 6:
        period = parse_comext_period(text)
        if period.freq == FREQ_MONTHLY:
            return period
    raise ValueError(text)


class Comtrade(TradeSource):
    """UN Comtrade API v1 records (CSV) or bulk files (tab-separated), USD."""

    name: ClassVar[str] = "comtrade"
    version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "UN Comtrade API v1 / bulk records, USD and kg"

    def __init__(self, *, block_size: int = DEFAULT_BLOCK_SIZE) -> None:
        self.block_size = block_size

    def sniff(self, header: str) -> bool:
        """Whether the header has the Comtrade API v1 columns used."""
        columns, _ = _columns(header)
        return set(REQUIRED) <= set(columns)

    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Stream Comtrade records as canonical flows."""
        columns, delimiter = _columns(read_header(path))
        for block in read_blocks(path, columns, delimiter=delimiter, block_size=self.block_size):
            yield self._convert(block, delimiter)

    def _convert(self, block: Block, delimiter: str) -> ParsedBatch:
        rows = block.rows
        n = rows.num_rows
        checks = Checks(n)
        kind = rows.column("typeCode")
        checks.add(as_mask(pc.not_equal(kind, "C")), "typeCode", kind, "is not C (goods)")
        for column, totals in TOTALS.items():
            if column in rows.schema.names:
                values = rows.column(column)
                checks.add(
                    as_mask(pc.invert(pc.is_in(values, pa.array(totals)))),
                    column,
                    values,
                    "is a breakdown of the total (it would double count)",
                )
        reporter = resolve(Encoded.of(rows.column("reporterISO")), partner_table())
        checks.add(reporter.unknown, "reporterISO", rows.column("reporterISO"), "is not known")
        partner = resolve(Encoded.of(rows.column("partnerISO")), partner_table())
        checks.add(partner.unknown, "partnerISO", rows.column("partnerISO"), "is not known")
        flow, bad_flow = Encoded.of(rows.column("flowCode")).convert(FLOWS.__getitem__, pa.int8())
        checks.add(bad_flow, "flowCode", rows.column("flowCode"), "is not M (import) or X (export)")
        classification = Encoded.of(rows.column("classificationCode"))
        nomenclature, bad_classification = classification.convert(
            CLASSIFICATIONS.__getitem__, pa.string()
        )
        checks.add(
            bad_classification,
            "classificationCode",
            classification.values,
            "is not an HS revision (H0-H6)",
        )
        product = rows.column("cmdCode")
        checks.add(
            as_mask(pc.invert(pc.match_substring_regex(product, r"^(TOTAL|\d{2}|\d{4}|\d{6})$"))),
            "cmdCode",
            product,
            "is not TOTAL or an HS code of 2, 4 or 6 digits",
        )
        key = pc.binary_join_element_wise(rows.column("freqCode"), rows.column("period"), "|")
        period_key = Encoded.of(key)
        periods: list[Period | None] = []
        for entry in period_key.entries:
            freq, _, text = entry.partition("|")
            try:
                periods.append(_period(freq, text))
            except ValueError:
                periods.append(None)
        checks.add(
            period_key.rows([p is None for p in periods]),
            "period",
            rows.column("period"),
            "is not a year (freqCode A) or YYYYMM (freqCode M)",
        )
        value, bad_value, negative_value = to_number(rows.column("primaryValue"))
        checks.add(bad_value, "primaryValue", rows.column("primaryValue"), NOT_A_NUMBER)
        checks.add(negative_value, "primaryValue", rows.column("primaryValue"), "is negative")
        mass, bad_mass, negative_mass = to_number(rows.column("netWgt"))
        checks.add(bad_mass, "netWgt", rows.column("netWgt"), NOT_A_NUMBER)
        checks.add(negative_mass, "netWgt", rows.column("netWgt"), "is negative")
        suppl, bad_suppl, _ = to_number(rows.column("qty"))
        checks.add(bad_suppl, "qty", rows.column("qty"), NOT_A_NUMBER)
        if "qtyUnitAbbr" in rows.schema.names:
            unit = Encoded.of(rows.column("qtyUnitAbbr"))
            units = [None if u.strip() in NO_UNIT else u.strip() for u in unit.entries]
            unit_column = unit.spread(units, pa.string())
            suppl = pc.if_else(pc.is_null(unit_column), pa.scalar(None, pa.float64()), suppl)
        else:
            unit_column = constant(None, pa.string(), n)
            suppl = constant(None, pa.float64(), n)

        bad = checks.bad()
        columns = {
            "source": constant(self.name, pa.string(), n),
            "reporter": reporter.code,
            "partner": partner.code,
            "partner_kind": partner.kind,
            "trade_type": constant(None, pa.string(), n),
            "product": product,
            "product_nomenclature": nomenclature,
            "product_masked": constant(False, pa.bool_(), n),
            "flow": flow,
            "stat_procedure": constant(None, pa.int8(), n),
            "freq": period_key.spread([p.freq if p else None for p in periods], pa.string()),
            "period": period_key.spread([p.label if p else None for p in periods], pa.string()),
            "period_start": period_key.spread(
                [p.start if p else None for p in periods], pa.date32()
            ),
            "year": period_key.spread([p.year if p else None for p in periods], pa.int16()),
            "value": value,
            "currency": constant("USD", pa.string(), n),
            "net_mass_kg": mass,
            "suppl_quantity": suppl,
            "suppl_unit": unit_column,
        }
        flows = flows_batch(columns, ~bad)
        return ParsedBatch(
            flows=flows,
            rejected=rejected_rows(block, checks, bad, delimiter),
            rows_read=block.rows_read,
            rows_stored=flows.num_rows,
            progress=block.progress,
        )

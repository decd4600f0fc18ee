"""CEPII BACI: reconciled bilateral trade by HS6 product, one file per year and HS revision.

Layout: ``t,i,j,k,v,q`` (year, exporter, importer, HS6 product, value in thousand USD,
quantity in tonnes; values padded with spaces, ``NA`` for an unknown quantity). A row is the
exporter's export (``flow`` 2) to the importer. Values are converted to USD and kg; ``NA`` or
an empty quantity stays null.

Countries are BACI's numeric codes, mapped to ISO alpha-2 with the BACI country table (the
shipped ``baci_country_codes_V202201.csv``, or a ``country_codes_V*.csv`` lying next to the
data file as in the BACI archive) and ``baci_code_overrides.csv`` (490 "Other Asia, nes" is
Taiwan). The product nomenclature is the file's HS revision: ``BACI_HS92_...`` is HS1992.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from critchem.core.errors import TradeFormatError
from critchem.trade.periods import Period
from critchem.trade.schema import FLOW_EXPORT
from critchem.trade.sources._archive import read_header
from critchem.trade.sources._codes import PartnerTable, by_code, by_iso3, resolve
from critchem.trade.sources._reader import DEFAULT_BLOCK_SIZE, Block, check_header, read_blocks
from critchem.trade.sources._vector import (
    NOT_A_NUMBER,
    Checks,
    Encoded,
    constant,
    flows_batch,
    rejected_rows,
    to_number,
)
from critchem.trade.sources.base import ParsedBatch, TradeSource

COLUMNS = ("t", "i", "j", "k", "v", "q")
REVISIONS = {
    "HS92": "HS1992",
    "HS96": "HS1996",
    "HS02": "HS2002",
    "HS07": "HS2007",
    "HS12": "HS2012",
    "HS17": "HS2017",
    "HS22": "HS2022",
}
"""BACI revision codes and the product nomenclature they stand for."""
SHIPPED_COUNTRY_CODES = "baci_country_codes_V202201.csv"
_REVISION_IN_NAME = re.compile(r"(?:^|[_\-.])(HS\d\d)(?=[_\-.])", re.IGNORECASE)
_HS6 = re.compile(r"^[0-9]{5,6}$")
_YEAR = re.compile(r"^[0-9]{4}$")
THOUSAND = 1000.0


def revision_from_name(name: str) -> str | None:
    """The BACI revision written in a file name, if any.

    >>> revision_from_name("BACI_HS92_Y2021_V202301.csv"), revision_from_name("trade.csv")
    ('HS92', None)
    """
    match = _REVISION_IN_NAME.search(name)
    return match.group(1).upper() if match and match.group(1).upper() in REVISIONS else None


def _read_table(text: str) -> dict[str, tuple[str, str]]:
    """Numeric BACI code → (ISO alpha-2, ISO alpha-3), for both table layouts."""
    table = {}
    for row in csv.DictReader(io.StringIO(text)):
        iso2 = row.get("iso_2digit_alpha", row.get("country_iso2", "")) or ""
        iso3 = row.get("iso_3digit_alpha", row.get("country_iso3", "")) or ""
        table[row["country_code"].strip()] = (iso2.strip(), iso3.strip())
    return table


@cache
def _overrides() -> dict[str, str]:
    text = resources.files("critchem.trade").joinpath("data", "baci_code_overrides.csv")
    rows = csv.DictReader(io.StringIO(text.read_text(encoding="utf-8")))
    return {row["baci_code"]: row["comext_code"] for row in rows}


@cache
def country_table(path: Path | None = None) -> PartnerTable:
    """BACI numeric country codes → (canonical partner code, kind).

    ``path`` is a BACI ``country_codes_V*.csv``; by default the shipped table.
    """
    if path is None:
        shipped = resources.files("critchem.trade").joinpath("data", SHIPPED_COUNTRY_CODES)
        raw = _read_table(shipped.read_text(encoding="utf-8"))
    else:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # CEPII has published the table in Latin-1
            text = data.decode("latin-1")
        raw = _read_table(text)
    codes, iso3s = by_code(), by_iso3()
    table: PartnerTable = {}
    for number, (iso2, iso3) in raw.items():
        found = codes.get(iso2) or iso3s.get(iso3)
        if found is not None:
            table[number] = found
    for number, code in _overrides().items():
        table[number] = codes[code]
    return table


class Baci(TradeSource):
    """CEPII BACI yearly files (``BACI_HS92_Y2021_V202301.csv``), USD and kg."""

    name: ClassVar[str] = "baci"
    version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "CEPII BACI bilateral trade (t,i,j,k,v,q), USD and tonnes"

    def __init__(
        self,
        *,
        revision: str | None = None,
        country_codes: Path | None = None,
        block_size: int = DEFAULT_BLOCK_SIZE,
    ) -> None:
        if revision is not None and revision.upper() not in REVISIONS:
            raise ValueError(f"unknown BACI revision {revision!r}: one of {', '.join(REVISIONS)}")
        self.revision = revision.upper() if revision else None
        self.country_codes = country_codes
        self.block_size = block_size

    def sniff(self, header: str) -> bool:
        """Whether the header is BACI's ``t,i,j,k,v,q``."""
        return tuple(name.strip().strip('"') for name in header.split(",")) == COLUMNS

    def _revision(self, path: Path) -> str:
        revision = self.revision or revision_from_name(path.name)
        if revision is None:
            raise TradeFormatError(
                f"{path}: cannot tell the HS revision of this BACI file from its name (expected"
                " e.g. BACI_HS92_Y2021_V202301.csv); pass Baci(revision='HS92')"
            )
        return revision

    def _countries(self, path: Path) -> PartnerTable:
        if self.country_codes is not None:
            return country_table(self.country_codes)
        beside = sorted(path.parent.glob("country_codes_V*.csv"))
        return country_table(beside[-1] if beside else None)

    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Stream a BACI file as exports of ``i`` to ``j``."""
        check_header(path, read_header(path), COLUMNS)
        nomenclature = REVISIONS[self._revision(path)]
        countries = self._countries(path)
        for block in read_blocks(path, COLUMNS, block_size=self.block_size):
            yield self._convert(block, nomenclature, countries)

    def _convert(self, block: Block, nomenclature: str, countries: PartnerTable) -> ParsedBatch:
        rows = block.rows
        n = rows.num_rows
        checks = Checks(n)
        year = Encoded.of(rows.column("t"))
        periods = [Period.year_of(int(t)) if _YEAR.match(t.strip()) else None for t in year.entries]
        checks.add(year.rows([p is None for p in periods]), "t", year.values, "is not a year")
        exporter = resolve(Encoded.of(rows.column("i")), countries)
        checks.add(exporter.unknown, "i", rows.column("i"), "is not in the BACI country table")
        importer = resolve(Encoded.of(rows.column("j")), countries)
        checks.add(importer.unknown, "j", rows.column("j"), "is not in the BACI country table")
        product = Encoded.of(pc.utf8_trim_whitespace(rows.column("k")))
        checks.add(
            product.rows([_HS6.match(code) is None for code in product.entries]),
            "k",
            rows.column("k"),
            "is not an HS6 code",
        )
        value, bad_value, negative_value = to_number(rows.column("v"), scale=THOUSAND)
        checks.add(bad_value, "v", rows.column("v"), NOT_A_NUMBER)
        checks.add(negative_value, "v", rows.column("v"), "is negative")
        mass, bad_mass, negative_mass = to_number(
            rows.column("q"), null_tokens=("", "NA"), scale=THOUSAND
        )
        checks.add(bad_mass, "q", rows.column("q"), "is not a number or NA")
        checks.add(negative_mass, "q", rows.column("q"), "is negative")

        bad = checks.bad()
        columns = {
            "source": constant(self.name, pa.string(), n),
            "reporter": exporter.code,
            "partner": importer.code,
            "partner_kind": importer.kind,
            "trade_type": constant(None, pa.string(), n),
            "product": pc.utf8_lpad(product.values, 6, "0"),
            "product_nomenclature": constant(nomenclature, pa.string(), n),
            "product_masked": constant(False, pa.bool_(), n),
            "flow": constant(FLOW_EXPORT, pa.int8(), n),
            "stat_procedure": constant(None, pa.int8(), n),
            "freq": year.spread([p.freq if p else None for p in periods], pa.string()),
            "period": year.spread([p.label if p else None for p in periods], pa.string()),
            "period_start": year.spread([p.start if p else None for p in periods], pa.date32()),
            "year": year.spread([p.year if p else None for p in periods], pa.int16()),
            "value": value,
            "currency": constant("USD", pa.string(), n),
            "net_mass_kg": mass,
            "suppl_quantity": constant(None, pa.float64(), n),
            "suppl_unit": constant(None, pa.string(), n),
        }
        flows = flows_batch(columns, ~bad)
        return ParsedBatch(
            flows=flows,
            rejected=rejected_rows(block, checks, bad, ","),
            rows_read=block.rows_read,
            rows_stored=flows.num_rows,
            progress=block.progress,
        )

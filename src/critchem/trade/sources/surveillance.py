"""Declaration-level daily feed shaped like the EU Customs Surveillance System (SURV3).

SURV3 holds every import and export declaration collected daily from national customs. It is
not public; this source defines the CSV layout a surveillance-ready deployment feeds in, one
row per declaration item::

    declaration_id,member_state,flow,cn_code,partner,declared_value_eur,net_mass_kg,
    suppl_quantity,suppl_unit,procedure,release_date

* ``declaration_id``: the declaration (MRN) and item number, not empty;
* ``member_state``: the declaring Member State (alpha-2, ``EL`` accepted), an EU member on
  ``release_date``;
* ``flow``: 1 import, 2 export;
* ``cn_code``: 8-digit CN code or 10-digit TARIC code (nomenclature ``CN<year>`` or
  ``TARIC<year>``);
* ``partner``: country of origin (imports) or of destination (exports), alpha-2 or a Q-code;
* ``declared_value_eur`` (statistical value, EUR), ``net_mass_kg``; ``suppl_quantity`` and
  ``suppl_unit`` empty when the code has no supplementary unit;
* ``procedure``: the 4-digit Union customs procedure code (requested + previous procedure),
  mapped to the statistical procedure through ``surveillance_procedures.csv`` by the requested
  procedure; a previous procedure of inward processing (51) makes it 2, of outward processing
  (21, 22) makes it 3;
* ``release_date``: ``YYYY-MM-DD``, the day of release (freq ``D``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from critchem.nomenclature import load_countries
from critchem.trade.periods import Period, parse_iso_period
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT, FREQ_DAILY
from critchem.trade.sources._codes import by_code, resolve
from critchem.trade.sources._reader import DEFAULT_BLOCK_SIZE, Block, read_blocks
from critchem.trade.sources._vector import (
    Checks,
    Encoded,
    as_mask,
    constant,
    flows_batch,
    rejected_rows,
    to_number,
)
from critchem.trade.sources.base import ParsedBatch, TradeSource

COLUMNS = ("declaration_id", "member_state", "flow", "cn_code", "partner", "declared_value_eur",
           "net_mass_kg", "suppl_quantity", "suppl_unit", "procedure", "release_date")  # fmt: skip
"""The columns of the declaration feed, in order."""
_CODE = re.compile(r"^([0-9]{8}|[0-9]{10})$")
_PROCEDURE = re.compile(r"^[0-9]{4}$")
INWARD_PROCESSING = ("51",)
OUTWARD_PROCESSING = ("21", "22")


@cache
def procedure_table() -> dict[str, int]:
    """Requested customs procedure (2 digits) → statistical procedure (1, 2, 3 or 9)."""
    text = resources.files("critchem.trade").joinpath("data", "surveillance_procedures.csv")
    rows = csv.DictReader(io.StringIO(text.read_text(encoding="utf-8")))
    return {row["requested"]: int(row["stat_procedure"]) for row in rows}


def stat_procedure(code: str) -> int:
    """The statistical procedure of a 4-digit customs procedure code.

    >>> stat_procedure("4000"), stat_procedure("5100"), stat_procedure("6121"), stat_procedure("3151")
    (1, 2, 3, 2)
    """
    if not _PROCEDURE.match(code):
        raise ValueError(code)
    requested, previous = code[:2], code[2:]
    base = procedure_table()[requested]
    if base == 1 and previous in INWARD_PROCESSING:
        return 2
    if base == 1 and previous in OUTWARD_PROCESSING:
        return 3
    return base


def _member_on(key: str) -> bool:
    """Whether ``"<code>|<YYYY-MM-DD>"`` names an EU Member State on that day."""
    code, _, day = key.partition("|")
    countries = load_countries()
    try:
        return code in countries and countries.get(code).is_eu(date.fromisoformat(day))
    except ValueError:
        return False


class Surveillance(TradeSource):
    """Declaration-level daily feed (SURV3-like CSV), EUR and kg, freq ``D``."""

    name: ClassVar[str] = "surveillance"
    version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "Customs declarations, daily feed shaped like SURV3"

    def __init__(self, *, block_size: int = DEFAULT_BLOCK_SIZE) -> None:
        self.block_size = block_size

    def sniff(self, header: str) -> bool:
        """Whether the header is the declaration feed layout."""
        return tuple(name.strip().strip('"') for name in header.split(",")) == COLUMNS

    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Stream declaration items as daily flows."""
        for block in read_blocks(path, COLUMNS, block_size=self.block_size):
            yield self._convert(block)

    def _convert(self, block: Block) -> ParsedBatch:
        rows = block.rows
        n = rows.num_rows
        checks = Checks(n)
        declaration = rows.column("declaration_id")
        checks.add(
            as_mask(pc.equal(pc.utf8_trim_whitespace(declaration), "")),
            "declaration_id",
            declaration,
            "is empty",
        )
        reporter = resolve(Encoded.of(rows.column("member_state")), by_code())
        checks.add(
            reporter.unknown, "member_state", rows.column("member_state"), "is not a known code"
        )
        day = Encoded.of(rows.column("release_date"))
        periods: list[Period | None] = []
        for text in day.entries:
            try:
                periods.append(parse_iso_period(text, FREQ_DAILY))
            except ValueError:
                periods.append(None)
        checks.add(
            day.rows([p is None for p in periods]), "release_date", day.values, "is not YYYY-MM-DD"
        )
        membership = Encoded.of(
            pc.binary_join_element_wise(
                pc.fill_null(reporter.code, ""), rows.column("release_date"), "|"
            )
        )
        checks.add(
            membership.rows([not _member_on(key) for key in membership.entries])
            & ~reporter.unknown
            & ~day.rows([p is None for p in periods]),
            "member_state",
            rows.column("member_state"),
            "is not an EU Member State on the release date",
        )
        partner = resolve(Encoded.of(rows.column("partner")), by_code())
        checks.add(partner.unknown, "partner", rows.column("partner"), "is not a known code")
        checks.add(
            as_mask(pc.equal(partner.kind, "aggregate")),
            "partner",
            rows.column("partner"),
            "is an aggregate, not a country",
        )
        flow, bad_flow = Encoded.of(rows.column("flow")).convert(
            {"1": FLOW_IMPORT, "2": FLOW_EXPORT}.__getitem__, pa.int8()
        )
        checks.add(bad_flow, "flow", rows.column("flow"), "is not 1 (import) or 2 (export)")
        code = Encoded.of(rows.column("cn_code"))
        checks.add(
            code.rows([_CODE.match(c) is None for c in code.entries]),
            "cn_code",
            code.values,
            "is not an 8-digit CN or 10-digit TARIC code",
        )
        procedure, bad_procedure = Encoded.of(rows.column("procedure")).convert(
            stat_procedure, pa.int8()
        )
        checks.add(
            bad_procedure, "procedure", rows.column("procedure"), "is not a known procedure code"
        )
        value, bad_value, negative_value = to_number(rows.column("declared_value_eur"))
        checks.add(
            bad_value, "declared_value_eur", rows.column("declared_value_eur"), "is not a number"
        )
        checks.add(
            negative_value, "declared_value_eur", rows.column("declared_value_eur"), "is negative"
        )
        mass, bad_mass, negative_mass = to_number(rows.column("net_mass_kg"))
        checks.add(bad_mass, "net_mass_kg", rows.column("net_mass_kg"), "is not a number")
        checks.add(negative_mass, "net_mass_kg", rows.column("net_mass_kg"), "is negative")
        suppl, bad_suppl, _ = to_number(rows.column("suppl_quantity"))
        checks.add(bad_suppl, "suppl_quantity", rows.column("suppl_quantity"), "is not a number")
        unit = pc.utf8_trim_whitespace(rows.column("suppl_unit"))
        unit = pc.if_else(pc.equal(unit, ""), pa.scalar(None, pa.string()), unit)

        years = day.spread([p.year if p else None for p in periods], pa.int16())
        prefix = pc.if_else(
            pc.equal(pc.utf8_length(code.values), 10), pa.scalar("TARIC"), pa.scalar("CN")
        )
        bad = checks.bad()
        columns = {
            "source": constant(self.name, pa.string(), n),
            "reporter": reporter.code,
            "partner": partner.code,
            "partner_kind": partner.kind,
            "trade_type": constant("E", pa.string(), n),  # customs declarations: extra-EU
            "product": code.values,
            "product_nomenclature": pc.binary_join_element_wise(
                prefix, pc.cast(years, pa.string()), ""
            ),
            "product_masked": constant(False, pa.bool_(), n),
            "flow": flow,
            "stat_procedure": procedure,
            "freq": day.spread([p.freq if p else None for p in periods], pa.string()),
            "period": day.spread([p.label if p else None for p in periods], pa.string()),
            "period_start": day.spread([p.start if p else None for p in periods], pa.date32()),
            "year": years,
            "value": value,
            "currency": constant("EUR", pa.string(), n),
            "net_mass_kg": mass,
            "suppl_quantity": pc.if_else(pc.is_null(unit), pa.scalar(None, pa.float64()), suppl),
            "suppl_unit": unit,
        }
        flows = flows_batch(columns, ~bad)
        return ParsedBatch(
            flows=flows,
            rejected=rejected_rows(block, checks, bad, ","),
            rows_read=block.rows_read,
            rows_stored=flows.num_rows,
            progress=block.progress,
        )

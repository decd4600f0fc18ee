"""Eurostat Comext through the SDMX API, as SDMX-CSV (dataset DS-045409 and alike).

Layout: ``freq,reporter,partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE``. Other columns
are accepted and ignored: those the API adds (``DATAFLOW``, ``LAST UPDATE``, ``OBS_FLAG``,
``CONF_STATUS``) and those of SDMX-CSV 2.0 (``STRUCTURE``, ``STRUCTURE_ID``, ``ACTION``). SDMX-CSV
writes one row per indicator; the rows of one observation are merged into one flow:
``VALUE_IN_EUROS`` → ``value`` (EUR) and ``QUANTITY_IN_100KG`` → ``net_mass_kg`` (× 100). An
indicator absent from the file stays null, never 0.

Merging needs the whole file, in any row order: valid rows are staged in a DuckDB database in a
temporary folder (it spills to disk when large), then merged and streamed out at the end.
A second row for the same observation and indicator is rejected as a duplicate.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from critchem.trade.periods import Period, parse_iso_period
from critchem.trade.schema import FLOW_SCHEMA, FREQ_ANNUAL, FREQ_MONTHLY
from critchem.trade.sources._archive import read_header
from critchem.trade.sources._codes import by_code, classify_products, resolve
from critchem.trade.sources._reader import DEFAULT_BLOCK_SIZE, Block, read_blocks
from critchem.trade.sources._vector import (
    NOT_A_NUMBER,
    Checks,
    Encoded,
    as_mask,
    rejected_rows,
    to_number,
)
from critchem.trade.sources.base import (
    REJECT_SCHEMA,
    ParsedBatch,
    TradeSource,
    empty_flows,
    empty_rejected,
)

REQUIRED = ("freq", "reporter", "partner", "product", "flow", "indicators", "TIME_PERIOD",
            "OBS_VALUE")  # fmt: skip
OPTIONAL = ("DATAFLOW", "LAST UPDATE", "OBS_FLAG", "CONF_STATUS", "STRUCTURE", "STRUCTURE_ID",
            "ACTION")  # fmt: skip
"""Columns seen beside the required ones (any other is ignored too)."""
VALUE = "VALUE_IN_EUROS"
QUANTITY = "QUANTITY_IN_100KG"
KG_PER_100KG = 100.0
PRODUCT_RE = re.compile(r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8}|TOTAL)$")
"""CN8 codes and the CN2/CN4/HS6 and TOTAL aggregates the API also serves."""

_STAGE_SQL = """
CREATE TABLE obs (
    freq VARCHAR, reporter VARCHAR, partner VARCHAR, partner_kind VARCHAR, product VARCHAR,
    product_masked BOOLEAN, flow TINYINT, indicator VARCHAR, period VARCHAR, period_start DATE,
    year SMALLINT, obs DOUBLE, line BIGINT, raw VARCHAR
)
"""
_KEY = "freq, reporter, partner, product, flow, period"
_DUPLICATES_SQL = f"""
SELECT line AS row_number, raw,
       'duplicate of line ' || first_line || ' (same observation and indicator)' AS reason
FROM (SELECT line, raw, min(line) OVER w AS first_line, row_number() OVER w AS rank
      FROM obs WINDOW w AS (PARTITION BY {_KEY}, indicator ORDER BY line))
WHERE rank > 1 ORDER BY line
"""
_MERGE_SQL = f"""
WITH kept AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY {_KEY}, indicator ORDER BY line)
                   AS rank FROM obs) WHERE rank = 1
)
SELECT $source AS source, reporter, partner, any_value(partner_kind) AS partner_kind,
       CAST(NULL AS VARCHAR) AS trade_type, product, 'CN' || any_value(year) AS product_nomenclature,
       any_value(product_masked) AS product_masked, flow, CAST(NULL AS TINYINT) AS stat_procedure,
       freq, period, any_value(period_start) AS period_start, any_value(year) AS year,
       max(obs) FILTER (WHERE indicator = '{VALUE}') AS value, 'EUR' AS currency,
       max(obs) FILTER (WHERE indicator = '{QUANTITY}') * {KG_PER_100KG} AS net_mass_kg,
       CAST(NULL AS DOUBLE) AS suppl_quantity, CAST(NULL AS VARCHAR) AS suppl_unit,
       count(*) AS source_rows, min(line) AS first_line
FROM kept GROUP BY {_KEY} ORDER BY first_line
"""


def _columns(header: str) -> tuple[str, ...]:
    return tuple(name.strip().strip('"') for name in header.split(","))


class ComextSdmx(TradeSource):
    """SDMX-CSV extracts of the Comext dataset DS-045409 (monthly or annual, EUR)."""

    name: ClassVar[str] = "comext_sdmx"
    version: ClassVar[str] = "1.0"
    description: ClassVar[str] = "Eurostat Comext SDMX-CSV (DS-045409), EUR and 100 kg"

    def __init__(self, *, block_size: int = DEFAULT_BLOCK_SIZE, batch_rows: int = 100_000) -> None:
        self.block_size = block_size
        self.batch_rows = batch_rows

    def sniff(self, header: str) -> bool:
        """Whether the header has the SDMX-CSV columns of a Comext dataset."""
        return set(REQUIRED) <= set(_columns(header))

    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Validate and stage the rows, then merge indicators into flows."""
        columns = _columns(read_header(path))
        with tempfile.TemporaryDirectory(prefix="critchem-sdmx-") as folder:
            connection = duckdb.connect(str(Path(folder) / "stage.duckdb"))
            try:
                connection.execute(_STAGE_SQL)
                for block in read_blocks(path, columns, block_size=self.block_size):
                    staged, rejected = self._validate(block)
                    if staged.num_rows:
                        connection.register("incoming", staged)
                        connection.execute("INSERT INTO obs SELECT * FROM incoming")
                        connection.unregister("incoming")
                    yield ParsedBatch(empty_flows(), rejected, block.rows_read, 0, block.progress)
                yield from self._merge(connection)
            finally:
                connection.close()

    def _merge(self, connection: duckdb.DuckDBPyConnection) -> Iterator[ParsedBatch]:
        duplicates = connection.sql(_DUPLICATES_SQL).to_arrow_table()
        if duplicates is not None and duplicates.num_rows:
            rejected = duplicates.cast(REJECT_SCHEMA).combine_chunks().to_batches()[0]
            yield ParsedBatch(empty_flows(), rejected, 0, 0, 1.0)
        merge = connection.sql(_MERGE_SQL, params={"source": self.name})
        reader = merge.to_arrow_reader(self.batch_rows)
        for merged in reader if reader is not None else ():
            stored = int(pc.sum(merged.column("source_rows")).as_py() or 0)
            flows = pa.RecordBatch.from_arrays(
                [merged.column(name).cast(field.type) for name, field in
                 zip(FLOW_SCHEMA.names, FLOW_SCHEMA, strict=True)],
                schema=FLOW_SCHEMA,
            )  # fmt: skip
            yield ParsedBatch(flows, empty_rejected(), 0, stored, 1.0)

    def _validate(self, block: Block) -> tuple[pa.Table, pa.RecordBatch]:
        rows = block.rows
        checks = Checks(rows.num_rows)
        freq = Encoded.of(rows.column("freq"))
        checks.add(
            freq.rows([f not in (FREQ_MONTHLY, FREQ_ANNUAL) for f in freq.entries]),
            "freq",
            freq.values,
            "is not M (monthly) or A (annual)",
        )
        reporter = resolve(Encoded.of(rows.column("reporter")), by_code())
        checks.add(reporter.unknown, "reporter", rows.column("reporter"), "is not a known code")
        checks.add(
            as_mask(pc.is_in(reporter.kind, pa.array(["territory", "non-geographic",
                                                      "confidential"]))),
            "reporter",
            rows.column("reporter"),
            "is not a country or an aggregate",
        )  # fmt: skip
        partner = resolve(Encoded.of(rows.column("partner")), by_code())
        checks.add(partner.unknown, "partner", rows.column("partner"), "is not a known code")
        product = Encoded.of(rows.column("product"))
        masked, bad_product = classify_products(product, PRODUCT_RE)
        checks.add(bad_product, "product", product.values, "is not a CN code, TOTAL or masked")
        flow, bad_flow = Encoded.of(rows.column("flow")).convert(_flow, pa.int8())
        checks.add(bad_flow, "flow", rows.column("flow"), "is not 1 (import) or 2 (export)")
        indicator = Encoded.of(rows.column("indicators"))
        checks.add(
            indicator.rows([i not in (VALUE, QUANTITY) for i in indicator.entries]),
            "indicators",
            indicator.values,
            f"is not {VALUE} or {QUANTITY}",
        )
        period = Encoded.of(rows.column("TIME_PERIOD"))
        parsed = [_period(text) for text in period.entries]
        checks.add(
            period.rows([p is None for p in parsed]),
            "TIME_PERIOD",
            period.values,
            "is not YYYY or YYYY-MM",
        )
        period_freq = period.spread([p.freq if p else None for p in parsed], pa.string())
        checks.add(
            as_mask(pc.not_equal(period_freq, freq.values)),
            "TIME_PERIOD",
            period.values,
            "does not match the row's freq",
        )
        obs, bad_obs, negative_obs = to_number(rows.column("OBS_VALUE"))
        checks.add(bad_obs, "OBS_VALUE", rows.column("OBS_VALUE"), NOT_A_NUMBER)
        checks.add(negative_obs, "OBS_VALUE", rows.column("OBS_VALUE"), "is negative")

        bad = checks.bad()
        keep = pa.array(~bad)
        positions = np.flatnonzero(~bad)
        raw = pc.binary_join_element_wise(*[c.filter(keep) for c in rows.columns], ",")
        staged = pa.table(
            {
                "freq": freq.values,
                "reporter": reporter.code,
                "partner": partner.code,
                "partner_kind": partner.kind,
                "product": product.values,
                "product_masked": pa.array(masked),
                "flow": flow,
                "indicator": indicator.values,
                "period": period.spread([p.label if p else None for p in parsed], pa.string()),
                "period_start": period.spread(
                    [p.start if p else None for p in parsed], pa.date32()
                ),
                "year": period.spread([p.year if p else None for p in parsed], pa.int16()),
                "obs": obs,
            }
        ).filter(keep)
        staged = staged.append_column("line", pa.array(block.lines(positions), pa.int64()))
        staged = staged.append_column("raw", raw)
        return staged, rejected_rows(block, checks, bad, ",")


def _flow(text: str) -> int:
    if text not in ("1", "2"):
        raise ValueError(text)
    return int(text)


def _period(text: str) -> Period | None:
    try:
        period = parse_iso_period(text)
    except ValueError:
        return None
    return period if period.freq in (FREQ_MONTHLY, FREQ_ANNUAL) else None

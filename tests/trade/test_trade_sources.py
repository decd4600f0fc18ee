"""Every trade source on its miniature real-format file: schema, counts, semantics.

Expected counts are hand counts of the sample files (see data/README.md): good rows are
stored, each deliberately bad row is rejected with its file line and a reason.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from critchem.core.errors import NotFoundError, TradeFormatError
from critchem.trade.schema import FLOW_SCHEMA
from critchem.trade.sources import (
    REJECT_SCHEMA,
    TradeSource,
    detect_source,
    get_source,
    register,
    sources,
)
from critchem.trade.sources._archive import read_header
from critchem.trade.sources.baci import Baci
from critchem.trade.sources.comext_sdmx import ComextSdmx

DATA = Path(__file__).parent / "data"

# source name -> sample file, rows read, rows stored, flows, file lines of the rejected rows
SAMPLES: dict[str, list[tuple[str, int, int, int, list[int]]]] = {
    "comext_bulk": [
        ("comext_v2_sample.dat", 33, 22, 22, list(range(16, 27))),
        ("comext_old_sample.dat", 10, 7, 7, [9, 10, 11]),
    ],
    "comext_sdmx": [("comext_sdmx_sample.csv", 35, 27, 14, list(range(29, 37)))],
    "comext_extract": [("comext_extract_sample.csv", 13, 6, 6, list(range(8, 15)))],
    "baci": [("baci_HS92_V202301_sample.csv", 21, 17, 17, [19, 20, 21, 22])],
    "comtrade": [("comtrade_sample.csv", 14, 8, 8, list(range(10, 16)))],
    "surveillance": [("surveillance_sample.csv", 15, 8, 8, list(range(10, 17)))],
    # canonical Parquet: no header, row 1 is the first row; rows 8-10 are broken on purpose
    # (missing reporter, flow 3, freq W).
    "canonical": [("canonical_sample.parquet", 10, 7, 7, [8, 9, 10])],
}
OWN_SOURCE = {"canonical": "synthetic"}
"""Sources whose files carry the name of the source they came from."""
CASES = [(name, *case) for name, cases in SAMPLES.items() for case in cases]


def parse_all(source: TradeSource, path: Path) -> tuple[pa.Table, pa.Table, int, int]:
    batches = list(source.parse(path))
    for batch in batches:
        assert batch.flows.schema.equals(FLOW_SCHEMA, check_metadata=False)
        assert batch.rejected.schema.equals(REJECT_SCHEMA, check_metadata=False)
    flows = pa.Table.from_batches([b.flows for b in batches], schema=FLOW_SCHEMA)
    rejected = pa.Table.from_batches([b.rejected for b in batches], schema=REJECT_SCHEMA)
    return flows, rejected, sum(b.rows_read for b in batches), sum(b.rows_stored for b in batches)


def rows_by(flows: pa.Table, **where: object) -> list[dict[str, object]]:
    return [r for r in flows.to_pylist() if all(r[k] == v for k, v in where.items())]


def test_every_registered_source_has_a_sample() -> None:
    assert set(sources()) == set(SAMPLES)


@pytest.mark.parametrize(("name", "file", "read", "stored", "flows", "bad_lines"), CASES)
def test_source_conformance(
    name: str, file: str, read: int, stored: int, flows: int, bad_lines: list[int]
) -> None:
    path = DATA / file
    source = detect_source(path)
    assert source.name == name
    assert [s.name for s in sources().values() if s.sniff(_header(path))] == [name]
    table, rejected, rows_read, rows_stored = parse_all(source, path)
    assert (rows_read, rows_stored, table.num_rows) == (read, stored, flows)
    assert rows_read == rows_stored + rejected.num_rows
    assert rejected.column("row_number").to_pylist() == bad_lines
    assert all(reason for reason in rejected.column("reason").to_pylist())
    for field in FLOW_SCHEMA:
        if not field.nullable:
            assert table.column(field.name).null_count == 0, field.name
    assert set(table.column("source").to_pylist()) == {OWN_SOURCE.get(name, name)}


def _header(path: Path) -> str:
    return read_header(path)


def test_rejected_rows_say_where_and_why() -> None:
    _, rejected, _, _ = parse_all(get_source("comext_bulk"), DATA / "comext_v2_sample.dat")
    reasons = {r["row_number"]: r for r in rejected.to_pylist()}
    assert reasons[16]["reason"] == "PARTNER 'XX' is not a known country or partner code"
    assert reasons[16]["raw"].startswith("AT,XX,E,38249996,")
    assert reasons[17]["reason"] == "VALUE_EUR '12a' is not a number (finite, at most 1e15)"
    assert reasons[19]["reason"] == "expected 18 fields, found 16 fields"
    assert reasons[22]["reason"] == "expected 18 fields, found a blank line"
    assert reasons[26]["reason"] == "VALUE_EUR '-50' is negative"


@pytest.fixture(scope="module")
def comext_flows() -> pa.Table:
    return parse_all(get_source("comext_bulk"), DATA / "comext_v2_sample.dat")[0]


@pytest.fixture(scope="module")
def sdmx_flows() -> pa.Table:
    return parse_all(get_source("comext_sdmx"), DATA / "comext_sdmx_sample.csv")[0]


@pytest.fixture(scope="module")
def baci_flows() -> pa.Table:
    return parse_all(get_source("baci"), DATA / "baci_HS92_V202301_sample.csv")[0]


@pytest.fixture(scope="module")
def comtrade_flows() -> pa.Table:
    return parse_all(get_source("comtrade"), DATA / "comtrade_sample.csv")[0]


@pytest.fixture(scope="module")
def surveillance_flows() -> pa.Table:
    return parse_all(get_source("surveillance"), DATA / "surveillance_sample.csv")[0]


class TestComextBulk:
    def test_annual_totals_are_freq_a_never_months(self, comext_flows: pa.Table) -> None:
        annual = rows_by(comext_flows, freq="A")
        assert len(annual) == 2
        de = rows_by(comext_flows, reporter="DE", partner="CN", product="29051100")
        assert {(r["freq"], r["period"], r["value"]) for r in de} == {
            ("M", "2024-02", 1_250_000.0),
            ("A", "2024", 15_000_000.0),
        }
        assert rows_by(comext_flows, freq="A", period="2024")[0]["period_start"] == date(2024, 1, 1)

    def test_masked_products_and_q_partners_are_kept_and_labelled(
        self, comext_flows: pa.Table
    ) -> None:
        masked = {r["product"]: r for r in comext_flows.to_pylist() if r["product_masked"]}
        assert set(masked) == {"39XXXXXX", "99RRR100"}
        kinds = {r["partner"]: r["partner_kind"] for r in comext_flows.to_pylist()}
        assert kinds["QU"] == "confidential"
        assert kinds["QV"] == "confidential"
        assert kinds["QS"] == "non-geographic"
        assert kinds["CN"] == "country"

    def test_greece_is_gr_and_semantics(self, comext_flows: pa.Table) -> None:
        assert rows_by(comext_flows, reporter="ES", product="29094100")[0]["partner"] == "GR"
        assert len(rows_by(comext_flows, reporter="GR")) == 1
        assert "EL" not in set(comext_flows.column("partner").to_pylist())
        row = rows_by(comext_flows, reporter="AT", partner="AD")[0]
        assert (row["value"], row["net_mass_kg"], row["currency"]) == (156.0, 6.0, "EUR")
        assert (row["product_nomenclature"], row["trade_type"], row["flow"]) == ("CN2024", "E", 2)

    def test_zero_stays_zero_and_no_unit_is_null(self, comext_flows: pa.Table) -> None:
        zero = rows_by(comext_flows, reporter="CZ", partner="SK")[0]
        assert (zero["value"], zero["net_mass_kg"]) == (0.0, 0.0)
        assert (zero["suppl_quantity"], zero["suppl_unit"]) == (None, None)
        hydrogen = rows_by(comext_flows, reporter="BE", partner="NO")[0]
        assert (hydrogen["suppl_quantity"], hydrogen["suppl_unit"]) == (1500.0, "M3")

    def test_statistical_procedures(self, comext_flows: pa.Table) -> None:
        by_reporter = {
            (r["reporter"], r["partner"]): r["stat_procedure"] for r in comext_flows.to_pylist()
        }
        assert by_reporter[("SE", "KR")] == 3
        assert by_reporter[("PL", "UA")] == 2
        assert by_reporter[("NL", "QU")] == 9

    def test_7z_archive_streams_the_same_flows(
        self, comext_7z: Path, comext_flows: pa.Table
    ) -> None:
        assert detect_source(comext_7z).name == "comext_bulk"
        from_7z, rejected, read, _ = parse_all(get_source("comext_bulk"), comext_7z)
        assert from_7z.equals(comext_flows)
        assert read == 33 and rejected.num_rows == 11

    def test_older_layout_maps_numeric_codes(self) -> None:
        comext_flows, rejected, _, _ = parse_all(
            get_source("comext_bulk"), DATA / "comext_old_sample.dat"
        )
        pairs = {(r["reporter"], r["partner"], r["freq"]) for r in comext_flows.to_pylist()}
        assert ("FR", "US", "M") in pairs
        assert ("GR", "NL", "M") in pairs
        assert ("NL", "QU", "M") in pairs  # 958 is not a geonomenclature code: ISO column used
        assert ("IT", "DE", "A") in pairs
        assert rows_by(comext_flows, reporter="FR")[0]["product_nomenclature"] == "CN2018"
        assert "disagrees with DECLARANT" in rejected.column("reason")[0].as_py()


class TestComextSdmx:
    def test_indicators_are_merged_and_100kg_become_kg(self, sdmx_flows: pa.Table) -> None:
        jan = rows_by(sdmx_flows, reporter="AT", period="2023-01")[0]
        assert jan["value"] == 820_844.0
        assert jan["net_mass_kg"] == pytest.approx(38_250.0)  # 382.5 x 100 kg
        assert rows_by(sdmx_flows, reporter="AT", period="2023-02")[0][
            "net_mass_kg"
        ] == pytest.approx(28_062.0)

    def test_missing_indicator_is_null_and_zero_is_zero(self, sdmx_flows: pa.Table) -> None:
        april = rows_by(sdmx_flows, reporter="AT", period="2023-04")[0]
        assert (april["value"], april["net_mass_kg"]) == (876_293.0, None)
        empty = rows_by(sdmx_flows, reporter="GR", period="2025-04")[0]
        assert (empty["value"], empty["net_mass_kg"]) == (1000.0, None)
        zero = rows_by(sdmx_flows, reporter="GR", period="2025-03")[0]  # written EL in the file
        assert (zero["value"], zero["net_mass_kg"]) == (0.0, 0.0)

    def test_labels(self, sdmx_flows: pa.Table) -> None:
        row = rows_by(sdmx_flows, reporter="DE", product="39201024", period="2024-03")[0]
        assert (row["partner"], row["partner_kind"], row["flow"]) == ("WORLD", "aggregate", 2)
        assert (row["product_nomenclature"], row["freq"], row["currency"]) == ("CN2024", "M", "EUR")

    def test_small_blocks_give_the_same_flows(self, sdmx_flows: pa.Table) -> None:
        small = parse_all(ComextSdmx(block_size=256, batch_rows=3), DATA / "comext_sdmx_sample.csv")
        assert (
            small[0]
            .sort_by([("reporter", "ascending"), ("period", "ascending")])
            .equals(sdmx_flows.sort_by([("reporter", "ascending"), ("period", "ascending")]))
        )
        assert sorted(small[1].column("row_number").to_pylist()) == list(range(29, 37))


class TestBaci:
    def test_units_and_codes(self, baci_flows: pa.Table) -> None:
        row = rows_by(baci_flows, reporter="AF", partner="AO", product="382390")[0]
        assert row["value"] == pytest.approx(52_051.0)  # 52.051 thousand USD
        assert row["net_mass_kg"] == pytest.approx(13_235.0)  # 13.235 tonnes
        assert (row["currency"], row["flow"], row["freq"], row["period"]) == ("USD", 2, "A", "2021")
        assert row["product_nomenclature"] == "HS1992"

    def test_na_quantity_is_null(self, baci_flows: pa.Table) -> None:
        row = rows_by(baci_flows, reporter="AF", product="852390")[0]
        assert row["net_mass_kg"] is None and row["value"] == pytest.approx(29.0)

    def test_country_table_and_overrides(self, baci_flows: pa.Table) -> None:
        partners = set(baci_flows.column("partner").to_pylist())
        assert {"IT", "TW", "NA", "US", "FR", "IN", "DE", "CN"} <= partners
        assert rows_by(baci_flows, product="071310")  # five-digit k padded to HS6

    def test_revision_must_be_known(self, sample_copy) -> None:
        nameless = sample_copy("baci_HS92_V202301_sample.csv", "baci_extract.csv")
        with pytest.raises(TradeFormatError, match="HS revision"):
            list(get_source("baci").parse(nameless))
        flows = parse_all(Baci(revision="HS17"), nameless)[0]
        assert set(flows.column("product_nomenclature").to_pylist()) == {"HS2017"}


class TestComtrade:
    def test_codes(self, comtrade_flows: pa.Table) -> None:
        kinds = {
            (r["reporter"], r["partner"]): r["partner_kind"] for r in comtrade_flows.to_pylist()
        }
        assert kinds[("US", "WORLD")] == "aggregate"
        assert kinds[("JP", "TW")] == "country"
        assert kinds[("CN", "QU")] == "confidential"

    def test_values(self, comtrade_flows: pa.Table) -> None:
        row = rows_by(comtrade_flows, reporter="DE", partner="US")[0]
        assert (row["flow"], row["value"], row["currency"]) == (2, 91_000_000.0, "USD")
        assert (row["net_mass_kg"], row["suppl_quantity"], row["suppl_unit"]) == (
            3000.0,
            3000.0,
            "kg",
        )
        month = rows_by(comtrade_flows, reporter="DE", partner="CN")[0]
        assert (month["freq"], month["period"], month["period_start"]) == (
            "M",
            "2023-01",
            date(2023, 1, 1),
        )
        korea = rows_by(comtrade_flows, reporter="KR")[0]
        assert korea["product_nomenclature"] == "HS2017"
        total = rows_by(comtrade_flows, reporter="FR")[0]
        assert (total["product"], total["net_mass_kg"], total["suppl_quantity"]) == (
            "TOTAL",
            None,
            None,
        )


class TestSurveillance:
    def test_daily_declarations(self, surveillance_flows: pa.Table) -> None:
        row = surveillance_flows.to_pylist()[0]
        assert (row["freq"], row["period"], row["period_start"]) == (
            "D",
            "2024-03-15",
            date(2024, 3, 15),
        )
        nomenclatures = {
            r["product"]: r["product_nomenclature"] for r in surveillance_flows.to_pylist()
        }
        assert nomenclatures["2804619000"] == "TARIC2024"
        assert nomenclatures["28046100"] in {"CN2024", "CN2019"}

    def test_procedures_and_membership(self, surveillance_flows: pa.Table) -> None:
        procedure = {r["product"]: r["stat_procedure"] for r in surveillance_flows.to_pylist()}
        assert procedure["3818001000"] == 2  # 5100 inward processing
        assert procedure["2811220000"] == 3  # 6121 re-import after outward processing
        assert procedure["3824999699"] == 3  # 2100 outward processing
        assert procedure["29011000"] == 1  # 1000 export
        assert (
            rows_by(surveillance_flows, reporter="GB")[0]["period"] == "2019-06-03"
        )  # EU member then
        assert (
            rows_by(surveillance_flows, product="2804100000")[0]["reporter"] == "GR"
        )  # written EL


def test_registry_is_explicit() -> None:
    with pytest.raises(NotFoundError) as error:
        get_source("comext")
    assert "comext_bulk" in error.value.suggestions
    with pytest.raises(ValueError, match="already registered"):
        register(ComextSdmx())


def test_unknown_layout_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(TradeFormatError, match="matches no known trade layout"):
        detect_source(path)


def test_comext_extract_semantics() -> None:
    path = DATA / "comext_extract_sample.csv"
    flows, rejected, _, _ = parse_all(get_source("comext_extract"), path)
    greece = rows_by(flows, product="28369100", partner="DE")[0]
    assert greece["reporter"] == "GR"  # written EL
    assert (greece["freq"], greece["period"], greece["period_start"]) == (
        "A",
        "2024",
        date(2024, 1, 1),
    )
    assert greece["product_nomenclature"] == "CN2024"
    # the layout has no quantity, trade type or procedure: null, never guessed
    for column in ("net_mass_kg", "suppl_quantity", "trade_type", "stat_procedure"):
        assert flows.column(column).null_count == flows.num_rows, column
    assert rows_by(flows, partner="XS")[0]["value"] == 2524.0
    reasons = dict(
        zip(
            rejected.column("row_number").to_pylist(),
            rejected.column("reason").to_pylist(),
            strict=True,
        )
    )
    assert "is 0" in reasons[8] and "not stored as a measurement" in reasons[8]

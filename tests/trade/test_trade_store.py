"""The trade store on real files: DuckDB catalogue and Parquet partitions under tmp_path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from critchem.core.errors import IngestError, TradeFormatError
from critchem.trade.loads import LoadReport
from critchem.trade.schema import FLOW_SCHEMA
from critchem.trade.sources import ParsedBatch, TradeSource, get_source
from critchem.trade.store import TradeStore

DATA = Path(__file__).parent / "data"
PACKAGE_DATA = resources.files("critchem.trade").joinpath("data")
SDMX_EXTRACT = "comext_DS-045409_monthly_EU27xWORLD_ch32-35-39_2023-2025.csv.gz"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TradeStore]:
    with TradeStore(tmp_path / "store") as opened:
        yield opened


def test_ingest_reconciles_and_partitions(store: TradeStore) -> None:
    report = store.ingest(DATA / "comext_v2_sample.dat", progress=False)
    assert (report.status, report.source, report.parser_version) == ("loaded", "comext_bulk", "1.0")
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (33, 22, 11)
    assert report.summary().startswith("comext_v2_sample.dat: read 33 = stored 22 + quarantined 11")
    flows_root = store.root / "flows" / "comext_bulk"
    assert sorted(
        p.relative_to(flows_root).parent.as_posix() for p in flows_root.rglob("*.parquet")
    ) == [
        "A/2024",
        "M/2024",
    ]
    for file in report.files:
        assert Path(file).name.startswith(report.load_id)
        assert pq.read_schema(file).equals(FLOW_SCHEMA, check_metadata=False)
    monthly = store.flows().filter("freq = 'M'").aggregate("count(*), sum(value)").fetchall()[0]
    annual = store.flows().filter("freq = 'A'").aggregate("count(*), sum(value)").fetchall()[0]
    assert annual == (2, 20_600_000.0)
    assert monthly[0] == 20
    assert not list((store.root / "staging").glob("*/*"))


def test_loads_record_provenance(store: TradeStore) -> None:
    report = store.ingest(DATA / "comext_old_sample.dat", progress=False)
    row = store.loads().fetchall()
    assert len(row) == 1
    record = dict(zip(store.loads().columns, row[0], strict=True))
    assert record["file_sha256"] == report.file_sha256 and len(report.file_sha256) == 64
    assert record["file_size"] == (DATA / "comext_old_sample.dat").stat().st_size
    assert (record["parser"], record["parser_version"]) == ("ComextBulk", "1.0")
    assert record["critchem_version"]
    assert (record["rows_read"], record["rows_stored"], record["rows_quarantined"]) == (10, 7, 3)
    assert record["status"] == "loaded" and record["retrieved_at"] is not None


def test_reingest_is_a_noop(store: TradeStore, sample_copy) -> None:
    first = store.ingest(DATA / "baci_HS92_V202301_sample.csv", progress=False)
    renamed = sample_copy("baci_HS92_V202301_sample.csv", "BACI_HS92_copy.csv")
    again = store.ingest(renamed, progress=False)
    assert again.status == "skipped" and again.load_id == first.load_id
    assert "already loaded as load" in again.summary()
    assert store.flows().count("*").fetchall() == [(17,)]
    assert len(store.loads().fetchall()) == 1


def test_bad_rows_are_quarantined_with_line_and_reason(store: TradeStore) -> None:
    report = store.ingest(DATA / "comext_sdmx_sample.csv", progress=False)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (35, 27, 8)
    assert report.flows_written == 14
    rows = store.quarantine(report.load_id).fetchall()
    assert [r[0] for r in rows] == list(range(29, 37))
    assert rows[0] == (
        29,
        "M,XX,WORLD,32121000,1,VALUE_IN_EUROS,2023-01,1000.0",
        "reporter 'XX' is not a known code",
    )
    assert rows[-1][2] == "duplicate of line 5 (same observation and indicator)"


def test_real_sdmx_extract_ingests_fully(
    store: TradeStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """The package's real Eurostat extract: 112,846 rows, one per indicator, 56,423 flows."""
    with resources.as_file(PACKAGE_DATA.joinpath(SDMX_EXTRACT)) as path:
        report = store.ingest(path, progress=True)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (112_846, 112_846, 0)
    assert report.flows_written == 56_423
    assert "read 112846 = stored 112846 + quarantined 0" in capsys.readouterr().err
    summary = (
        store.flows()
        .aggregate(
            "count(DISTINCT reporter), count(DISTINCT product), min(period), max(period),"
            " count(*) FILTER (WHERE value IS NULL), count(*) FILTER (WHERE net_mass_kg IS NULL)"
        )
        .fetchall()[0]
    )
    assert summary == (27, 31, "2023-01", "2025-12", 0, 0)
    at_jan = store.flows().filter(
        "reporter = 'AT' AND product = '32121000' AND flow = 1 AND period = '2023-01'"
    )
    assert at_jan.project("value, net_mass_kg").fetchall() == [(820_844.0, 38_250.0)]


def test_real_baci_extract_ingests_fully(store: TradeStore) -> None:
    with resources.as_file(
        PACKAGE_DATA.joinpath("baci_HS92_V202301_2021_exporters_ZAF_AFG.csv.gz")
    ) as path:
        report = store.ingest(path, progress=False)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (71_192, 71_192, 0)
    nulls = store.flows().filter("net_mass_kg IS NULL").count("*").fetchall()
    assert nulls == [(2_306,)]  # quantities written NA


def test_7z_archive_ingests(store: TradeStore, comext_7z: Path) -> None:
    report = store.ingest(comext_7z, progress=False)
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (33, 22, 11)


def test_wrong_layout_is_refused_and_nothing_is_stored(store: TradeStore) -> None:
    with pytest.raises(TradeFormatError, match="line 1"):
        store.ingest(DATA / "comext_v2_sample.dat", source="baci", progress=False)
    assert store.flows().count("*").fetchall() == [(0,)]


class _Leaky(TradeSource):
    """A broken parser that loses rows: the store must refuse its load."""

    name = "leaky"
    version = "0"
    description = "test double"

    def sniff(self, header: str) -> bool:
        return False

    def parse(self, path: Path):
        for batch in get_source("comext_bulk").parse(path):
            yield ParsedBatch(batch.flows, batch.rejected, batch.rows_read + 1, batch.rows_stored)


def test_unreconciled_load_fails_and_is_recorded(store: TradeStore) -> None:
    with pytest.raises(IngestError, match="do not reconcile"):
        store.ingest(DATA / "comext_v2_sample.dat", source=_Leaky(), progress=False)
    assert store.flows().count("*").fetchall() == [(0,)]
    statuses = store.connection.sql("SELECT status, error FROM loads").fetchall()
    assert statuses[0][0] == "failed" and "reconcile" in statuses[0][1]
    assert not list((store.root / "flows").rglob("*.parquet"))
    retry = store.ingest(DATA / "comext_v2_sample.dat", progress=False)
    assert retry.status == "loaded"


def test_retrieved_at_comes_from_the_download_sidecar(store: TradeStore, sample_copy) -> None:
    path = sample_copy("surveillance_sample.csv")
    sidecar = path.with_name(path.name + ".json")
    sidecar.write_text(json.dumps({"retrieved_at": "2025-01-02T03:04:05+00:00"}), encoding="utf-8")
    report = store.ingest(path, progress=False)
    assert report.retrieved_at == "2025-01-02T03:04:05+00:00"


def test_store_reopens_with_its_flows(tmp_path: Path) -> None:
    with TradeStore(tmp_path / "s") as first:
        first.ingest(DATA / "comtrade_sample.csv", progress=False)
    with TradeStore(tmp_path / "s") as second:
        assert second.flows().count("*").fetchall() == [(8,)]
        assert second.flows().filter("partner = 'WORLD'").count("*").fetchall() == [(1,)]


def test_load_report_as_dict(store: TradeStore) -> None:
    report = store.ingest(DATA / "surveillance_sample.csv", progress=False)
    data = report.to_dict()
    assert data["reconciles"] is True and data["rows_read"] == 15
    assert (
        LoadReport(
            **{k: v for k, v in data.items() if k != "reconciles"} | {"files": tuple(data["files"])}
        )
        == report
    )


def test_query_api_gives_loads_products_rows_and_complete_months(store: TradeStore) -> None:
    assert store.committed_loads() == []
    report = store.ingest(DATA / "comext_v2_sample.dat", progress=False)
    assert store.committed_loads() == [report.load_id]
    annual = store.rows(source="comext_bulk", freq="A")
    assert (annual.num_rows, sum(annual.column("value").to_pylist())) == (2, 20_600_000.0)
    assert store.rows(source="baci", freq="A").num_rows == 0
    pairs = store.products_of([report.load_id], freq="M")
    expected = store.flows().filter("freq = 'M'").aggregate("source, product").fetchall()
    assert sorted(zip(*pairs.to_pydict().values(), strict=True)) == sorted(expected)
    assert store.products_of([], freq="M").num_rows == 0
    months = store.complete_months(pairs).to_pylist()
    reporters: dict[object, set[str]] = {}
    for row in store.rows(source="comext_bulk", freq="M").to_pylist():
        if not row["product_masked"]:
            reporters.setdefault(row["period"], set()).add(row["reporter"])
    most = max(len(r) for r in reporters.values())
    complete = {period for period, r in reporters.items() if len(r) == most}
    assert months and {row["period"] for row in months} == complete

"""Attacks on the trade store that once double-counted or broke it, now held.

Miniature Comext v2 files written here; the expected totals are computed by hand beside them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from critchem.core.errors import IngestError
from critchem.trade import _layout
from critchem.trade.schema import FLOW_SCHEMA
from critchem.trade.store import TradeStore

HEADER = (
    "REPORTER,PARTNER,TRADE_TYPE,PRODUCT_NC,PRODUCT_SITC,PRODUCT_CPA21,PRODUCT_CPA22,"
    "PRODUCT_BEC,PRODUCT_BEC5,PRODUCT_SECTION,FLOW,STAT_PROCEDURE,SUPPL_UNIT,PERIOD,"
    "VALUE_EUR,VALUE_NAC,QUANTITY_KG,QUANTITY_SUPPL_UNIT"
)


def _row(reporter: str, partner: str, product: str, period: str, value: str) -> str:
    return (
        f"{reporter},{partner},E,{product},51211,2014,2014,220,211220,06,1,1,NO_SU,"
        f"{period},{value},{value},1000,0"
    )


def _file(path: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode(encoding))
    return path


def _total(store: TradeStore) -> tuple[int, float]:
    count, total = store.flows().aggregate("count(*), sum(value)").fetchall()[0]
    return int(count), float(total or 0.0)


def test_a_revised_month_replaces_its_rows_instead_of_doubling(tmp_path: Path) -> None:
    first = _file(
        tmp_path / "full_v2_202402.dat",
        [
            _row("DE", "CN", "29051100", "202402", "100"),
            _row("DE", "US", "29051100", "202402", "50"),
            _row("FR", "CN", "29051100", "202402", "10"),
            _row("DE", "CN", "29051100", "202401", "7"),  # January: not revised
        ],
    )
    with TradeStore(tmp_path / "store") as store:
        store.ingest(first, progress=False)
        assert _total(store) == (4, 167.0)
        # The revision of February for DE/29051100: CN corrected to 120, US withdrawn.
        revised = _file(
            tmp_path / "full_v2_202402_rev.dat",
            [
                _row("DE", "CN", "29051100", "202402", "120"),
                _row("FR", "CN", "29051100", "202402", "10"),
            ],
        )
        report = store.ingest(revised, progress=False)
        # DE Feb: 120 (was 100 + 50); FR Feb: 10 (same); DE Jan: 7 (untouched) = 137
        assert _total(store) == (3, 137.0)
        assert report.rows_superseded == 3  # DE-CN, DE-US and FR-CN of February
        assert "older rows replaced" in report.summary()
        again = store.ingest(revised, progress=False)  # the same file: nothing changes
        assert again.status == "skipped" and _total(store) == (3, 137.0)


def test_exact_duplicates_are_stored_once_and_conflicts_reported(tmp_path: Path) -> None:
    path = _file(
        tmp_path / "dups.dat",
        [
            _row("DE", "CN", "29051100", "202402", "100"),
            _row("DE", "CN", "29051100", "202402", "100"),  # exact copy
            _row("DE", "US", "29051100", "202402", "50"),
            _row("DE", "US", "29051100", "202402", "55"),  # same key, other figure
        ],
    )
    with TradeStore(tmp_path / "store") as store:
        report = store.ingest(path, progress=False)
        assert (report.rows_read, report.rows_stored) == (4, 4)
        assert (report.duplicate_copies, report.conflicting_keys) == (1, 1)
        assert report.flows_written == 3
        assert _total(store) == (3, 205.0)  # 100 + 50 + 55


@pytest.mark.parametrize("noted_keys", [50_000, 0])  # keys joined, or matched by key hash
def test_copies_across_staged_files_are_dropped_once_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, noted_keys: int
) -> None:
    from critchem.trade import _duplicates

    monkeypatch.setattr(_duplicates, "NOTED_KEYS", noted_keys)
    from critchem.trade._parquet import PartitionWriter
    from critchem.trade.sources import get_source

    path = _file(
        tmp_path / "spread.dat",
        [
            _row("DE", "CN", "29051100", "202402", "100"),
            _row("DE", "US", "29051100", "202402", "50"),
            _row("DE", "CN", "29051100", "202402", "100"),  # copy 2 of line 1
            _row("DE", "US", "29051100", "202402", "55"),  # DE-US: second figure
            _row("DE", "CN", "29051100", "202402", "100"),  # copy 3 of line 1
            _row("DE", "US", "29051100", "202402", "60"),  # DE-US: third figure
            _row("FR", "CN", "29051100", "202402", "10"),
        ],
    )
    staging = tmp_path / "staging"
    with PartitionWriter(staging, "load", max_rows_per_file=2) as writer:
        for batch in get_source("comext_bulk").parse(path):
            for row in range(batch.flows.num_rows):  # one row per write: 2 rows a file
                writer.write(batch.flows.slice(row, 1))
    files = sorted(staging.rglob("*.parquet"))
    # 7 rows, at most 2 per file: the two copies of DE-CN were held back while writing, and
    # the second and third figures of DE-US written and their key noted
    assert len(files) == 3
    assert sum(b.num_rows for rows in writer.held.values() for b in rows) == 2
    assert sum(b.num_rows for rows in writer.keys.values() for b in rows) == 2
    found = _duplicates.resolve(files, writer.held, "load", writer.keys)
    # 2 copies of DE-CN dropped; DE-US has 3 distinct figures: 2 rows beyond the first
    assert (found.exact_copies, found.conflicting_keys) == (2, 2)
    assert found.examples == ("comext_bulk DE US E 29051100 1 1 M 2024-02",)
    assert sorted(staging.rglob("*.parquet")) == files  # no file rewritten, none added
    kept = [pq.read_table(f) for f in files]
    assert sum(t.num_rows for t in kept) == 5
    values = sorted(v for t in kept for v in t.column("value").to_pylist())
    assert values == [10.0, 50.0, 55.0, 60.0, 100.0]
    assert all(t.schema.equals(FLOW_SCHEMA) for t in kept)
    assert not (files[0].parent / ".spill").exists()


def test_a_held_row_that_copies_no_written_row_is_kept(tmp_path: Path) -> None:
    """A row held on a hash alone (a collision) is compared in full, then written, once."""
    from critchem.trade import _duplicates
    from critchem.trade._parquet import PartitionWriter
    from critchem.trade.sources import get_source

    path = _file(
        tmp_path / "two.dat",
        [
            _row("DE", "CN", "29051100", "202402", "100"),
            _row("FR", "CN", "29051100", "202402", "7"),
        ],
    )
    staging = tmp_path / "staging"
    with PartitionWriter(staging, "load") as writer:
        batches = [batch.flows for batch in get_source("comext_bulk").parse(path)]
        writer.write(batches[0].slice(0, 1))
    files = sorted(staging.rglob("*.parquet"))
    other = batches[0].slice(1, 1)  # as if its hash had matched the written row's
    held = {files[0].parent: [other, other]}
    found = _duplicates.resolve(files, held, "load")
    assert (found.exact_copies, found.conflicting_keys) == (1, 0)  # the second is a copy
    added = sorted(set(staging.rglob("*.parquet")) - set(files))
    assert [f.name for f in added] == ["load-1.parquet"]
    table = pq.read_table(added[0])
    assert table.column("reporter").to_pylist() == ["FR"]
    assert table.schema.equals(FLOW_SCHEMA)


@pytest.mark.parametrize("bad", ["1e400", "inf", "NaN", "2e15", "-inf"])
def test_non_finite_and_absurd_numbers_are_quarantined(tmp_path: Path, bad: str) -> None:
    path = _file(
        tmp_path / "bad.dat",
        [
            _row("DE", "CN", "29051100", "202402", "100"),
            _row("DE", "US", "29051100", "202402", bad),
        ],
    )
    with TradeStore(tmp_path / "store") as store:
        report = store.ingest(path, progress=False)
        assert (report.rows_stored, report.rows_quarantined) == (1, 1)
        assert _total(store) == (1, 100.0)
        reasons = [r[2] for r in store.quarantine(report.load_id).fetchall()]
        assert reasons == [f"VALUE_EUR '{bad}' is not a number (finite, at most 1e15)"]


def test_good_rows_survive_a_latin1_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.dat"
    path.write_bytes(
        (HEADER + "\n" + _row("DE", "CN", "29051100", "202402", "100") + "\n").encode()
        + (_row("DE", "CN", "2905110\xe9", "202402", "5") + "\n").encode("latin-1")
        + (_row("DE", "US", "29051100", "202402", "50") + "\n").encode()
    )
    with TradeStore(tmp_path / "store") as store:
        report = store.ingest(path, progress=False)
        assert report.rows_read == 3 and report.rows_quarantined == 1
        assert _total(store) == (2, 150.0)
        ((line, raw, reason),) = store.quarantine(report.load_id).fetchall()
        assert line == 3 and raw.startswith("DE,CN,E,2905110\ufffd,")
        assert reason == "the line is not UTF-8 text (another encoding?)"


def test_a_crash_between_publishing_and_committing_leaves_no_extra_rows(tmp_path: Path) -> None:
    root = tmp_path / "store"
    path = _file(tmp_path / "a.dat", [_row("DE", "CN", "29051100", "202402", "100")])
    with TradeStore(root) as store:
        store.ingest(path, progress=False)
    # what a kill -9 after the move and before the commit leaves: a published file and a
    # 'committing' load
    orphan = root / "flows" / "comext_bulk" / "M" / "2024" / "20990101T000000-dead-0.parquet"
    orphan.write_bytes(next((root / "flows").rglob("*.parquet")).read_bytes())
    with TradeStore(root) as store:
        assert _total(store) == (1, 100.0)  # the view lists committed files only
        store.connection.execute(
            "INSERT INTO loads (load_id, source, path, file_sha256, file_size, ingested_at,"
            " parser, parser_version, critchem_version, rows_read, rows_stored,"
            " rows_quarantined, flows_written, status) VALUES ('L-dead', 'comext_bulk', 'x',"
            " 'ff', 1, now(), 'p', '1', '1', 1, 1, 0, 1, 'committing')"
        )
        store.ingest(
            _file(tmp_path / "b.dat", [_row("FR", "CN", "29051100", "202403", "5")]), progress=False
        )
        assert not orphan.exists()  # swept under the ingest lock
        status = store.connection.execute(
            "SELECT status FROM loads WHERE load_id = 'L-dead'"
        ).fetchall()
        assert status == [("failed",)]
        assert _total(store) == (2, 105.0)
        committed = {p.name for p in _layout.committed_files(root)}
        assert committed == {p.name for p in (root / "flows").rglob("*.parquet")}


def test_a_second_concurrent_ingest_fails_with_a_message(tmp_path: Path) -> None:
    root = tmp_path / "store"
    path = _file(tmp_path / "a.dat", [_row("DE", "CN", "29051100", "202402", "100")])
    with _layout.ingest_lock(root):
        script = textwrap.dedent(
            f"""
            from critchem.core.errors import IngestError
            from critchem.trade.store import TradeStore
            try:
                TradeStore({str(root)!r}).ingest({str(path)!r}, progress=False)
            except IngestError as exc:
                print("refused:", exc)
            """
        )
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
    assert "refused: another ingest is running on the trade store 'store'" in out.stdout
    assert "Traceback" not in out.stderr
    locked = _layout.ingest_lock(root)
    with pytest.raises(IngestError, match="another ingest"), locked, _layout.ingest_lock(root):
        pass


def test_pandas_polars_and_duckdb_read_the_store_directly(tmp_path: Path) -> None:
    """Issue 16: no partition columns of another type, one schema in every file."""
    root = tmp_path / "store"
    rows = [
        _row("DE", "CN", "29051100", "202402", "100"),
        _row("FR", "CN", "29051100", "202302", "5"),
    ]
    with TradeStore(root) as store:
        store.ingest(_file(tmp_path / "a.dat", rows), progress=False)
    flows = root / "flows"
    frame = pd.read_parquet(flows)
    assert len(frame) == 2 and str(frame["year"].dtype) == "int16"
    assert sorted(frame["value"]) == [5.0, 100.0]
    pl = pytest.importorskip("polars")
    polars = pl.read_parquet(flows / "**" / "*.parquet")
    assert polars.height == 2 and polars.schema["year"] == pl.Int16
    import duckdb

    count = duckdb.sql(f"SELECT count(*), sum(value) FROM read_parquet('{flows}/**/*.parquet')")
    assert count.fetchall() == [(2, 105.0)]
    for file in flows.rglob("*.parquet"):
        assert pq.read_schema(file).equals(FLOW_SCHEMA, check_metadata=False)


def test_a_store_of_the_former_key_value_layout_is_moved_once(tmp_path: Path) -> None:
    root = tmp_path / "store"
    path = _file(tmp_path / "a.dat", [_row("DE", "CN", "29051100", "202402", "100")])
    with TradeStore(root) as store:
        store.ingest(path, progress=False)
        store.connection.execute("DELETE FROM load_files")
    (file,) = (root / "flows").rglob("*.parquet")
    legacy = root / "flows" / "source=comext_bulk" / "freq=M" / "year=2024" / file.name
    legacy.parent.mkdir(parents=True)
    file.replace(legacy)
    with TradeStore(root) as store:
        assert _total(store) == (1, 100.0)
    assert not legacy.exists() and [p.name for p in _layout.committed_files(root)] == [file.name]


def test_held_rows_of_a_key_no_written_row_has_are_kept_and_counted(tmp_path: Path) -> None:
    """Two held figures of one key that is in no written file (two keys with one hash)."""
    from critchem.trade import _duplicates
    from critchem.trade._parquet import PartitionWriter
    from critchem.trade.sources import get_source

    path = _file(
        tmp_path / "three.dat",
        [
            _row("DE", "CN", "29051100", "202402", "100"),
            _row("FR", "CN", "29051100", "202402", "7"),
            _row("FR", "CN", "29051100", "202402", "8"),
        ],
    )
    staging = tmp_path / "staging"
    with PartitionWriter(staging, "load") as writer:
        batches = [batch.flows for batch in get_source("comext_bulk").parse(path)]
        writer.write(batches[0].slice(0, 1))
    files = sorted(staging.rglob("*.parquet"))
    held = {files[0].parent: [batches[0].slice(1, 2)]}
    found = _duplicates.resolve(files, held, "load")
    assert (found.exact_copies, found.conflicting_keys) == (0, 1)
    assert found.examples == ("comext_bulk FR CN E 29051100 1 1 M 2024-02",)
    added = pq.read_table(files[0].parent / "load-1.parquet")
    assert added.column("value").to_pylist() == [7.0, 8.0]


def test_key_hashes_do_not_depend_on_the_batch_a_value_comes_in() -> None:
    """Codes of one width are read as integers, other columns through a dictionary: a value
    gets the same number either way, so a copy in a later batch is still caught."""
    import pyarrow as pa

    from critchem.trade._duplicates import KeyHasher

    hasher = KeyHasher(("partner", "flow"))
    narrow = hasher(pa.record_batch({"partner": ["CN", "US"], "flow": pa.array([1, 2], pa.int8())}))
    mixed = hasher(
        pa.record_batch(
            {
                "partner": ["US", None, "EU27_2020", "CN"],
                "flow": pa.array([2, None, 1, 1], pa.int8()),
            }
        )
    )
    assert mixed[3] == narrow[0] and mixed[0] == narrow[1]
    assert len(set(mixed.tolist())) == 4

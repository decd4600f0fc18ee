"""The downloaders against a real local HTTP server serving real-format files (no internet)."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from critchem.core.errors import FetchError
from critchem.services.trade import fetch, ingest_paths
from critchem.trade.fetch import download, fetch_baci, fetch_comext, fetch_comtrade, sidecar_path
from critchem.trade.store import TradeStore

DATA = Path(__file__).parent / "data"
EUROSTAT_PATH = "/eurostat/api/dissemination/files?file=comext%2FCOMEXT_DATA%2FPRODUCTS%2F"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def comext_served(file_server, comext_7z: Path):
    for month in ("202402", "202403"):
        shutil.copyfile(comext_7z, file_server.root / f"full_v2_{month}.7z")
    return file_server


def test_fetch_comext_downloads_and_records_provenance(comext_served, tmp_path: Path) -> None:
    base = comext_served.url(EUROSTAT_PATH)
    paths = fetch_comext(["2024-02", "202403"], tmp_path / "dl", base_url=base)
    assert [p.name for p in paths] == ["full_v2_202402.7z", "full_v2_202403.7z"]
    for path in paths:
        meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        assert meta["sha256"] == sha256(path) == sha256(comext_served.root / path.name)
        assert meta["url"] == base + path.name and meta["size"] == path.stat().st_size
        assert not path.with_name(path.name + ".part").exists()
    assert [name for name, _ in comext_served.requests] == [
        "full_v2_202402.7z",
        "full_v2_202403.7z",
    ]


def test_complete_files_are_not_downloaded_again(comext_served, tmp_path: Path) -> None:
    base = comext_served.url(EUROSTAT_PATH)
    fetch_comext(["2024-02"], tmp_path / "dl", base_url=base)
    again = download(base + "full_v2_202402.7z", tmp_path / "dl" / "full_v2_202402.7z")
    assert again.cached
    assert len(comext_served.requests) == 1


def test_truncated_download_resumes_with_range(comext_served, tmp_path: Path) -> None:
    base = comext_served.url(EUROSTAT_PATH)
    comext_served.truncate_once.add("full_v2_202402.7z")
    source = comext_served.root / "full_v2_202402.7z"
    waits: list[float] = []
    dest = tmp_path / "dl" / "full_v2_202402.7z"
    path = Path(download(base + source.name, dest, base_delay=0.01, sleep=waits.append).path)
    assert waits == [0.01]  # cut once, retried once
    assert comext_served.requests[-1][1]["Range"] == f"bytes={source.stat().st_size // 2}-"
    assert sha256(path) == sha256(source)
    assert json.loads(sidecar_path(path).read_text(encoding="utf-8"))["sha256"] == sha256(source)


def test_checksum_mismatch_is_an_error(comext_served, tmp_path: Path) -> None:
    base = comext_served.url(EUROSTAT_PATH)
    with pytest.raises(FetchError, match="checksum mismatch"):
        fetch_comext(
            ["2024-02"], tmp_path / "dl", base_url=base, checksums={"full_v2_202402.7z": "0" * 64}
        )
    assert not list((tmp_path / "dl").glob("full_v2_202402.7z*"))
    good = {"full_v2_202402.7z": sha256(comext_served.root / "full_v2_202402.7z")}
    assert fetch_comext(["2024-02"], tmp_path / "dl", base_url=base, checksums=good)


def test_http_error_is_a_fetch_error(comext_served, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_comext(["2019-01"], tmp_path / "dl", base_url=comext_served.url(EUROSTAT_PATH))


def test_fetched_archive_ingests_with_its_retrieval_time(comext_served, tmp_path: Path) -> None:
    (path,) = fetch_comext(["2024-02"], tmp_path / "dl", base_url=comext_served.url(EUROSTAT_PATH))
    with TradeStore(tmp_path / "store") as store:
        report = store.ingest(path, progress=False)
    meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert report.retrieved_at == meta["retrieved_at"]
    assert (report.rows_read, report.rows_stored, report.rows_quarantined) == (33, 22, 11)


def test_fetch_baci_extracts_years_and_country_table(file_server, tmp_path: Path) -> None:
    bundle = file_server.root / "BACI_HS92_V202501.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(DATA / "baci_HS92_V202301_sample.csv", "BACI_HS92_Y2021_V202501.csv")
        archive.writestr("BACI_HS92_Y2020_V202501.csv", '"t","i","j","k","v","q"\n')
        archive.writestr(
            "country_codes_V202501.csv",
            "country_code,country_name,country_iso2,country_iso3\n4,Afghanistan,AF,AFG\n24,Angola,AO,AGO\n",
        )
    dest = tmp_path / "baci"
    paths = fetch_baci(
        dest=dest, years=[2021], base_url=file_server.url("/baci/"), release="202501"
    )
    assert [p.name for p in paths] == ["BACI_HS92_Y2021_V202501.csv"]
    assert (dest / "country_codes_V202501.csv").is_file()
    with TradeStore(tmp_path / "store") as store:
        report = store.ingest(paths[0], progress=False)
    # the table beside the file knows only Afghanistan and Angola (and the shipped overrides,
    # Italy 380 and Taiwan 490): three rows to Angola, one to Italy, one to Taiwan
    assert (report.rows_read, report.rows_stored) == (21, 5)


def test_fetch_comtrade_writes_api_csv(file_server, tmp_path: Path) -> None:
    record = dict.fromkeys(("typeCode", "freqCode", "period", "reporterISO", "flowCode"), "")
    record |= {
        "typeCode": "C", "freqCode": "A", "period": "2023", "reporterISO": "USA",
        "flowCode": "M", "partnerISO": "CHN", "classificationCode": "H6", "cmdCode": "280461",
        "primaryValue": 4300000.0, "netWgt": 1250000, "qty": 1250000, "qtyUnitAbbr": "kg",
        "partner2Code": 0, "motCode": 0, "customsCode": "C00", "isReported": True,
    }  # fmt: skip
    (file_server.root / "HS").write_text(json.dumps({"count": 1, "data": [record]}), "utf-8")
    (path,) = fetch_comtrade(
        dest=tmp_path, reporters=["842"], periods=["2023"], subscription_key="k3y",
        base_url=file_server.url("/data/v1/get/"),
    )  # fmt: skip
    assert file_server.requests[0][1]["Ocp-Apim-Subscription-Key"] == "k3y"
    assert path.name == "comtrade_A_842_2023.csv"
    with TradeStore(tmp_path / "store") as store:
        report = store.ingest(path, progress=False)
        assert (report.rows_stored, report.rows_quarantined) == (1, 0)
        assert store.flows().project("reporter, partner, value").fetchall() == [
            ("US", "CN", 4_300_000.0)
        ]


def test_comtrade_error_answer(file_server, tmp_path: Path) -> None:
    (file_server.root / "HS").write_text(json.dumps({"error": "bad key", "data": []}), "utf-8")
    with pytest.raises(FetchError, match="bad key"):
        fetch_comtrade(
            dest=tmp_path, reporters=["842"], periods=["2023"], subscription_key="x",
            base_url=file_server.url("/data/v1/get/"),
        )  # fmt: skip


def test_services_fetch_then_ingest(comext_served, tmp_path: Path) -> None:
    dest = tmp_path / "downloads"
    paths = fetch(
        "comext",
        start="2024-02",
        end="2024-03",
        dest=dest,
        base_url=comext_served.url(EUROSTAT_PATH),
    )
    assert [p.name for p in paths] == ["full_v2_202402.7z", "full_v2_202403.7z"]
    reports = ingest_paths([dest], store_root=tmp_path / "store", progress=False)
    # both months carry the same bytes: the second is the same file, loaded once
    assert [r.status for r in reports] == ["loaded", "skipped"]
    assert reports[0].summary().endswith("22 flows written)")


def test_services_fetch_refuses_unknown_provider_and_missing_key(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="unknown provider"):
        fetch("oecd", start="2024", end="2024", dest=tmp_path)
    with pytest.raises(FetchError, match="subscription key"):
        fetch("comtrade", start="2023", end="2023", dest=tmp_path, reporters=["842"])


def test_transient_errors_are_retried_after_retry_after(comext_served, tmp_path: Path) -> None:
    base = comext_served.url(EUROSTAT_PATH)
    comext_served.fail_first["full_v2_202402.7z"] = 2
    waits: list[float] = []
    dest = tmp_path / "dl" / "full_v2_202402.7z"
    got = download(base + dest.name, dest, base_delay=0.01, sleep=waits.append)
    assert waits == [1.0, 1.0]  # the server's Retry-After: 1, longer than the backoff
    assert got.sha256 == sha256(comext_served.root / dest.name)
    comext_served.fail_first["full_v2_202403.7z"] = 9
    with pytest.raises(FetchError, match=r"HTTP 503.*gave up after 3 attempts"):
        download(
            base + "full_v2_202403.7z", tmp_path / "dl" / "x.7z", retries=2, sleep=waits.append
        )


def test_refresh_asks_the_server_and_fetches_a_revised_file(comext_served, tmp_path: Path) -> None:
    base = comext_served.url(EUROSTAT_PATH)
    dest = tmp_path / "dl" / "full_v2_202402.7z"
    first = download(base + dest.name, dest)
    assert first.etag
    same = download(base + dest.name, dest, refresh=True)
    assert same.cached and same.sha256 == first.sha256
    assert comext_served.requests[-1][1]["If-None-Match"] == first.etag
    served = comext_served.root / dest.name
    served.write_bytes(served.read_bytes() + b"revised")  # Eurostat revised the month
    revised = download(base + dest.name, dest, refresh=True)
    assert not revised.cached and revised.sha256 == sha256(served) != first.sha256
    assert json.loads(sidecar_path(dest).read_text(encoding="utf-8"))["etag"] == revised.etag


def test_comtrade_count_must_match_the_records(file_server, tmp_path: Path) -> None:
    record = {"typeCode": "C", "freqCode": "A", "period": "2023", "cmdCode": "280461"}
    answer = {"count": 3, "data": [record]}  # announced 3, sent 1: a cut answer
    (file_server.root / "HS").write_text(json.dumps(answer), "utf-8")
    with pytest.raises(FetchError, match="announced 3 records but sent 1"):
        fetch_comtrade(
            dest=tmp_path, reporters=["842"], periods=["2023"], subscription_key="k",
            base_url=file_server.url("/data/v1/get/"),
        )  # fmt: skip
    assert not (tmp_path / "comtrade_A_842_2023.json").exists()  # not kept as complete


def test_comtrade_requests_are_spaced_and_answers_on_disk_cost_no_wait(
    file_server, tmp_path: Path
) -> None:
    """Three periods: two waits of ``min_interval`` between the requests; none when run again."""
    (file_server.root / "HS").write_text(json.dumps({"count": 0, "data": []}), "utf-8")
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    def run() -> list[Path]:
        return fetch_comtrade(
            dest=tmp_path, reporters=["842"], periods=["2021", "2022", "2023"],
            subscription_key="k3y", base_url=file_server.url("/data/v1/get/"),
            min_interval=1.5, sleep=sleep, clock=lambda: now[0],
        )  # fmt: skip

    assert len(run()) == 3
    assert waits == [1.5, 1.5]
    assert len(file_server.requests) == 3
    run()
    assert waits == [1.5, 1.5] and len(file_server.requests) == 3

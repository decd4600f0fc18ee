"""CSV, Parquet and Excel answers, ETag revalidation and paging links of the list routes."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
from openpyxl import load_workbook

from critchem.surveillance.alerts import AlertStore
from tests.api.conftest import Api

ALERTS = "/api/v1/alerts"


def test_csv_by_query_and_by_accept(api: Api, alerts_db: AlertStore) -> None:
    as_json = api.get(ALERTS).json()
    by_query = api.get(ALERTS, params={"format": "csv"})
    by_accept = api.get(ALERTS, headers={"Accept": "text/csv"})
    for response in (by_query, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert [int(r["id"]) for r in rows] == [a["id"] for a in as_json["items"]]
    assert by_query.content == by_accept.content


def test_parquet_and_xlsx_hold_the_same_rows(api: Api, alerts_db: AlertStore) -> None:
    items = api.get(ALERTS).json()["items"]
    parquet = api.get(ALERTS, params={"format": "parquet"})
    assert parquet.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.column("id").to_pylist() == [a["id"] for a in items]
    xlsx = api.get(
        ALERTS,
        headers={
            "Accept": "application/vnd.apache.parquet;q=0.5, "
            "application/vnd.openxmlformats-officedocument."
            "spreadsheetml.sheet"
        },
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    header = [c.value for c in sheet[1]]
    assert [r[header.index("id")] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        a["id"] for a in items
    ] and len(ids) == len(items)


def test_unknown_format_is_a_400_problem_and_other_accept_gives_json(
    api: Api, alerts_db: AlertStore
) -> None:
    bad = api.get(ALERTS, params={"format": "xml"})
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    assert "xml" in bad.json()["detail"]
    other = api.get(ALERTS, headers={"Accept": "image/png"})
    assert other.status_code == 200 and other.json()["total"] == 5


def test_etag_revalidation_gives_304(api: Api, alerts_db: AlertStore) -> None:
    first = api.get(ALERTS)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = api.get(ALERTS, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = api.get(ALERTS, params={"severity": "red"}, headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_link_header_pages(api: Api, alerts_db: AlertStore) -> None:
    # 5 alerts, pages of 2: first 0, last 4; at offset 2, prev 0 and next 4.
    response = api.get(ALERTS, params={"limit": 2, "offset": 2})
    links = {
        part.split(";")[1].strip().removeprefix('rel="').rstrip('"'): part.split(";")[0].strip(
            "<> "
        )
        for part in response.headers["link"].split(",")
    }
    assert links["first"].endswith("limit=2&offset=0")
    assert links["prev"].endswith("limit=2&offset=0")
    assert links["next"].endswith("limit=2&offset=4")
    assert links["last"].endswith("limit=2&offset=4")
    last = api.get(ALERTS, params={"limit": 2, "offset": 4})
    assert 'rel="next"' not in last.headers["link"]

"""Downloading PRODCOM files from a local HTTP server serving real-format files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from critchem.production.prodcom import parse_prodcom
from critchem.production.prodcom.fetch import (
    fetch_prodcom_api,
    fetch_prodcom_bulk,
    prodcom_api_url,
)
from critchem.trade.fetch import sidecar_path

PRODCOM_DATA = Path(__file__).parents[1] / "production" / "data"


def test_fetch_prodcom_api_one_file_per_year(file_server, tmp_path: Path) -> None:
    base = file_server.url("/eurostat/api/comext/dissemination/sdmx/2.1/data/")
    url = prodcom_api_url(2023, products=["20141130"], base_url=base)
    key = url.split("?")[0].rsplit("/", 1)[-1]
    shutil.copyfile(PRODCOM_DATA / "prodcom_api_DS-059358_miniature.csv", file_server.root / key)
    (path,) = fetch_prodcom_api([2023], tmp_path / "dl", products=["20141130"], base_url=base)
    assert path.name == "prodcom_DS-059358_2023.csv"
    meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert meta["url"] == url
    assert parse_prodcom(path).sha256 == meta["sha256"]


def test_fetch_prodcom_bulk_archive(file_server, tmp_path: Path) -> None:
    shutil.copyfile(
        PRODCOM_DATA / "prodcom_bulk_epannsold_miniature.csv", file_server.root / "epannsold-r2.zip"
    )
    base = file_server.url(
        "/eurostat/api/dissemination/files?file=comext%2FCOMEXT_OTHER_DATA%2FEUROPROMS%2F"
    )
    path = fetch_prodcom_bulk(tmp_path / "dl", base_url=base)
    assert path.name == "epannsold-r2.zip"
    assert file_server.requests[0][0] == "epannsold-r2.zip"
    assert parse_prodcom(path).layout == "bulk"

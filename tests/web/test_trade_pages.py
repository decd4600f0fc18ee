"""The molecule pages' trade precomputed at ingest is the trade computed live, per molecule."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from critchem.services import trade_pages
from critchem.services.trade import ingest_paths
from critchem.trade import synthetic
from critchem.web.pages.dashboard import TradeOut, _store_fingerprint, _trade, live_trade
from tests.api.conftest import CODES

# Two exact codes, a group code shared at sourced shares (butadiene 0.85, isoprene 0.15) and
# one counted in full as an upper bound (ethane).
PAGE_CODES = [*CODES, "29012400", "29011000"]


def _close(a: Any, b: Any, where: str = "") -> None:
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15), where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for key in a:
            _close(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    dataset = synthetic.generate(PAGE_CODES, start="2022-01", end="2024-12", reporters=["DE", "FR"])
    folder = synthetic.write(dataset, root / "synthetic")
    ingest_paths([folder / "synthetic_flows.parquet"], store_root=root / "store", progress=False)
    return root / "store"


def test_ingest_writes_the_pages_of_the_store_version(store: Path) -> None:
    version = trade_pages.store_version(store)
    path = trade_pages.pages_file(store, version)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["store_version"] == version
    pages = document["molecules"]
    assert {"ethylene", "benzene", "butadiene", "isoprene", "ethane"} <= set(pages)
    assert pages["ethane"]["marker"] == "group code, upper bound"
    assert pages["butadiene"]["marker"] == ""
    first = pages["butadiene"]["series"][0]
    other = pages["isoprene"]["series"][0]
    assert first["import_value"] == pytest.approx(other["import_value"] * 0.85 / 0.15)
    assert [p.name for p in (store / "pages").iterdir()] == [path.name]


def test_every_precomputed_page_is_the_live_one(store: Path) -> None:
    pages = trade_pages.compute(store)
    assert pages
    for molecule_id, page in pages.items():
        precomputed = TradeOut.model_validate(page).model_dump()
        live = live_trade(molecule_id, store).model_dump()
        assert precomputed["suppliers"], molecule_id
        _close(precomputed, live, molecule_id)


def test_a_page_reads_the_precomputed_trade_only_for_the_current_version(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    molecule_id = next(iter(trade_pages.compute(store)))
    assert trade_pages.molecule_trade(store, molecule_id) is not None
    monkeypatch.setattr(trade_pages, "store_version", lambda root: "another-version")
    assert trade_pages.molecule_trade(store, molecule_id) is None
    _trade.cache_clear()
    page = _trade(molecule_id, _store_fingerprint(store))  # computed live
    assert page.series


def test_an_empty_store_has_no_pages(tmp_path: Path) -> None:
    assert trade_pages.precompute(tmp_path / "none") is None
    assert trade_pages.molecule_trade(tmp_path / "none", "ethylene") is None

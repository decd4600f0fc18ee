"""``trade suppliers`` of a molecule counts a group code at its sourced share, or flags it.

The case table is ``group_codes.tsv`` (the same rule as the evidence families); the miniature
file and its hand computation are in ``data/README.md``.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.evidence.codes import GROUP_NOTE
from critchem.services.indicators import trade_suppliers
from critchem.trade.store import TradeStore

HERE = Path(__file__).parent
YEAR = 2024


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    with TradeStore(root) as s:
        report = s.ingest(HERE / "data" / "comext_v2_group_codes.dat", source="comext_bulk")
    assert report.rows_stored == 12
    return root


def _cases() -> dict[str, list[dict[str, str]]]:
    with (HERE / "group_codes.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    by_molecule: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_molecule[row["molecule"]].append(row)
    return dict(by_molecule)


def _total(out: dict[str, object]) -> float:
    suppliers = out["suppliers"]
    assert isinstance(suppliers, list)
    return sum(float(r["value"]) for r in suppliers)


@pytest.mark.parametrize("molecule", sorted(_cases()))
def test_case_table(store: Path, molecule: str) -> None:
    cases = _cases()[molecule]
    expected = sum(
        float(c["weight"]) * _total(trade_suppliers(c["code"], store_root=store, year=YEAR))
        for c in cases
    )
    out = trade_suppliers(molecule, store_root=store, year=YEAR)
    why = "; ".join(c["why"] for c in cases)
    assert _total(out) == pytest.approx(expected), why
    upper = any(c["upper_bound"] == "yes" for c in cases)
    assert out["group_upper_bound"] is upper, why
    assert out["marker"] == (GROUP_NOTE if upper else ""), why
    for case in cases:
        assert out["code_weights"][case["code"]] == pytest.approx(float(case["weight"])), why


def test_code_by_itself_counts_in_full(store: Path) -> None:
    out = trade_suppliers("29012400", store_root=store, year=YEAR)
    assert _total(out) == pytest.approx(1600)
    assert out["group_upper_bound"] is False and out["marker"] == ""


def test_shares_of_mixed_codes_by_hand(store: Path) -> None:
    out = trade_suppliers("titanium-dioxide", store_root=store, year=YEAR)
    by_partner = {r["partner"]: r["value"] for r in out["suppliers"]}
    assert by_partner == pytest.approx({"CN": 1150.0, "UA": 380.0, "US": 300.0})
    assert out["hhi"] == pytest.approx(1_556_900 / 3_348_900)
    assert out["top_supplier"] == "CN"
    assert out["top_supplier_share"] == pytest.approx(1150 / 1830)
    butadiene = trade_suppliers("butadiene", store_root=store, year=YEAR)
    assert butadiene["shares"] == pytest.approx({"US": 0.625, "KR": 0.375})
    assert "0.85" in butadiene["codes_note"]


def test_cli_table_json_and_csv_show_the_flag(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from critchem.cli.main import build_app

    monkeypatch.setenv("CRITCHEM_STORE_PATH", str(store))
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    app = build_app()
    table = runner.invoke(app, ["trade", "suppliers", "isobutylene", "--year", str(YEAR)])
    assert table.exit_code == 0, table.output
    assert GROUP_NOTE.upper() in table.stdout
    shared = runner.invoke(app, ["trade", "suppliers", "butadiene", "--year", str(YEAR)])
    assert shared.exit_code == 0, shared.output
    assert GROUP_NOTE.upper() not in shared.stdout
    as_json = runner.invoke(
        app, ["trade", "suppliers", "methane", "--year", str(YEAR), "-f", "json"]
    )
    assert as_json.exit_code == 0, as_json.output
    record = json.loads(as_json.stdout)
    assert record["group_upper_bound"] is True and record["marker"] == GROUP_NOTE
    as_csv = runner.invoke(app, ["trade", "suppliers", "methane", "--year", str(YEAR), "-f", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(as_csv.stdout.splitlines()))
    assert rows and all(r["group_upper_bound"].lower() == "true" for r in rows)


def test_api_gives_the_flag(store: Path, tmp_path: Path) -> None:
    import asyncio

    import httpx

    from critchem.api.app import API_PREFIX, create_app
    from critchem.core.settings import Settings

    app = create_app(Settings(home=tmp_path, store_path=store))

    async def get(url: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(url)

    try:
        got = asyncio.run(get(f"{API_PREFIX}/trade/suppliers/methane?year={YEAR}"))
        shared = asyncio.run(get(f"{API_PREFIX}/trade/suppliers/isoprene?year={YEAR}"))
    finally:
        app.state.alert_store.dispose()
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["group_upper_bound"] is True and body["marker"] == GROUP_NOTE
    assert body["code_weights"]["27112100"] == 1.0
    assert shared.json()["group_upper_bound"] is False
    assert shared.json()["code_weights"] == {"29012400": 0.15}

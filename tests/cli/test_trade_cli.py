"""``critchem ingest`` and ``critchem trade`` over a store in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.trade import synthetic

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[1] / "trade" / "data"


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the synthetic data of two molecules (ethylene, ammonia)."""
    root = tmp_path_factory.mktemp("store")
    dataset = synthetic.generate(
        ["29012100", "28141000", "28142000"], start="2022-01", end="2024-12"
    )
    folder = synthetic.write(dataset, root / "synthetic")
    code, out, err = invoke(
        "ingest", str(folder / "synthetic_flows.parquet"), "--store", str(root / "s"), "-o", "json"
    )
    assert code == 0, err
    (report,) = json.loads(out)
    assert report["rows_read"] == report["rows_stored"] == dataset.table.num_rows
    return root / "s"


def test_ingest_quarantines_bad_rows_and_reconciles(tmp_path: Path) -> None:
    code, out, err = invoke(
        "ingest",
        str(SAMPLES / "comext_v2_sample.dat"),
        "--format",
        "comext",
        "--store",
        str(tmp_path),
        "-o",
        "json",
    )
    assert code == 0, err
    (report,) = json.loads(out)
    assert report["rows_quarantined"] > 0 and report["rows_stored"] > 0
    assert report["rows_read"] == report["rows_stored"] + report["rows_quarantined"]
    code, out, _ = invoke(
        "ingest", str(SAMPLES / "comext_v2_sample.dat"), "--store", str(tmp_path), "-o", "json"
    )
    assert json.loads(out)[0]["status"] == "skipped"


def test_ingest_refuses_an_unknown_format(tmp_path: Path) -> None:
    code, _, err = invoke(
        "ingest", str(SAMPLES / "comext_v2_sample.dat"), "--format", "xls", "--store", str(tmp_path)
    )
    assert code != 0 and "unknown format" in err


def test_suppliers_json_gives_hhi_and_shares(store: Path) -> None:
    code, out, err = invoke(
        "trade",
        "suppliers",
        "ethylene",
        "--year",
        "2024",
        "--reporter",
        "EU27",
        "--store",
        str(store),
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    shares = data["shares"]
    assert sum(shares.values()) == pytest.approx(1.0)
    assert data["hhi"] == pytest.approx(sum(s * s for s in shares.values()))
    assert data["top_supplier"] == max(shares, key=shares.__getitem__)
    assert not set(shares) & {"WORLD", "EXT_EU27_2020", "DE", "FR"}  # extra-EU origins only


def test_series_of_a_molecule_sums_its_codes(store: Path) -> None:
    code, out, err = invoke(
        "trade", "series", "ammonia", "--freq", "A", "--store", str(store), "--format", "json"
    )
    assert code == 0, err
    by_molecule = {r["period"]: r["import_value"] for r in json.loads(out)}
    parts = []
    for cn8 in ("28141000", "28142000"):
        code, out, _ = invoke(
            "trade", "series", cn8, "--freq", "A", "--store", str(store), "--format", "json"
        )
        parts.append({r["period"]: r["import_value"] for r in json.loads(out)})
    assert set(by_molecule) == {"2022", "2023", "2024"}
    for period, value in by_molecule.items():
        assert value == pytest.approx(parts[0][period] + parts[1][period])


def test_series_of_an_empty_store_says_so(tmp_path: Path) -> None:
    code, _, err = invoke("trade", "series", "ethylene", "--store", str(tmp_path))
    assert code != 0 and "empty" in err


def test_dependency_screen_over_the_store(store: Path) -> None:
    code, out, err = invoke(
        "trade",
        "dependencies",
        "--year",
        "2024",
        "--source",
        "synthetic",
        "--molecules",
        "--store",
        str(store),
        "--format",
        "json",
    )
    assert code == 0, err
    rows = {r["item"]: r for r in json.loads(out)}
    assert set(rows) == {"ethylene", "ammonia"}
    for r in rows.values():
        assert set(r) >= {"dependent", "hhi_met", "hhi_2022", "hhi_2023", "hhi_2024"}
        hhis = [r[f"hhi_{y}"] for y in (2022, 2023, 2024)]
        assert r["hhi_met"] == (sum(h > 0.4 for h in hhis) >= 2)


def test_dependency_screen_single_year(store: Path) -> None:
    code, out, err = invoke(
        "trade",
        "dependencies",
        "--year",
        "2024",
        "--source",
        "synthetic",
        "--years",
        "1",
        "--molecules",
        "--store",
        str(store),
        "--format",
        "json",
    )
    assert code == 0, err
    for r in json.loads(out):
        assert "hhi_2024" in r and "hhi_2023" not in r
        assert r["hhi_met"] == (r["hhi_2024"] > 0.4)

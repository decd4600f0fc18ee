"""``evidence build --backend pyspark``: the trade families read the store through one Ibis
expression, and the evidence built on Spark equals DuckDB's, value for value, on the
miniature real-format files of ``tests/evidence/data`` (hand-computed expectations in its
README). The Spark session is the one shared by the indicator tests (conftest ``spark``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from critchem.core.errors import BackendUnavailableError
from critchem.core.settings import Settings
from critchem.evidence.builder import build_evidence
from critchem.trade.store import TradeStore
from tests.indicators.evidence_compare import DATA, MOLECULES, same_values

FAMILIES = ["trade", "world_exports"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    with TradeStore(root) as s:
        s.ingest(DATA / "comext_v2_evidence.dat", source="comext_bulk", progress=False)
        s.ingest(DATA / "BACI_HS92_Y2022_V202301_evidence.csv", source="baci", progress=False)
    return root


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
@pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated")
def test_evidence_on_spark_equals_duckdb(
    spark: Any, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from critchem.evidence.families import world_exports

    # the BACI file holds four exporters: let them count as the world, to compute on both
    monkeypatch.setattr(world_exports, "MIN_EXPORTERS", 4)
    args: dict[str, Any] = {"year": 2024, "store_root": store, "molecules": MOLECULES}
    settings = Settings(home=store)
    on_duckdb = build_evidence(settings, families=FAMILIES, **args)
    on_spark = build_evidence(settings, families=FAMILIES, backend="pyspark", **args)
    same_values(on_duckdb, on_spark)
    assert on_spark.options["backend"] == "pyspark" and "backend" not in on_duckdb.options
    # the figures of tests/evidence/data/README.md, on Spark
    found = {(v.molecule, v.indicator): v.value for v in on_spark.values}
    assert found[("ethylene", "hhi_extra_eu")] == pytest.approx(0.68)
    assert found[("ethylene", "extra_eu_share")] == pytest.approx(1250 / 2250)
    assert found[("toluene", "hhi_extra_eu")] == pytest.approx(0.625)
    assert found[("ethylene", "world_export_hhi")] == pytest.approx(0.46)
    toluene = on_spark.get("toluene", "hhi_extra_eu")
    assert toluene is not None and "2024 has only 2 months" in toluene.note
    computed = [v for v in on_spark.values if v.value is not None]
    assert len(computed) >= 30


@pytest.mark.parametrize(
    ("backend", "master", "message"),
    [
        ("duckdb", "local[2]", "needs --backend pyspark"),
        ("polars", None, "Unknown backend"),
        ("pyspark", "yarn", "is not supported"),
    ],
)
def test_a_bad_backend_is_refused_before_any_family_runs(
    store: Path, backend: str, master: str | None, message: str
) -> None:
    with pytest.raises(BackendUnavailableError, match=message):
        build_evidence(
            Settings(home=store),
            year=2024,
            store_root=store,
            molecules=["ethylene"],
            backend=backend,
            spark_master=master,
        )


def test_the_cli_refuses_a_master_without_spark(store: Path) -> None:
    from critchem.cli.evidence import app

    args = ["build", "--year", "2024", "--store", str(store), "--spark-master", "local[2]"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "--spark-master needs --backend pyspark" in result.output
    assert "Traceback" not in result.output

"""A frequency or reporter that does not exist: a clear message and exit 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.services.trade import ingest_paths
from critchem.trade import synthetic


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad-query")
    dataset = synthetic.generate(["29012100"], start="2022-01", end="2023-12", reporters=["DE"])
    folder = synthetic.write(dataset, root / "synthetic")
    ingest_paths([folder / "synthetic_flows.parquet"], store_root=root / "store", progress=False)
    return root / "store"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["series", "ethylene", "--freq", "Q"], "freq must be 'A' (annual) or 'M' (monthly)"),
        (["series", "ethylene", "--reporter", "XX"], "Reporter 'XX' is neither 'EU27'"),
        (["suppliers", "ethylene", "--year", "2024", "--reporter", "XX"], "Reporter 'XX'"),
    ],
)
def test_a_bad_query_is_refused_with_its_reason(store: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(build_app(), ["trade", *args, "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not isinstance(result.exception, ValueError)

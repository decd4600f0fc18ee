"""The user guide's notebook runs, cell by cell in order, on a small store; import stays cheap."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import critchem
from critchem.services.trade import ingest_paths
from critchem.trade import synthetic

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "user-guide" / "critchem-notebook.ipynb"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dataset = synthetic.generate(
        ["29012100"], start="2023-01", end="2024-12", reporters=["DE", "FR"]
    )
    folder = synthetic.write(dataset, tmp_path / "synthetic")
    ingest_paths(
        [folder / "synthetic_flows.parquet"], store_root=tmp_path / "store", progress=False
    )
    monkeypatch.setenv("CRITCHEM_HOME", str(tmp_path))
    for name in ("CRITCHEM_STORE_PATH", "CRITCHEM_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_notebook_cells_run_in_order(home: Path) -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    namespace: dict[str, object] = {}
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert len(code) >= 5
    for i, source in enumerate(code):
        exec(compile(source, f"{NOTEBOOK.name}[{i}]", "exec"), namespace)
    frame = namespace["frame"]
    assert list(frame["period"]) == ["2023", "2024"]  # type: ignore[index]
    assert len(namespace["us"]) == 2  # type: ignore[arg-type]


def test_partner_series_sums_member_states(home: Path) -> None:
    store = critchem.open_store()
    monthly = critchem.series("29012100", partner="US", flow="import", freq="M", store=store)
    annual = critchem.series("29012100", partner="US", flow="import", freq="A", store=store)
    assert annual.provenance["annual_from_monthly"] is True
    by_year: dict[str, float] = {}
    for row in monthly.to_pylist():
        by_year[row["period"][:4]] = by_year.get(row["period"][:4], 0.0) + row["value"]
    assert {r["period"]: r["value"] for r in annual.to_pylist()} == pytest.approx(by_year)


def test_bad_flow_and_empty_store_are_clear_errors(home: Path, tmp_path: Path) -> None:
    from critchem.core.errors import CritchemError, NotFoundError

    with pytest.raises(CritchemError, match="Unknown flow"):
        critchem.series("29012100", flow="sideways")
    with pytest.raises(NotFoundError, match="empty"):
        critchem.open_store(tmp_path / "nothing")


def test_import_critchem_is_cheap() -> None:
    code = (
        "import sys, critchem; critchem.Table; "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not set(out.stdout.split()) & {"pyarrow", "duckdb", "pandas", "ibis", "fastapi", "numpy"}

"""The indicators and the evidence on a real standalone Spark cluster: a master and a worker
started once from the installed PySpark (``spark-class``), the jobs sent by ``critchem trade
series`` and ``critchem evidence build`` with ``--backend pyspark --spark-master spark://...``
in their own processes, the answers equal to DuckDB's.

The driver runs in a separate process because a test process already holds the shared
local Spark session (one per JVM).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from critchem.cli.trade import app as trade_app
from critchem.core.errors import BackendUnavailableError
from critchem.core.settings import Settings
from critchem.evidence.builder import build_evidence
from critchem.evidence.table import read_evidence
from critchem.services import indicators
from critchem.services.trade import ingest_paths
from critchem.trade import synthetic
from critchem.trade.indicators.backends import check_master
from critchem.trade.store import TradeStore
from tests.indicators.evidence_compare import DATA as EVIDENCE_DATA
from tests.indicators.evidence_compare import MOLECULES as EVIDENCE_MOLECULES
from tests.indicators.evidence_compare import same_values

CODES = ["29012100", "29022000"]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spark_env(tmp: Path) -> dict[str, str]:
    import pyspark

    return {
        **os.environ,
        "SPARK_HOME": str(Path(pyspark.__file__).parent),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(tmp / "logs"),
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }


def _wait_for_worker(ui: str, processes: list[subprocess.Popen[bytes]], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, "the Spark master or worker exited"
        try:
            if httpx.get(f"{ui}/json/", timeout=2).json().get("aliveworkers", 0) >= 1:
                return
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.5)
    pytest.fail(f"no Spark worker registered within {seconds:g} s")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, dict[str, str]]]:
    """A standalone master and one worker (1 core, 1 GB) on 127.0.0.1: (master URL, UI, env),
    started once for the tests of this module."""
    tmp_path = tmp_path_factory.mktemp("spark-cluster")
    env = _spark_env(tmp_path)
    spark_class = str(Path(env["SPARK_HOME"]) / "bin" / "spark-class")
    port, ui_port, worker_ui = _port(), _port(), _port()
    url, ui = f"spark://127.0.0.1:{port}", f"http://127.0.0.1:{ui_port}"
    logs = [open(tmp_path / name, "wb") for name in ("master.log", "worker.log")]  # noqa: SIM115
    master = [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
              "--port", str(port), "--webui-port", str(ui_port)]  # fmt: skip
    worker = [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
              "--cores", "1", "--memory", "1g", "--webui-port", str(worker_ui),
              "--work-dir", str(tmp_path / "work")]  # fmt: skip
    processes = [
        subprocess.Popen(
            master, env=env, stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True
        )
    ]
    try:
        processes.append(
            subprocess.Popen(
                worker, env=env, stdout=logs[1], stderr=subprocess.STDOUT, start_new_session=True
            )
        )
        _wait_for_worker(ui, processes, 180)
        yield url, ui, env
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


@pytest.mark.slow
@pytest.mark.spark
def test_indicators_on_a_standalone_cluster_equal_duckdb(
    cluster: tuple[str, str, dict[str, str]], tmp_path: Path
) -> None:
    url, ui, env = cluster
    before = _completed(ui)
    dataset = synthetic.generate(CODES, start="2022-01", end="2024-12", reporters=["DE", "FR"])
    folder = synthetic.write(dataset, tmp_path / "synthetic")
    store = tmp_path / "store"
    ingest_paths([folder / "synthetic_flows.parquet"], store_root=store, progress=False)
    args = ["series", "ethylene", "--store", str(store), "--format", "json"]
    critchem = str(Path(sys.executable).parent / "critchem")
    command = [critchem, "trade", *args, "--backend", "pyspark", "--spark-master", url]
    spark = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path
    )
    assert spark.returncode == 0, spark.stderr[-3000:]
    duck = CliRunner().invoke(trade_app, args)
    assert duck.exit_code == 0, duck.output
    on_cluster, on_duckdb = json.loads(spark.stdout), json.loads(duck.output)
    assert len(on_duckdb) == 36
    assert on_cluster == on_duckdb
    # The job ran on the cluster, not in a local Spark of the driver.
    assert _completed(ui) == [*before, "critchem"]


def _completed(ui: str) -> list[str]:
    """The names of the applications the cluster has finished, in the order they started."""
    apps = httpx.get(f"{ui}/json/", timeout=5).json()["completedapps"]
    return [str(app["name"]) for app in sorted(apps, key=lambda app: app["starttime"])]


@pytest.mark.slow
@pytest.mark.spark
def test_evidence_build_on_a_standalone_cluster_equals_duckdb(
    cluster: tuple[str, str, dict[str, str]], tmp_path: Path
) -> None:
    """``critchem evidence build --backend pyspark --spark-master spark://...`` on the
    miniature Comext v2 and BACI files of tests/evidence/data: the build it stores equals
    the one DuckDB makes, value for value."""
    url, ui, env = cluster
    before = _completed(ui)
    store = tmp_path / "store"
    with TradeStore(store) as s:
        s.ingest(EVIDENCE_DATA / "comext_v2_evidence.dat", source="comext_bulk", progress=False)
        s.ingest(
            EVIDENCE_DATA / "BACI_HS92_Y2022_V202301_evidence.csv", source="baci", progress=False
        )
    molecules = [arg for m in EVIDENCE_MOLECULES for arg in ("--molecule", m)]
    critchem = str(Path(sys.executable).parent / "critchem")
    command = [critchem, "evidence", "build", "--year", "2024", "--store", str(store),
               *molecules, "--backend", "pyspark", "--spark-master", url, "--format", "json"]  # fmt: skip
    env = {**env, "CRITCHEM_HOME": str(tmp_path / "home")}
    spark = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path
    )
    assert spark.returncode == 0, spark.stderr[-3000:]
    on_cluster = read_evidence(store, 2024, json.loads(spark.stdout)["build_id"])
    on_duckdb = build_evidence(
        Settings(home=tmp_path / "home"), year=2024, store_root=store, molecules=EVIDENCE_MOLECULES
    )
    same_values(on_duckdb, on_cluster)
    assert on_cluster.options["backend"] == "pyspark"
    hhi = on_cluster.get("ethylene", "hhi_extra_eu")
    assert hhi is not None and hhi.value == pytest.approx(0.68)  # by hand, data/README.md
    # The job ran on the cluster, not in a local Spark of the driver.
    assert _completed(ui) == [*before, "critchem"]


@pytest.mark.parametrize("master", ["yarn", "sc://localhost:15002", "spark://", "local[0]"])
def test_an_unsupported_master_is_refused(master: str) -> None:
    with pytest.raises(BackendUnavailableError, match="is not supported"):
        check_master(master)


def test_a_master_needs_the_spark_backend(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match="needs --backend pyspark"):
        indicators.open_flows(tmp_path, spark_master="spark://127.0.0.1:7077")

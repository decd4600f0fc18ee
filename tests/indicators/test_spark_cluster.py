"""The indicators on a real standalone Spark cluster: a master and a worker started from the
installed PySpark (``spark-class``), the job sent by ``critchem trade series --backend pyspark
--spark-master spark://...`` in its own process, the answer equal to DuckDB's.

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
from critchem.services import indicators
from critchem.services.trade import ingest_paths
from critchem.trade import synthetic
from critchem.trade.indicators.backends import check_master

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


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    """A standalone master and one worker (1 core, 1 GB) on 127.0.0.1: (master URL, UI, env)."""
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
    apps = httpx.get(f"{ui}/json/", timeout=5).json()["completedapps"]
    assert [app["name"] for app in apps] == ["critchem"]


@pytest.mark.parametrize("master", ["yarn", "sc://localhost:15002", "spark://", "local[0]"])
def test_an_unsupported_master_is_refused(master: str) -> None:
    with pytest.raises(BackendUnavailableError, match="is not supported"):
        check_master(master)


def test_a_master_needs_the_spark_backend(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match="needs --backend pyspark"):
        indicators.open_flows(tmp_path, spark_master="spark://127.0.0.1:7077")

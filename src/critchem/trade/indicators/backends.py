"""Opening the Ibis backends the indicators run on: DuckDB, or Apache Spark.

Spark runs in local mode (``local[2]``) or on a standalone cluster (``spark://host:port``,
see :func:`check_master`). Nothing starts at import time; PySpark is imported only when a
Spark session is asked for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Literal

import ibis
from ibis.backends import BaseBackend

from critchem.core.errors import BackendUnavailableError

MIN_JAVA = 17
"""The oldest Java that Spark 4 runs on."""

Backend = Literal["duckdb", "pyspark"]

_MASTER = re.compile(
    r"^(local(\[(\*|[1-9][0-9]*)\])?"
    r"|spark://[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}(,[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5})*)$"
)


def check_master(master: str) -> str:
    """``master`` if Spark can run on it: ``local``, ``local[N]``, ``local[*]``, or a
    standalone cluster ``spark://host:port`` (several masters: ``spark://h1:p1,h2:p2``).

    On a cluster the executors read the store's Parquet files by their paths, so the store
    must be at the same path on every worker (a shared file system, or one machine).

    Raises
    ------
    BackendUnavailableError
        Any other URL, with the forms accepted (a Spark Connect ``sc://`` URL needs the
        Connect client, which critchem does not install).

    >>> check_master("spark://10.0.0.5:7077")
    'spark://10.0.0.5:7077'
    """
    if _MASTER.match(master.strip()):
        return master.strip()
    raise BackendUnavailableError(
        f"Spark master {master!r} is not supported: use local, local[N], local[*] or "
        "spark://host:port (a standalone cluster)"
    )


def java_executable() -> str | None:
    """The ``java`` that Spark will launch: ``$JAVA_HOME/bin/java``, else the one on ``PATH``."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.exists() else None
    return shutil.which("java")


def parse_java_version(text: str) -> int | None:
    """The major version in the output of ``java -version``.

    >>> parse_java_version('openjdk version "17.0.15" 2025-04-15')
    17
    >>> parse_java_version('java version "1.8.0_301"')
    8
    >>> parse_java_version("no java here") is None
    True
    """
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_java(minimum: int = MIN_JAVA) -> str:
    """The path of a usable ``java``; a :class:`BackendUnavailableError` saying what to do else."""
    java = java_executable()
    if java is None:
        where = "JAVA_HOME" if os.environ.get("JAVA_HOME") else "PATH"
        raise BackendUnavailableError(
            f"The PySpark backend needs Java {minimum} or newer, and no java was found on "
            f"{where}. Install a JDK (e.g. OpenJDK {minimum}) and set JAVA_HOME, or use "
            "backend='duckdb'."
        )
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as error:
        raise BackendUnavailableError(f"Could not run {java} -version: {error}") from error
    version = parse_java_version(done.stderr + done.stdout)
    if version is None or version < minimum:
        raise BackendUnavailableError(
            f"The PySpark backend needs Java {minimum} or newer; {java} reports "
            f"{(done.stderr or done.stdout).strip().splitlines()[:1]}. Point JAVA_HOME to a "
            f"newer JDK, or use backend='duckdb'."
        )
    return java


def _on_this_machine(master: str) -> bool:
    """Whether every executor runs here, so the driver can listen on 127.0.0.1 only.

    >>> _on_this_machine("local[2]"), _on_this_machine("spark://10.0.0.5:7077")
    (True, False)
    """
    if master.startswith("local"):
        return True
    hosts = [part.rsplit(":", 1)[0] for part in master.removeprefix("spark://").split(",")]
    return all(host in {"127.0.0.1", "localhost", "[::1]"} for host in hosts)


def spark_session(
    *,
    master: str = "local[2]",
    shuffle_partitions: int = 4,
    warehouse_dir: str | Path | None = None,
    driver_memory: str | None = None,
    java_options: str | None = None,
    app_name: str = "critchem",
) -> Any:
    """A Spark session on ``master`` (local, or a standalone cluster; see
    :func:`check_master`), or the session already running in this process.

    The UI and the console progress bars are off, the catalog lives in memory (no Derby
    ``metastore_db`` in the working directory), the warehouse goes to ``warehouse_dir`` (a
    new temporary directory by default), and the session time zone is UTC. Spark settings
    are fixed when the JVM starts: if a session already runs in this process, it is returned
    as it is.

    ``driver_memory`` (e.g. ``"4g"``) and ``java_options`` (extra options of the driver JVM,
    e.g. ``"-XX:TieredStopAtLevel=1"`` to start faster in short test runs) are passed on to
    the JVM when it starts.

    On a cluster whose master is not on this machine, the driver listens on the address
    Spark picks (set ``SPARK_LOCAL_IP`` to choose): the executors must reach it.

    Raises
    ------
    BackendUnavailableError
        When the master URL is not supported, PySpark is not installed or no suitable Java
        is found.
    """
    master = check_master(master)
    check_java()
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise BackendUnavailableError(
            "PySpark is not installed: install critchem with the 'spark' extra "
            "(pip install 'critchem[spark]'), or use backend='duckdb'."
        ) from error
    warehouse = Path(warehouse_dir or tempfile.mkdtemp(prefix="critchem-spark-"))
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", warehouse.resolve().as_uri())
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if _on_this_machine(master):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    if driver_memory is not None:
        builder = builder.config("spark.driver.memory", driver_memory)
    if java_options is not None:
        builder = builder.config("spark.driver.extraJavaOptions", java_options)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect(
    backend: Backend = "duckdb",
    *,
    path: str | Path | None = None,
    threads: int | None = None,
    session: Any = None,
    warehouse_dir: str | Path | None = None,
    master: str = "local[2]",
    shuffle_partitions: int = 4,
) -> BaseBackend:
    """An Ibis connection to run the indicators on.

    Parameters
    ----------
    backend
        ``"duckdb"`` or ``"pyspark"``.
    path
        DuckDB only: the database file; ``None`` is an in-memory database.
    threads
        DuckDB only: the number of threads (default: DuckDB's, one per core).
    session
        PySpark only: an existing ``SparkSession``; ``None`` creates one with
        :func:`spark_session` and ``warehouse_dir``, ``master``, ``shuffle_partitions``.

    >>> con = connect("duckdb")
    >>> con.name
    'duckdb'
    """
    if backend == "duckdb":
        config = {} if threads is None else {"threads": threads}
        return ibis.duckdb.connect(":memory:" if path is None else str(path), **config)
    if backend == "pyspark":
        if session is None:
            session = spark_session(
                master=master,
                shuffle_partitions=shuffle_partitions,
                warehouse_dir=warehouse_dir,
            )
        return ibis.pyspark.connect(session)
    raise BackendUnavailableError(f"Unknown backend {backend!r}: use 'duckdb' or 'pyspark'")


def spark_table(paths: list[str], *, master: str = "local[2]") -> Any:
    """The Parquet files ``paths`` as one Ibis table on a Spark session at ``master``.

    Spark reads the files itself (one ``read.parquet`` over all the paths) and the table is
    a temporary view of the session.
    """
    import uuid

    session = spark_session(master=master)
    name = f"critchem_flows_{uuid.uuid4().hex[:12]}"
    session.read.parquet(*paths).createOrReplaceTempView(name)
    return ibis.pyspark.connect(session).table(name)

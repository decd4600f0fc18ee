"""Opening the Ibis backends the indicators run on: DuckDB, or Apache Spark in local mode.

Nothing starts at import time; PySpark is imported only when a Spark session is asked for.
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

from critchem.exceptions import BackendUnavailableError

MIN_JAVA = 17
"""The oldest Java that Spark 4 runs on."""

Backend = Literal["duckdb", "pyspark"]


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


def spark_session(
    *,
    master: str = "local[2]",
    shuffle_partitions: int = 4,
    warehouse_dir: str | Path | None = None,
    driver_memory: str | None = None,
    java_options: str | None = None,
    app_name: str = "critchem",
) -> Any:
    """A local Spark session tuned for one machine (or the session already running).

    The UI and the console progress bars are off, the catalog lives in memory (no Derby
    ``metastore_db`` in the working directory), the warehouse goes to ``warehouse_dir`` (a
    new temporary directory by default), and the session time zone is UTC. Spark settings
    are fixed when the JVM starts: if a session already runs in this process, it is returned
    as it is.

    ``driver_memory`` (e.g. ``"4g"``) and ``java_options`` (extra options of the driver JVM,
    e.g. ``"-XX:TieredStopAtLevel=1"`` to start faster in short test runs) are passed on to
    the JVM when it starts.

    Raises
    ------
    BackendUnavailableError
        When PySpark is not installed or no suitable Java is found.
    """
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
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
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

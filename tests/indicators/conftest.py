"""One parametrised ``backend`` fixture runs every indicator test on DuckDB and on Spark.

Spark starts once per test process (about 10 s), lazily, only when a Spark test runs. Under
``CI=true`` a Spark that cannot start fails the run; elsewhere the Spark tests are skipped
with the reason. Under pytest-xdist every worker process needs its own JVM; the Spark
parameters carry ``xdist_group("spark")`` so that ``--dist loadgroup`` keeps them on one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import ibis
import pytest

from critchem.trade.indicators import connect, spark_session

SPARK_PARAMS = [
    pytest.mark.spark,
    pytest.mark.xdist_group("spark"),
    # PySpark 4.0 and Ibis still use pandas options that pandas 3 deprecates
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated"),
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The one local Spark session of this test process: local[2], 4 shuffle partitions."""
    try:
        session = spark_session(
            master="local[2]",
            shuffle_partitions=4,
            warehouse_dir=tmp_path_factory.mktemp("spark-warehouse"),
            # a short-lived JVM: the quick JIT and a simple collector start sooner
            java_options="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        )
    except Exception as error:  # no Java, no PySpark, or a JVM that does not start
        message = f"Spark could not start: {type(error).__name__}: {error}"
        if _in_ci():
            pytest.fail(f"{message} (CI=true: the Spark tests must run)")
        pytest.skip(message)
    # The test tables have a few rows: interpreting the plans is faster than generating and
    # compiling code for each one (this halves the Spark time of the suite). Production
    # sessions keep Spark's code generation.
    session.conf.set("spark.sql.codegen.wholeStage", "false")
    session.conf.set("spark.sql.codegen.factoryMode", "NO_CODEGEN")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def duckdb_con() -> Any:
    """An in-memory DuckDB connection."""
    return connect("duckdb")


@pytest.fixture(scope="session")
def pyspark_con(spark: Any) -> Any:
    """An Ibis connection on the shared Spark session."""
    return ibis.pyspark.connect(spark)


@pytest.fixture(
    scope="session",
    params=["duckdb", pytest.param("pyspark", marks=SPARK_PARAMS)],
)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of each backend in turn."""
    return str(request.param)


@pytest.fixture(scope="session")
def con(backend: str, request: pytest.FixtureRequest) -> Any:
    """The Ibis connection of the backend under test."""
    return request.getfixturevalue(f"{backend}_con")


@pytest.fixture
def run(con: Any) -> Callable[[Any], list[dict[str, Any]]]:
    """Execute an Ibis expression on the backend under test; the rows as dicts."""

    def execute(expr: Any) -> list[dict[str, Any]]:
        return list(con.to_pyarrow(expr).to_pylist())

    return execute

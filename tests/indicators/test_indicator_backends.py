"""DuckDB and Spark give the same indicators; the backend helpers fail with clear messages."""

from __future__ import annotations

import math

import ibis
import pyarrow as pa
import pytest

from critchem.trade.indicators import (
    BackendUnavailableError,
    compute_indicators,
    connect,
    supplier_shares,
)
from critchem.trade.indicators.backends import check_java, parse_java_version
from critchem.trade.schema import FLOW_SCHEMA
from critchem.trade.synthetic import generate


def same(left: pa.Table, right: pa.Table) -> None:
    """Equal tables, floats up to the order in which each engine adds them up."""
    assert left.schema.names == right.schema.names
    assert left.num_rows == right.num_rows > 0
    for name in left.schema.names:
        for a, b in zip(left.column(name).to_pylist(), right.column(name).to_pylist(), strict=True):
            if isinstance(a, float) and isinstance(b, float):
                assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (name, a, b)
            else:
                assert a == b, (name, a, b)


@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
@pytest.mark.filterwarnings("ignore:The 'future.infer_string' option is deprecated")
def test_duckdb_and_spark_agree_on_synthetic_data(duckdb_con, pyspark_con) -> None:
    data = generate(
        ["29012100", "28041000"], start="2023-01", end="2024-12", reporters=["DE", "FR", "NL"]
    )
    flows = ibis.memtable(data.table)
    expr = compute_indicators(flows, reporter=["EU27", "DE"], freq="M")
    duck, spark = duckdb_con.to_pyarrow(expr), pyspark_con.to_pyarrow(expr)
    assert duck.schema.equals(spark.schema)
    assert duck.num_rows == 2 * 2 * 24  # two products, two reporters, 24 months
    same(duck, spark)
    shares = supplier_shares(flows, product_or_codes=["29012100", "28041000"], year=2024)
    same(duckdb_con.to_pyarrow(shares), pyspark_con.to_pyarrow(shares))


def test_connect_duckdb_file(tmp_path) -> None:
    con = connect("duckdb", path=tmp_path / "trade.duckdb", threads=1)
    assert con.name == "duckdb"
    assert (tmp_path / "trade.duckdb").exists()


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(BackendUnavailableError, match="Unknown backend 'sqlite'"):
        connect("sqlite")  # type: ignore[arg-type]


def test_missing_java_is_explained(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-jdk"))
    with pytest.raises(BackendUnavailableError, match=r"needs Java 17 or newer.*JAVA_HOME"):
        check_java()


def test_old_java_is_explained(monkeypatch, tmp_path) -> None:
    java = tmp_path / "jdk8" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\necho 'java version \"1.8.0_301\"' >&2\n")
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk8"))
    with pytest.raises(BackendUnavailableError, match=r"1\.8\.0_301"):
        check_java()


@pytest.mark.parametrize(
    ("text", "major"),
    [('openjdk version "21" 2023-09-19', 21), ('java version "1.8.0_301"', 8), ("", None)],
)
def test_parse_java_version(text, major) -> None:
    assert parse_java_version(text) == major


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"freq": "Q"}, "freq must be 'A'"),
        ({"reporter": "GB"}, "neither 'EU27' nor an EU27_2020 Member State"),
        ({"reporter": []}, "at least one reporter"),
        ({"level": "molecule"}, "needs a mapping table"),
        ({"mapping": pa.table({"molecule_id": ["M"], "product": ["1"]})}, "only used with"),
        ({"level": "molecule", "mapping": pa.table({"id": ["M"]})}, "lacks the column"),
    ],
)
def test_bad_arguments_are_explained(kwargs, message) -> None:
    flows = ibis.table(ibis.Schema.from_pyarrow(FLOW_SCHEMA), name="flows")
    with pytest.raises(ValueError, match=message):
        compute_indicators(flows, **kwargs)

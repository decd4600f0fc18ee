"""The indicator pipeline compiled once to DuckDB SQL, then run by DuckDB without Ibis.

Importing Ibis and compiling the expression of :func:`~.compute.compute_indicators` costs
about 1.5 s, the query itself a few hundredths on a small store. The SQL depends only on the
shape of the query (annual or monthly periods, a source filter or not; the EU27 reporter)
and on the partner reference (the EU27 list, the partner codes, the WGI median), so it is
compiled once, with the source as a query parameter, and kept as a compiled copy (see
:mod:`critchem.nomenclature._compiled`) whose key is the SHA-256 of the indicator modules'
source, the Ibis version and the partner reference: a change to any of them compiles it
again. The SQL reads three named tables: ``critchem_flows`` (the store's files),
``critchem_mapping`` ``(molecule_id, product, weight)`` and ``critchem_wgi``
``(wgi_partner, wgi_known)``.

The Ibis pipeline stays the one definition of the indicators; this module only runs the
SQL that Ibis writes for it, and a test checks that both give the same rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from critchem.nomenclature._compiled import compiled
from critchem.trade.indicators.reference import EU27, PartnerReference, partner_reference
from critchem.trade.schema import FREQ_ANNUAL, FREQ_MONTHLY

FLOWS_TABLE = "critchem_flows"
MAPPING_TABLE = "critchem_mapping"
WGI_TABLE = "critchem_wgi"
_SOURCE_SENTINEL = "__critchem_source_parameter__"
_MODULES = ("compute.py", "expressions.py", "formulas.py", "reference.py", "sql.py")
SQL_FORMAT = 1
"""Version of the compiled SQL documents."""


def _key(ref: PartnerReference) -> str:
    """What the SQL depends on besides its shape: the code, Ibis and the partner reference."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _MODULES:
        digest.update((here / name).read_bytes())
    digest.update(metadata.version("ibis-framework").encode())
    reference = (ref.eu27, ref.aggregates, ref.intra_unspecified, ref.extra_unspecified)
    digest.update(repr((reference, ref.wgi_median)).encode())
    return digest.hexdigest()


def code_key() -> str:
    """The key of the compiled SQL: what its rows depend on besides the data."""
    return _key(partner_reference())


def _compile(kind: str, freq: str, with_source: bool) -> str:
    """The DuckDB SQL of the EU27 indicators (``kind`` "series") or suppliers (imports Ibis)."""
    import ibis
    import ibis.expr.operations as ops

    from critchem.trade.indicators.compute import compute_indicators, supplier_rows
    from critchem.trade.schema import FLOW_SCHEMA

    flows = ibis.table(ibis.schema(FLOW_SCHEMA), name=FLOWS_TABLE)
    source = _SOURCE_SENTINEL if with_source else None
    if kind == "series":
        mapping = ibis.table(
            {"molecule_id": "string", "product": "string", "weight": "float64"},
            name=MAPPING_TABLE,
        )
        expr = compute_indicators(
            flows, level="molecule", mapping=mapping, reporter=EU27, freq=freq, source=source
        )
    else:
        labels = ibis.table(
            {"product_label": "string", "product": "string", "weight": "float64"},
            name=MAPPING_TABLE,
        )
        expr = supplier_rows(flows, mapping=labels, reporter=EU27, source=source)
    sql = str(ibis.to_sql(expr, dialect="duckdb"))
    memtables = {op.name for op in expr.op().find(ops.InMemoryTable)}
    if len(memtables) != 1:
        raise RuntimeError(f"expected the WGI table as the one in-memory table, got {memtables}")
    sql = sql.replace(f'"{memtables.pop()}"', f'"{WGI_TABLE}"')
    if with_source:
        if f"'{_SOURCE_SENTINEL}'" not in sql:
            raise RuntimeError("the source filter is missing from the compiled SQL")
        sql = sql.replace(f"'{_SOURCE_SENTINEL}'", "$source")
    return sql


def _sql(kind: str, freq: str, with_source: bool) -> str:
    name = f"{kind}-eu27-{freq}-{'source' if with_source else 'all'}"
    key = _key(partner_reference())
    document = compiled(
        name,
        [],
        lambda: {"sql": _compile(kind, freq, with_source)},
        version=SQL_FORMAT,
        key=key,
    )
    return str(document["sql"])


def series_sql(freq: str, *, with_source: bool) -> str:
    """The compiled SQL of the EU27 indicators of one shape, from the cache or compiled now."""
    if freq not in (FREQ_ANNUAL, FREQ_MONTHLY):
        raise ValueError(f"freq must be 'A' (annual) or 'M' (monthly), got {freq!r}")
    return _sql("series", freq, with_source)


def suppliers_sql(*, with_source: bool) -> str:
    """The compiled SQL of the EU27 extra-EU suppliers of every year (``supplier_rows``)."""
    return _sql("suppliers", FREQ_ANNUAL, with_source)


def _run(
    files: Sequence[Path],
    sql: str,
    mapping_columns: str,
    mapping: Sequence[tuple[Any, ...]],
    source: str | None,
) -> list[dict[str, Any]]:
    """Run ``sql`` on the files, the mapping rows and the shipped WGI; rows as records.

    (Python lists go to DuckDB as they are: building Arrow arrays from them would import
    pandas, a few tenths of a second.)
    """
    import duckdb

    ref = partner_reference()
    con = duckdb.connect()
    try:
        con.read_parquet([str(f) for f in files]).create_view(FLOWS_TABLE)
        con.execute(f"CREATE TEMP TABLE {MAPPING_TABLE} ({mapping_columns})")
        if mapping:
            marks = ", ".join("?" for _ in mapping[0])
            con.executemany(f"INSERT INTO {MAPPING_TABLE} VALUES ({marks})", list(mapping))
        con.execute(f"CREATE TEMP TABLE {WGI_TABLE} (wgi_partner VARCHAR, wgi_known DOUBLE)")
        con.executemany(f"INSERT INTO {WGI_TABLE} VALUES (?, ?)", sorted(ref.wgi.items()))
        params = {"source": source} if source is not None else None
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def eu27_suppliers(
    files: Sequence[Path],
    codes: Sequence[str],
    *,
    source: str | None,
    weights: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """The rows of ``supplier_rows`` for the EU27 and ``codes`` summed, every year, on DuckDB.

    ``weights`` multiplies a code's value and mass (a group code's share; default 1), as in
    :func:`~.compute.supplier_shares`; ``product`` is the codes joined by ``+``.
    """
    label = "+".join(codes)
    factors = weights or {}
    mapping = [(label, code, float(factors.get(code, 1.0))) for code in codes]
    return eu27_suppliers_by_label(files, mapping, source=source)


def eu27_suppliers_by_label(
    files: Sequence[Path], mapping: Sequence[tuple[str, str, float]], *, source: str | None
) -> list[dict[str, Any]]:
    """The EU27 supplier rows of every ``(label, product, weight)`` group, every year.

    Each label's codes are summed (weighted) on their own, as one call of
    :func:`eu27_suppliers` per label would; ``product`` is the label.
    """
    sql = suppliers_sql(with_source=source is not None)
    columns = "product_label VARCHAR, product VARCHAR, weight DOUBLE"
    return _run(files, sql, columns, mapping, source)


def eu27_indicators(
    files: Sequence[Path],
    mapping: Sequence[tuple[str, str, float]],
    *,
    freq: str,
    source: str | None,
) -> list[dict[str, Any]]:
    """The EU27 indicators per item and period, run on DuckDB, as records.

    ``mapping`` holds ``(molecule_id, product, weight)`` rows. The records are the rows of
    ``compute_indicators(..., level="molecule", mapping=..., reporter="EU27")`` on the same
    files, in the same order.
    """
    sql = series_sql(freq, with_source=source is not None)
    columns = "molecule_id VARCHAR, product VARCHAR, weight DOUBLE"
    return _run(files, sql, columns, mapping, source)

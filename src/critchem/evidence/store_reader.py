"""Reading what the evidence families need from the trade store, with provenance.

One Ibis expression per family reads only the partitions (source, year) and codes it needs,
and aggregates the flows by source, product, year and partner. It runs on DuckDB (the
default) or on Spark (``local[N]`` or a standalone cluster), with the same answer. The load
ids come from the names of the Parquet files read (``<load_id>-<n>.parquet``) and the file
hashes from the store's catalogue of loads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from critchem.core.errors import BackendUnavailableError
from critchem.trade._layout import committed_files

if TYPE_CHECKING:
    import ibis.expr.types as ir

FLOWS = "flows"
CATALOGUE = "catalogue.duckdb"

FilesOpener = Callable[[Sequence[Path]], "ir.Table"]
"""Makes one Ibis table of Parquet files of the store (DuckDB, or Spark: see
:func:`files_opener`)."""


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """The value of one partner in one (source, product, year), summed over reporters."""

    source: str
    product: str
    year: int
    partner: str
    partner_kind: str
    value: float | None
    months: int


def partition_files(store_root: Path, source: str, years: Sequence[int]) -> list[Path]:
    """The Parquet files of ``source`` for ``years`` (annual and monthly partitions)."""
    wanted = {str(int(year)) for year in years}
    files: list[Path] = []
    for path in committed_files(Path(store_root)):
        part_source, _freq, part_year = path.parent.parts[-3:]
        if part_source == source and part_year in wanted:
            files.append(path)
    return sorted(files)


def stored_sources(store_root: Path) -> list[str]:
    """The sources the store holds flows of."""
    return sorted({path.parent.parts[-3] for path in committed_files(Path(store_root))})


def load_ids(files: Sequence[Path]) -> tuple[str, ...]:
    """The load ids of the files (the file name up to its last ``-<n>``)."""
    return tuple(sorted({f.stem.rsplit("-", 1)[0] for f in files}))


def file_hashes(store_root: Path, ids: Sequence[str]) -> tuple[str, ...]:
    """The sha256 of the source files of the loads ``ids``, from the store's catalogue."""
    path = Path(store_root) / CATALOGUE
    if not ids or not path.exists():
        return ()
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute(
                "SELECT DISTINCT file_sha256 FROM loads WHERE load_id IN "
                "(SELECT unnest(?::VARCHAR[])) ORDER BY 1",
                [list(ids)],
            ).fetchall()
    except duckdb.Error:
        return ()
    return tuple(str(r[0]) for r in rows)


def _codes(values: Sequence[str]) -> list[str]:
    """The codes (letters and digits only), sorted and unique; anything else is refused."""
    unique = sorted(set(values))
    bad = [v for v in unique if not v.isalnum()]
    if bad:
        raise ValueError(f"Not a product or country code: {bad[0]!r}")
    return unique


def duckdb_files() -> FilesOpener:
    """An opener of Parquet files as Ibis tables on one in-memory DuckDB connection."""
    from critchem.trade.indicators.backends import connect

    con = connect("duckdb")

    def open_files(files: Sequence[Path]) -> ir.Table:
        return con.read_parquet([str(f) for f in files])

    return open_files


def spark_files(master: str | None = None) -> FilesOpener:
    """An opener of Parquet files as Ibis tables on Spark at ``master`` (default
    ``local[2]``; a standalone cluster is ``spark://host:port``). Spark reads the files
    itself: on a cluster they must be at the same path on every worker."""
    from critchem.trade.indicators.backends import check_master, spark_table

    where = check_master(master or "local[2]")

    def open_files(files: Sequence[Path]) -> ir.Table:
        return spark_table([str(f) for f in files], master=where)

    return open_files


def check_backend(backend: str, spark_master: str | None = None) -> str:
    """``backend`` if it is ``duckdb`` or ``pyspark`` (and ``spark_master``, given only with
    ``pyspark``, a master Spark runs on); a :class:`BackendUnavailableError` else.

    >>> check_backend("duckdb")
    'duckdb'
    """
    if spark_master is not None and backend != "pyspark":
        raise BackendUnavailableError("--spark-master needs --backend pyspark")
    if backend not in ("duckdb", "pyspark"):
        raise BackendUnavailableError(f"Unknown backend {backend!r}: use 'duckdb' or 'pyspark'")
    if spark_master is not None:
        from critchem.trade.indicators.backends import check_master

        check_master(spark_master)
    return backend


def files_opener(backend: str = "duckdb", spark_master: str | None = None) -> FilesOpener:
    """The opener of ``backend`` (``duckdb`` or ``pyspark``); ``spark_master`` needs Spark."""
    if check_backend(backend, spark_master) == "duckdb":
        return duckdb_files()
    return spark_files(spark_master)


def _selected(
    table: ir.Table, *, flow: int, products: list[str], reporters: list[str] | None,
    digits: int, by: str,
) -> ir.Table:  # fmt: skip
    """The rows of ``flow``, ``products`` (cut to ``digits``) and ``reporters``, with the
    product code as ``code``."""
    # CN8 codes are compared as stored, so that the engine can skip row groups by their
    # statistics
    code = table.product if digits == 8 else table.product.substr(0, int(digits))
    table = table.mutate(code=code)
    predicates = [table.flow == flow, table.code.isin(products)]
    if reporters is not None:
        predicates.append(table.reporter.isin(reporters))
    if by == "reporter":
        predicates.append(table.partner_kind != "aggregate")
    return table.filter(*predicates)


def partner_expression(
    open_files: FilesOpener,
    files: Sequence[Path],
    *,
    flow: int,
    products: Sequence[str],
    reporters: Sequence[str] | None,
    digits: int = 8,
    by: str = "partner",
) -> ir.Table | None:
    """The Ibis expression of :func:`partner_values` (``None`` when there is nothing to read):
    one row per (source, product, year, key) with ``partner_kind``, ``value`` (the sum) and
    ``m1`` .. ``m12``, whether month m was summed from monthly rows."""
    import ibis

    if by not in ("partner", "reporter"):
        raise ValueError(f"by must be 'partner' or 'reporter', got {by!r}")
    if not files or not products:
        return None
    codes = _codes(products)
    members = _codes(reporters) if reporters is not None else None
    # files sit in flows/<source>/<freq>/<year>/ (see critchem.trade._layout)
    annual = [f for f in files if f.parent.parts[-2] == "A"]
    monthly = [f for f in files if f.parent.parts[-2] == "M"]
    parts: list[ir.Table] = []
    annual_rows: ir.Table | None = None
    if annual:
        annual_rows = _selected(
            open_files(annual), flow=flow, products=codes, reporters=members, digits=digits, by=by
        )
        parts.append(
            annual_rows.select(
                source=annual_rows.source,
                product=annual_rows.code,
                year=annual_rows.year.cast("int32"),
                key=annual_rows[by],
                partner_kind=annual_rows.partner_kind,
                value=annual_rows.value,
                month=ibis.literal(0, "int8"),
            )
        )
    if monthly:
        rows = _selected(
            open_files(monthly), flow=flow, products=codes, reporters=members, digits=digits, by=by
        )
        if annual_rows is not None:
            # a (reporter, product, year) with annual rows does not add its monthly rows
            keys = annual_rows.select(
                a_source=annual_rows.source,
                a_reporter=annual_rows.reporter,
                a_code=annual_rows.code,
                a_year=annual_rows.year,
            ).distinct()
            rows = rows.anti_join(
                keys,
                [
                    rows.source == keys.a_source,
                    rows.reporter == keys.a_reporter,
                    rows.code == keys.a_code,
                    rows.year == keys.a_year,
                ],
            )
        parts.append(
            rows.select(
                source=rows.source,
                product=rows.code,
                year=rows.year.cast("int32"),
                key=rows[by],
                partner_kind=rows.partner_kind,
                value=rows.value,
                month=rows.period_start.month().cast("int8"),
            )
        )
    union = parts[0] if len(parts) == 1 else parts[0].union(parts[1], distinct=False)
    # the months seen, one flag per month: a bitwise OR aggregate is not on every backend
    flags = {f"m{m}": (union.month == m).any() for m in range(1, 13)}
    return union.group_by(["source", "product", "year", "key"]).aggregate(
        partner_kind=union.partner_kind.max(), value=union.value.sum(), **flags
    )


def partner_values(
    files: Sequence[Path],
    *,
    flow: int,
    products: Sequence[str],
    reporters: Sequence[str] | None,
    digits: int = 8,
    by: str = "partner",
    open_files: FilesOpener | None = None,
) -> list[PartnerRow]:
    """Values by (source, product, year, partner) of ``flow``, summed over ``reporters``.

    A (reporter, product, year) uses its annual rows when it has any, else the sum of its
    monthly rows; ``months`` counts the months of the product and year summed from monthly rows
    (0 when all are annual). With ``digits``
    6 the products are cut to HS6 first (BACI and world views). ``reporters`` ``None``
    keeps every reporter. ``by="reporter"`` keys the rows by reporter instead of partner
    (the exporters of a world view), summed over the partners that are not aggregates.

    The rows are read through one Ibis expression (:func:`partner_expression`) on the
    tables ``open_files`` makes of the files: DuckDB by default, Spark with
    :func:`spark_files`.
    """
    expression = partner_expression(
        open_files or duckdb_files(),
        files,
        flow=flow,
        products=products,
        reporters=reporters,
        digits=digits,
        by=by,
    )
    if expression is None:
        return []
    found = expression.to_pyarrow().to_pylist()
    # the months of a (source, product, year): the union of its keys' month masks
    masks: dict[tuple[str, str, int], int] = defaultdict(int)
    for row in found:
        masks[(row["source"], row["product"], row["year"])] |= sum(
            1 << m for m in range(1, 13) if row[f"m{m}"]
        )
    return [
        PartnerRow(
            str(row["source"]),
            str(row["product"]),
            int(row["year"]),
            str(row["key"]),
            str(row["partner_kind"]),
            None if row["value"] is None else float(row["value"]),
            masks[(row["source"], row["product"], row["year"])].bit_count(),
        )
        for row in found
    ]


def reporters_by_product(
    files: Sequence[Path],
    *,
    flow: int,
    products: Sequence[str],
    reporters: Sequence[str],
    open_files: FilesOpener | None = None,
) -> dict[tuple[str, int], frozenset[str]]:
    """The reporters with rows of ``flow`` per (product, year): for partial extracts, whose
    totals leave out the Member States that have no rows."""
    if not files or not products:
        return {}
    table = (open_files or duckdb_files())(files)
    table = table.filter(
        table.flow == flow,
        table.product.isin(_codes(products)),
        table.reporter.isin(_codes(reporters)),
    )
    found = table.select("product", "year", "reporter").distinct().to_pyarrow().to_pylist()
    out: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in found:
        out[(str(row["product"]), int(row["year"]))].add(str(row["reporter"]))
    return {key: frozenset(states) for key, states in out.items()}


def distinct_reporters(files: Sequence[Path], *, open_files: FilesOpener | None = None) -> int:
    """How many reporters the files hold (e.g. the exporters of a BACI year)."""
    if not files:
        return 0
    table = (open_files or duckdb_files())(files)
    found = table.reporter.nunique().to_pyarrow()
    return int(found.as_py() or 0)

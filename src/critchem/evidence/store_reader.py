"""Reading what the evidence families need from the trade store, with provenance.

One DuckDB query per family reads only the partitions (source, year) and codes it needs, and
aggregates the flows by source, product, year and partner. The load ids come from the names
of the Parquet files read (``<load_id>-<n>.parquet``) and the file hashes from the store's
catalogue of loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from critchem.trade._layout import committed_files

FLOWS = "flows"
CATALOGUE = "catalogue.duckdb"


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


def _literals(values: Sequence[str]) -> str:
    """SQL string literals of codes (letters and digits only), so that DuckDB can push the list
    down into the Parquet scan; anything else is refused."""
    unique = sorted(set(values))
    bad = [v for v in unique if not v.isalnum()]
    if bad:
        raise ValueError(f"Not a product or country code: {bad[0]!r}")
    return ", ".join(f"'{v}'" for v in unique) or "NULL"


def _file_list(files: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def partner_values(
    files: Sequence[Path],
    *,
    flow: int,
    products: Sequence[str],
    reporters: Sequence[str] | None,
    digits: int = 8,
    by: str = "partner",
) -> list[PartnerRow]:
    """Values by (source, product, year, partner) of ``flow``, summed over ``reporters``.

    A (reporter, product, year) uses its annual rows when it has any, else the sum of its
    monthly rows; ``months`` counts the months of the product and year summed from monthly rows
    (0 when all are annual). With ``digits``
    6 the products are cut to HS6 first (BACI and world views). ``reporters`` ``None``
    keeps every reporter. ``by="reporter"`` keys the rows by reporter instead of partner
    (the exporters of a world view), summed over the partners that are not aggregates.
    """
    if by not in ("partner", "reporter"):
        raise ValueError(f"by must be 'partner' or 'reporter', got {by!r}")
    if not files or not products:
        return []
    where_reporter = f"AND reporter IN ({_literals(reporters)})" if reporters is not None else ""
    # CN8 codes are compared as stored, so that DuckDB can skip row groups by their statistics
    code = "product" if digits == 8 else f"left(product, {int(digits)})"
    not_aggregate = "AND partner_kind <> 'aggregate'" if by == "reporter" else ""
    where = f"flow = $flow AND {code} IN ({_literals(products)}) {where_reporter} {not_aggregate}"
    # files sit in flows/<source>/<freq>/<year>/ (see critchem.trade._layout)
    annual = [f for f in files if f.parent.parts[-2] == "A"]
    monthly = [f for f in files if f.parent.parts[-2] == "M"]
    parts = []
    if annual:
        parts.append(
            f"SELECT source, {code} AS product, year, {by} AS key, partner_kind, value,"
            f" 0::BIGINT AS mbit FROM read_parquet({_file_list(annual)}) WHERE {where}"
        )
    if monthly:
        # a (reporter, product, year) with annual rows does not add its monthly rows
        skip = (
            f"AND (source, reporter, {code}, year) NOT IN (SELECT DISTINCT source, reporter,"
            f" {code}, year FROM read_parquet({_file_list(annual)}) WHERE {where})"
            if annual
            else ""
        )
        parts.append(
            f"SELECT source, {code} AS product, year, {by} AS key, partner_kind, value,"
            f" (1::BIGINT << month(period_start)) AS mbit"
            f" FROM read_parquet({_file_list(monthly)}) WHERE {where} {skip}"
        )
    if not parts:
        return []
    # one pass over the rows, grouped as the hand-written HHI query groups them; the months
    # summed are a bit mask per product and year
    sql = f"""
        SELECT source, product, year, key, any_value(partner_kind), sum(value),
               bit_count(bit_or(bit_or(mbit)) OVER (PARTITION BY source, product, year))
        FROM ({" UNION ALL ".join(parts)})
        GROUP BY source, product, year, key
    """
    params: dict[str, object] = {"flow": flow}
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        rows = con.execute(sql, params).fetchall()
    return [
        PartnerRow(str(s), str(p), int(y), str(pa), str(k), None if v is None else float(v), int(m))
        for s, p, y, pa, k, v, m in rows
    ]


def reporters_by_product(
    files: Sequence[Path], *, flow: int, products: Sequence[str], reporters: Sequence[str]
) -> dict[tuple[str, int], frozenset[str]]:
    """The reporters with rows of ``flow`` per (product, year): for partial extracts, whose
    totals leave out the Member States that have no rows."""
    if not files or not products:
        return {}
    sql = f"""
        SELECT product, year, list(DISTINCT reporter)
        FROM read_parquet({_file_list(files)})
        WHERE flow = $flow AND product IN ({_literals(products)})
          AND reporter IN ({_literals(reporters)})
        GROUP BY product, year
    """
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        rows = con.execute(sql, {"flow": flow}).fetchall()
    return {(str(p), int(y)): frozenset(str(r) for r in rs) for p, y, rs in rows}


def distinct_reporters(files: Sequence[Path]) -> int:
    """How many reporters the files hold (e.g. the exporters of a BACI year)."""
    if not files:
        return 0
    with duckdb.connect() as con:
        row = con.execute(
            f"SELECT count(DISTINCT reporter) FROM read_parquet({_file_list(files)})"
        ).fetchone()
    return int(row[0]) if row else 0

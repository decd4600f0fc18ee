"""Revised files replace rows: a newer load supersedes older rows of the same slices.

Comext revises months: a file published again for a month carries the month's corrected
rows. A slice is ``(source, freq, period, reporter, product)``: every older row of a slice
the new load has rows for is dropped, so a revision replaces its month, never doubles it,
and a partner the revision no longer lists goes away too. Older files that hold such rows
are rewritten without them (a new file name; the old file is deleted once the catalogue
points at the new one).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from critchem.trade.schema import COMPRESSION, COMPRESSION_LEVEL, DICTIONARY_COLUMNS, FLOW_SCHEMA

SLICE = ("source", "freq", "period", "reporter", "product")
"""The columns whose values a newer load takes over."""


@dataclass(frozen=True)
class Rewrite:
    """An older file rewritten without the superseded rows."""

    load_id: str
    old: str  # relative to flows/
    new: str | None  # None: nothing left, the file goes
    rows_left: int
    rows_dropped: int


def _listed(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + p.as_posix().replace("'", "''") + "'" for p in paths) + "]"


def plan(flows_root: Path, new_files: list[Path], older: list[tuple[str, str]]) -> list[Rewrite]:
    """Rewrite the ``older`` files ((load_id, relative path)) that hold slices of the new load.

    Only older files in the same ``source/freq/year`` folders as a new file are read.
    """
    folders = {f.parent for f in new_files}
    candidates = [(lid, rel) for lid, rel in older if (flows_root / rel).parent in folders]
    if not candidates or not new_files:
        return []
    keys = ", ".join(SLICE)
    out: list[Rewrite] = []
    with duckdb.connect() as con:
        con.execute(
            f"CREATE TEMP TABLE slices AS SELECT DISTINCT {keys} FROM read_parquet("
            f"{_listed(new_files)}, hive_partitioning = false)"
        )
        paths = [flows_root / rel for _, rel in candidates]
        hits = dict(
            con.execute(
                f"SELECT filename, count(*) FROM read_parquet({_listed(paths)}, filename = true,"
                f" hive_partitioning = false) SEMI JOIN slices USING ({keys}) GROUP BY filename"
            ).fetchall()
        )
        for load_id, rel in candidates:
            path = flows_root / rel
            dropped = int(hits.get(path.as_posix(), 0))
            if not dropped:
                continue
            kept = con.sql(
                f"SELECT * FROM read_parquet({_listed([path])}, hive_partitioning = false)"
                f" ANTI JOIN slices USING ({keys})"
            ).to_arrow_table()
            table = kept.select(FLOW_SCHEMA.names).cast(FLOW_SCHEMA)
            if table.num_rows == 0:
                out.append(Rewrite(load_id, rel, None, 0, dropped))
                continue
            name = f"{path.stem}r{uuid.uuid4().hex[:6]}.parquet"  # keeps <load_id>-<n>...
            pq.write_table(
                table,
                path.with_name(name),
                compression=COMPRESSION,
                compression_level=COMPRESSION_LEVEL,
                use_dictionary=DICTIONARY_COLUMNS,
            )
            new_rel = (Path(rel).parent / name).as_posix()
            out.append(Rewrite(load_id, rel, new_rel, table.num_rows, dropped))
    return out

"""The versioned evidence table: one row per molecule, indicator and year, with provenance.

Each build is written as one Parquet file beside the trade store,
``<store>/evidence/year=<Y>/<build_id>.parquet``; a build is never overwritten, and readers
take the newest build of a year unless asked for another.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from critchem.core.errors import NotFoundError
from critchem.evidence.base import MISSING, EvidenceValue, Provenance

EVIDENCE_DIR = "evidence"

SCHEMA = pa.schema(
    [
        pa.field("molecule", pa.string(), nullable=False),
        pa.field("indicator", pa.string(), nullable=False),
        pa.field("year", pa.int16(), nullable=False),
        pa.field("value_number", pa.float64()),
        pa.field("value_text", pa.string()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("years", pa.list_(pa.int16())),
        pa.field("codes", pa.list_(pa.string())),
        pa.field("note", pa.string(), nullable=False),
        pa.field("dataset", pa.string(), nullable=False),
        pa.field("load_ids", pa.list_(pa.string())),
        pa.field("file_hashes", pa.list_(pa.string())),
        pa.field("method_version", pa.string(), nullable=False),
    ]
)
"""The columns of the evidence table (a number or a text value, never both)."""


@dataclass(frozen=True)
class EvidenceTable:
    """The evidence values of one build and year."""

    build_id: str
    year: int
    built_at: str
    values: tuple[EvidenceValue, ...]
    options: dict[str, Any] = field(default_factory=dict)

    def molecules(self) -> list[str]:
        """The molecules, in first-seen order."""
        return list(dict.fromkeys(v.molecule for v in self.values))

    def indicators(self) -> list[str]:
        """The indicators, in first-seen order."""
        return list(dict.fromkeys(v.indicator for v in self.values))

    def for_molecule(self, molecule: str) -> list[EvidenceValue]:
        """The values of one molecule."""
        return [v for v in self.values if v.molecule == molecule]

    def get(self, molecule: str, indicator: str) -> EvidenceValue | None:
        """One value, or None when the build has no row for it."""
        for v in self.values:
            if v.molecule == molecule and v.indicator == indicator:
                return v
        return None

    def to_arrow(self) -> pa.Table:
        """The values as an Arrow table of :data:`SCHEMA`, with the build in its metadata."""
        rows = [_row(v) for v in self.values]
        table = pa.Table.from_pylist(rows, schema=SCHEMA)
        meta = {
            "build_id": self.build_id,
            "year": str(self.year),
            "built_at": self.built_at,
            "options": json.dumps(self.options, sort_keys=True),
        }
        return table.replace_schema_metadata({f"critchem.{k}": v for k, v in meta.items()})

    def write(self, store_root: Path) -> Path:
        """Write the build beside the store; returns the file."""
        folder = Path(store_root) / EVIDENCE_DIR / f"year={self.year}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.build_id}.parquet"
        tmp = path.with_suffix(".tmp")
        pq.write_table(self.to_arrow(), tmp)
        tmp.replace(path)
        return path


def _row(v: EvidenceValue) -> dict[str, Any]:
    return {
        "molecule": v.molecule,
        "indicator": v.indicator,
        "year": v.year,
        "value_number": float(v.value)
        if isinstance(v.value, int | float) and not isinstance(v.value, bool)
        else None,
        "value_text": v.value if isinstance(v.value, str) else None,
        "status": v.status,
        "source": v.source,
        "years": list(v.years),
        "codes": list(v.codes),
        "note": v.note,
        "dataset": v.provenance.dataset,
        "load_ids": list(v.provenance.load_ids),
        "file_hashes": list(v.provenance.file_hashes),
        "method_version": v.provenance.method_version,
    }


def new_build_id(now: datetime | None = None) -> str:
    """A build id that sorts by time: ``YYYYMMDDTHHMMSSffffff``."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%f")


def from_arrow(table: pa.Table) -> EvidenceTable:
    """An evidence table from its Arrow form (see :meth:`EvidenceTable.to_arrow`)."""
    meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    values = tuple(_value(r) for r in table.to_pylist())
    return EvidenceTable(
        build_id=meta.get("critchem.build_id", ""),
        year=int(meta.get("critchem.year", "0")),
        built_at=meta.get("critchem.built_at", ""),
        values=values,
        options=json.loads(meta.get("critchem.options", "{}")),
    )


def _value(r: dict[str, Any]) -> EvidenceValue:
    value = r["value_text"] if r["value_text"] is not None else r["value_number"]
    return EvidenceValue(
        r["molecule"],
        r["indicator"],
        int(r["year"]),
        value,
        r["status"],
        source=r["source"],
        years=tuple(r["years"] or ()),
        codes=tuple(r["codes"] or ()),
        note=r["note"],
        provenance=Provenance(
            r["dataset"],
            tuple(r["load_ids"] or ()),
            tuple(r["file_hashes"] or ()),
            r["method_version"],
        ),
    )


def builds(store_root: Path, year: int) -> list[Path]:
    """The build files of ``year``, oldest first."""
    folder = Path(store_root) / EVIDENCE_DIR / f"year={int(year)}"
    return sorted(folder.glob("*.parquet"))


def latest_build(store_root: Path) -> tuple[int, str] | None:
    """The newest year with a build and that build's id, or None without any build."""
    root = Path(store_root) / EVIDENCE_DIR
    years = sorted(
        int(p.name.split("=", 1)[1])
        for p in root.glob("year=*")
        if p.is_dir() and p.name.split("=", 1)[1].isdigit()
    )
    for year in reversed(years):
        files = builds(store_root, year)
        if files:
            return year, files[-1].stem
    return None


def read_evidence(store_root: Path, year: int, build_id: str | None = None) -> EvidenceTable:
    """The newest build of ``year`` (or the build ``build_id``)."""
    files = builds(store_root, year)
    if build_id is not None:
        files = [f for f in files if f.stem == build_id]
    if not files:
        what = f"build {build_id}" if build_id else "evidence"
        raise NotFoundError(
            f"No {what} for {year} in {Path(store_root) / EVIDENCE_DIR}: "
            f"run `critchem evidence build --year {year}` first"
        )
    stat = files[-1].stat()
    return _read_build(str(files[-1]), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_build(path: str, mtime_ns: int, size: int) -> EvidenceTable:
    """One build file, read once per process (a build is never rewritten; the file's
    modification time and size are in the key all the same).

    ``ParquetFile`` reads the one file directly: ``pq.read_table`` goes through
    ``pyarrow.dataset``, whose import pulls in pandas (a second of a page's first view)."""
    return from_arrow(pq.ParquetFile(path).read())


def missing_rows(values: Iterable[EvidenceValue]) -> list[dict[str, str]]:
    """``[{"indicator", "reason"}]`` of the values without a figure."""
    return [
        {"indicator": v.indicator, "reason": v.note, "status": v.status}
        for v in values
        if v.status == MISSING or v.value is None
    ]

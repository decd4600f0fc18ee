"""The report of one load of a trade file into the store."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

LOADED = "loaded"
SKIPPED = "skipped"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What happened to one file: where its rows went, and its provenance.

    The counts reconcile: ``rows_read == rows_stored + rows_quarantined``. ``rows_stored``
    counts rows of the file; ``flows_written`` counts canonical flows, which is smaller when a
    source merges rows (SDMX-CSV: one row per indicator, one flow per observation).

    >>> report = LoadReport(load_id="L1", status="loaded", source="comext_sdmx", path="x.csv",
    ...     file_sha256="ab", file_size=10, retrieved_at="2025-01-01T00:00:00+00:00",
    ...     ingested_at="2025-01-02T00:00:00+00:00", parser="comext_sdmx", parser_version="1.0",
    ...     critchem_version="0.1.0", rows_read=10, rows_stored=8, rows_quarantined=2,
    ...     flows_written=4, seconds=0.5)
    >>> report.summary()
    'x.csv: read 10 = stored 8 + quarantined 2 (comext_sdmx, load L1, 4 flows written)'
    """

    load_id: str
    status: str
    source: str
    path: str
    file_sha256: str
    file_size: int
    retrieved_at: str
    ingested_at: str
    parser: str
    parser_version: str
    critchem_version: str
    rows_read: int
    rows_stored: int
    rows_quarantined: int
    flows_written: int
    seconds: float
    files: tuple[str, ...] = ()
    duplicate_copies: int = 0
    """Exact copies of a row in the file: stored once (``flows_written`` counts it once)."""
    conflicting_keys: int = 0
    """Keys the file gives twice with different figures: both kept, reported here."""
    rows_superseded: int = 0
    """Rows of older loads this file's rows replaced (a revised month)."""

    @property
    def reconciles(self) -> bool:
        """Whether every row read was either stored or quarantined."""
        return self.rows_read == self.rows_stored + self.rows_quarantined

    def summary(self) -> str:
        """One line for people: ``read N = stored S + quarantined Q`` and where it went."""
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        counts = (
            f"read {self.rows_read} = stored {self.rows_stored}"
            f" + quarantined {self.rows_quarantined}"
        )
        if self.status == SKIPPED:
            return f"{name}: already loaded as load {self.load_id} (same sha256); {counts}"
        notes = "".join(
            f"; {n} {what}"
            for n, what in (
                (self.duplicate_copies, "exact duplicate rows stored once"),
                (self.conflicting_keys, "keys given twice with different figures"),
                (self.rows_superseded, "older rows replaced by this revision"),
            )
            if n
        )
        return (
            f"{name}: {counts} ({self.source}, load {self.load_id},"
            f" {self.flows_written} flows written{notes})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready values."""
        data = asdict(self)
        data["files"] = list(self.files)
        data["reconciles"] = self.reconciles
        return data

"""Keeping parsed PRODCOM files in the store: ``<store>/prodcom/<sha256>.json``.

Each loaded file is kept as one JSON record (its path, layout, SHA-256, counts, rejected rows
and observations), so that the evidence builder can cite the file hash of every figure.
PRODCOM files are small (thousands of codes a year), so JSON is enough.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from critchem.production.prodcom.records import Figure, Observation, ProdcomParse, Rejected

FOLDER = "prodcom"


def save_parse(parse: ProdcomParse, store_root: Path) -> Path:
    """Write the parse of one file to the store (replacing an earlier load of the same bytes)."""
    folder = Path(store_root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{parse.sha256}.json"
    record: dict[str, Any] = {
        "path": parse.path,
        "layout": parse.layout,
        "sha256": parse.sha256,
        "rows_read": parse.rows_read,
        "rows_used": parse.rows_used,
        "ignored": parse.ignored,
        "rejected": [asdict(r) for r in parse.rejected],
        "observations": [o.to_dict() for o in parse.observations],
    }
    target.write_text(json.dumps(record), encoding="utf-8")
    return target


def _observation(row: dict[str, Any]) -> Observation:
    return Observation(
        reporter=row["reporter"],
        prccode=row["prccode"],
        year=int(row["year"]),
        production_value=Figure(row["production_value_eur"], row["production_value_status"]),
        production_quantity=Figure(row["production_quantity"], row["production_quantity_status"]),
        unit=row["unit"],
        export_value=row["export_value_eur"],
        import_value=row["import_value_eur"],
        line=int(row["line"]),
    )


def load_parses(store_root: Path) -> list[ProdcomParse]:
    """Every PRODCOM file kept in the store (none when the folder does not exist)."""
    folder = Path(store_root) / FOLDER
    parses = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        record = json.loads(path.read_text(encoding="utf-8"))
        parses.append(
            ProdcomParse(
                path=record["path"],
                layout=record["layout"],
                sha256=record["sha256"],
                observations=tuple(_observation(r) for r in record["observations"]),
                rejected=tuple(Rejected(**r) for r in record["rejected"]),
                rows_read=record["rows_read"],
                rows_used=record["rows_used"],
                ignored=record["ignored"],
            )
        )
    return parses

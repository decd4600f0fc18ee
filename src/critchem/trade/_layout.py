"""The committed files of a trade store: manifest, orphan sweep, the ingest lock.

Layout under the store root (plain folder names, no ``key=value`` partitions, so pandas,
Polars, DuckDB and Spark read the files with the columns and types stored in them)::

    flows/<source>/<freq>/<year>/<load_id>-<n>.parquet
    flows/_manifest.json     the committed files (relative paths), rewritten atomically
    catalogue.duckdb         loads, load_files, quarantine; view flows (committed files)
    .ingest.lock             held by the one ingest running on the store

A load is recorded as ``committing`` with its file list before its files are published;
it becomes ``loaded`` in one transaction once they are in place. Whatever a crash leaves
behind (a ``committing`` load, files no committed load lists, staging folders) is swept by
the next ingest, under the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from critchem.core.errors import IngestError

FLOWS = "flows"
STAGING = "staging"
MANIFEST = "_manifest.json"
LOCK = ".ingest.lock"


@contextmanager
def ingest_lock(root: Path) -> Iterator[None]:
    """Hold the store's ingest lock; a second ingest fails at once with a clear message."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK).open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestError(
                f"another ingest is running on the trade store {root.name!r}; "
                "wait for it to finish and run this one again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_manifest(root: Path, files: list[str]) -> None:
    """Replace the manifest of committed files (relative to ``flows``) atomically."""
    folder = root / FLOWS
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps({"files": sorted(files)}, indent=0), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def committed_files(root: Path) -> list[Path]:
    """The committed flow files of the store at ``root`` (read without the catalogue)."""
    manifest = Path(root) / FLOWS / MANIFEST
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [Path(root) / FLOWS / name for name in listed]


def sweep(root: Path, keep: set[str]) -> list[str]:
    """Delete staging folders and the flow files no committed load lists; returns them."""
    shutil.rmtree(root / STAGING, ignore_errors=True)
    folder = root / FLOWS
    removed = []
    for path in sorted(folder.rglob("*.parquet")) if folder.is_dir() else ():
        relative = path.relative_to(folder).as_posix()
        if relative not in keep:
            path.unlink(missing_ok=True)
            removed.append(relative)
    return removed


def legacy_files(root: Path) -> list[tuple[Path, Path]]:
    """Files of the former ``source=<s>/freq=<f>/year=<y>`` layout and where they now go."""
    folder = root / FLOWS
    moves = []
    for path in sorted(folder.glob("source=*/freq=*/year=*/*.parquet")):
        source, freq, year = (p.name.split("=", 1)[1] for p in path.parents[2::-1])
        moves.append((path, folder / source / freq / year / path.name))
    return moves

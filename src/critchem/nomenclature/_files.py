"""Reading the reference files shipped in ``critchem/*/data``."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from importlib import resources


def read_rows(package: str, name: str, *, delimiter: str = ",") -> Iterator[dict[str, str]]:
    """Yield the rows of a shipped CSV/TSV file (gzip-compressed when it ends in ``.gz``)."""
    raw = resources.files(package).joinpath("data", name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8-sig")
    yield from csv.DictReader(io.StringIO(text), delimiter=delimiter)


def data_text(package: str, name: str) -> str:
    """The text of a shipped data file."""
    return resources.files(package).joinpath("data", name).read_text(encoding="utf-8")

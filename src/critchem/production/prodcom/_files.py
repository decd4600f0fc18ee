"""Opening PRODCOM files: plain, gzip (the API's ``compressed=true``) or zip (bulk archives)."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from critchem.core.errors import ProdcomFormatError

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes (as stored, before decompression)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def open_text(path: Path) -> Iterator[TextIO]:
    """The text of a plain, ``.gz`` or ``.zip`` (first CSV/TSV member) file, UTF-8.

    Raises
    ------
    ProdcomFormatError
        When the file is missing or the archive cannot be read.
    """
    if not path.is_file():
        raise ProdcomFormatError(f"{path}: no such file")
    try:
        with path.open("rb") as probe:
            magic = probe.read(4)
        if magic[:2] == b"\x1f\x8b":
            with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
                yield handle
        elif magic == b"PK\x03\x04":
            with zipfile.ZipFile(path) as bundle:
                members = [i for i in bundle.infolist() if not i.is_dir()]
                if not members:
                    raise ProdcomFormatError(f"{path}: the zip archive is empty")
                with bundle.open(members[0]) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            with path.open("r", encoding="utf-8-sig", newline="") as handle:
                yield handle
    except (OSError, zipfile.BadZipFile, EOFError, UnicodeDecodeError) as error:
        raise ProdcomFormatError(
            f"{path}: cannot be read ({type(error).__name__}: {error})"
        ) from error


def delimiter_of(header: str) -> str:
    """The delimiter of a header line: tab, semicolon or comma.

    >>> delimiter_of("DECL;PERIOD;PRCCODE"), delimiter_of("a,b")
    (';', ',')
    """
    counts = {d: header.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","

"""Opening trade files as byte streams: plain, gzip (``.gz``) or a 7-Zip archive (``.7z``).

A ``.7z`` member is decompressed in a background thread into a bounded queue and read from
there, so the member is streamed: it is never held in memory or written to disk as a whole
(``_sevenzip``, imported only when an archive is opened: py7zr and its ciphers take a
noticeable share of the start-up of an ingest).
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from critchem.core.errors import TradeFormatError


@dataclass(frozen=True, slots=True)
class Input:
    """An opened trade file: an Arrow input stream and a progress probe (0..1)."""

    stream: pa.NativeFile
    progress: Callable[[], float]


@contextmanager
def open_input(path: Path) -> Iterator[Input]:
    """Open a plain, ``.gz`` or ``.7z`` trade file as an Arrow stream with a progress probe."""
    suffix = path.suffix.lower()
    if suffix == ".7z":
        from critchem.trade.sources._sevenzip import SevenZipStream, seven_zip_member

        member, size = seven_zip_member(path)
        raw = SevenZipStream(path, member)
        try:
            stream = pa.PythonFile(raw, mode="r")
            yield Input(stream, lambda: raw.position / size if size else 1.0)
        finally:
            raw.close()
        return
    total = path.stat().st_size or 1
    source = pa.OSFile(str(path), "rb")
    try:
        if suffix == ".gz":
            compressed = pa.CompressedInputStream(source, "gzip")
            yield Input(compressed, lambda: source.tell() / total)
        else:
            yield Input(source, lambda: source.tell() / total)
    finally:
        source.close()


def _first_line(data: bytes) -> str:
    line = data.split(b"\n", 1)[0].rstrip(b"\r")
    return line.decode("utf-8-sig", errors="replace")


def read_header(path: Path) -> str:
    """The first line of a plain, ``.gz`` or ``.7z`` trade file, without its line break.

    Raises
    ------
    TradeFormatError
        When the file cannot be read.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".7z":
            from critchem.trade.sources._sevenzip import seven_zip_head

            return _first_line(seven_zip_head(path))
        if suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                return _first_line(handle.readline(1 << 16))
        with path.open("rb") as handle:
            return _first_line(handle.readline(1 << 16))
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise TradeFormatError(f"{path}: cannot read the header line ({error})") from error

"""One member of a 7-Zip archive (``.7z``) as a stream, decompressed in a background thread.

The member is decompressed into a bounded queue and read from there, so it is never held in
memory or written to disk as a whole. Imported only when an archive is opened.
"""

from __future__ import annotations

import io
import queue
import threading
from pathlib import Path

import py7zr
import py7zr.io
from py7zr.exceptions import Bad7zFile

from critchem.core.errors import TradeFormatError

_CHUNKS_IN_FLIGHT = 8

DATA_SUFFIXES = (".dat", ".csv", ".txt", ".tsv")
"""Extensions of the data member looked for inside an archive."""


def seven_zip_member(path: Path) -> tuple[str, int]:
    """The name and uncompressed size of the data member of a ``.7z`` archive.

    Raises
    ------
    TradeFormatError
        When the archive is unreadable or holds no or several data files.
    """
    try:
        with py7zr.SevenZipFile(path) as archive:
            members = [
                (info.filename, int(info.uncompressed))
                for info in archive.list()
                if not info.is_directory and info.filename.lower().endswith(DATA_SUFFIXES)
            ]
    except (Bad7zFile, OSError) as error:
        raise TradeFormatError(f"{path}: not a readable 7-Zip archive ({error})") from error
    if len(members) != 1:
        names = ", ".join(name for name, _ in members) or "none"
        raise TradeFormatError(
            f"{path}: expected exactly one data file ({', '.join(DATA_SUFFIXES)}) in the archive,"
            f" found {names}"
        )
    return members[0]


class _StopError(Exception):
    """Raised inside the decompressing thread to end it early."""


class _QueueWriter(py7zr.io.Py7zIO):
    """Receives decompressed bytes from py7zr and hands them to the reading side."""

    def __init__(self, chunks: queue.Queue[bytes | None], stop: threading.Event) -> None:
        self._chunks = chunks
        self._stop = stop
        self._size = 0

    def write(self, s: bytes | bytearray) -> int:
        data = bytes(s)
        while True:
            if self._stop.is_set():
                raise _StopError
            try:
                self._chunks.put(data, timeout=0.1)
                break
            except queue.Full:
                continue
        self._size += len(data)
        return len(data)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._size

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self._size


class _QueueFactory(py7zr.io.WriterFactory):
    def __init__(self, writer: _QueueWriter) -> None:
        self._writer = writer

    def create(self, filename: str) -> py7zr.io.Py7zIO:
        return self._writer


class SevenZipStream(io.RawIOBase):
    """A readable raw stream over one member of a ``.7z`` archive, decompressed in a thread."""

    def __init__(self, path: Path, member: str) -> None:
        super().__init__()
        self._path = path
        self._member = member
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_CHUNKS_IN_FLIGHT)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._buffer = b""
        self._eof = False
        self.position = 0
        self._thread = threading.Thread(target=self._run, name="critchem-7z", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        writer = _QueueWriter(self._chunks, self._stop)
        try:
            with py7zr.SevenZipFile(self._path) as archive:
                archive.extract(targets=[self._member], factory=_QueueFactory(writer))
        except _StopError:
            pass
        except BaseException as error:  # handed over to the reading thread
            self._error = error
        finally:
            while not self._stop.is_set():
                try:
                    self._chunks.put(None, timeout=0.1)
                    break
                except queue.Full:
                    continue

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` with the next decompressed bytes (0 at the end of the member)."""
        while not self._buffer and not self._eof:
            chunk = self._chunks.get()
            if chunk is None:
                self._eof = True
                if self._error is not None:
                    raise TradeFormatError(
                        f"{self._path}: cannot decompress {self._member} ({self._error})"
                    ) from self._error
            else:
                self._buffer = chunk
        n = min(len(buffer), len(self._buffer))
        buffer[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        self.position += n
        return n

    def close(self) -> None:
        """Stop the decompressing thread and close the stream."""
        if not self.closed:
            self._stop.set()
            while self._thread.is_alive():
                try:
                    self._chunks.get(timeout=0.1)
                except queue.Empty:
                    continue
            self._thread.join()
        super().close()


class _HeadWriter(py7zr.io.Py7zIO):
    """Keeps the first line written and stops the decompression there."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, s: bytes | bytearray) -> int:
        self.data += s
        if b"\n" in self.data or len(self.data) > 1 << 16:
            raise _StopError
        return len(s)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return len(self.data)

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return len(self.data)


class _HeadFactory(py7zr.io.WriterFactory):
    def __init__(self) -> None:
        self.writer = _HeadWriter()

    def create(self, filename: str) -> py7zr.io.Py7zIO:
        return self.writer


def seven_zip_head(path: Path) -> bytes:
    """The first bytes (up to the first line break) of the data member of a ``.7z`` archive."""
    member, _ = seven_zip_member(path)
    factory = _HeadFactory()
    try:
        with py7zr.SevenZipFile(path) as archive:
            archive.extract(targets=[member], factory=factory)
    except _StopError:
        pass
    return bytes(factory.writer.data)

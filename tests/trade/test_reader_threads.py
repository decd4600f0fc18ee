"""The reader's malformed rows when Arrow parses the next block on its own thread.

Arrow calls the invalid-row handler from its reading thread, which parses block n + 1 while
block n is handed over. A row the handler adds while the rows of block n are drained must
land in the next drain: neither lost (the last malformed line of a file vanished about one
run in five) nor torn (lists of different lengths).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from critchem.trade.sources._reader import READ_AHEAD, _InvalidRows, _Metered, read_blocks

COLUMNS = ("A", "B", "C")


def _row(number: int) -> pacsv.InvalidRow:
    return pacsv.InvalidRow(3, 2, number, f"x{number},y")


def _during_conversion(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> None:
    """Run ``action`` on another thread while ``drain`` converts its first column."""
    original = pa.array
    done = threading.Event()

    def array(*args: Any, **kwargs: Any) -> pa.Array:
        converted = original(*args, **kwargs)
        if not done.is_set():
            done.set()
            other = threading.Thread(target=action)
            other.start()
            other.join(timeout=5)
        return converted

    monkeypatch.setattr(pa, "array", array)


def test_a_row_added_during_a_drain_lands_in_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    invalid = _InvalidRows(expected=3)
    invalid(_row(2))
    _during_conversion(monkeypatch, lambda: invalid(_row(9)))
    first = invalid.drain()
    monkeypatch.undo()
    second = invalid.drain()
    assert first.column("row_number").to_pylist() == [2]
    assert second.column("row_number").to_pylist() == [9]
    assert second.column("raw").to_pylist() == ["x9,y"]
    assert invalid.drain().num_rows == 0


def _write(path: Path, lines: list[str]) -> None:
    path.write_text(",".join(COLUMNS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def _read(path: Path, block_size: int) -> tuple[list[int], list[str], int]:
    """Rejected lines, good values of column A, and rows read."""
    rejected: list[int] = []
    good: list[str] = []
    read = 0
    for block in read_blocks(path, COLUMNS, block_size=block_size):
        rejected += block.malformed.column("row_number").to_pylist()
        good += block.rows.column("A").to_pylist()
        read += block.rows_read
    return sorted(rejected), good, read


def _lines(count: int, bad_every: int) -> tuple[list[str], list[int], list[str]]:
    """Lines with a short row every ``bad_every`` and always as the last line."""
    lines, bad, good = [], [], []
    for i in range(count):
        if i % bad_every == bad_every - 1 or i == count - 1:
            lines.append(f"{i},short")
            bad.append(i + 2)
        else:
            lines.append(f"{i},b,c")
            good.append(str(i))
    return lines, bad, good


def test_the_last_malformed_line_at_every_block_boundary(tmp_path: Path) -> None:
    """The final, partial block ends at every offset relative to the block size."""
    lines, bad, good = _lines(40, 7)
    path = tmp_path / "rows.csv"
    _write(path, lines)
    for block_size in range(16, 140):
        assert _read(path, block_size) == (bad, good, len(lines)), block_size


def test_slow_drains_lose_no_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each drain is slowed, so Arrow's thread parses the next blocks while it runs."""
    lines, bad, good = _lines(400, 5)
    path = tmp_path / "rows.csv"
    _write(path, lines)
    original = pa.array

    def slow_array(*args: Any, **kwargs: Any) -> pa.Array:
        converted = original(*args, **kwargs)
        time.sleep(0.002)  # inside a drain: between taking the rows and building the batch
        return converted

    monkeypatch.setattr(pa, "array", slow_array)
    for block_size in (32, 64, 200):
        assert _read(path, block_size) == (bad, good, len(lines)), block_size


def test_read_ahead_stays_bounded_when_reads_time_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A read that waited out its credit is owed, so the bound does not grow per timeout."""
    monkeypatch.setattr(_Metered, "WAIT", 0.01)
    metered = _Metered(pa.BufferReader(b"x" * 1000))
    buffer = memoryview(bytearray(10))
    waited = []
    for _ in range(READ_AHEAD + 2):  # two reads more than the credits: both wait, then owe
        started = time.perf_counter()
        metered.readinto(buffer)
        waited.append(time.perf_counter() - started >= 0.01)
    assert waited == [False] * READ_AHEAD + [True, True]
    for _ in range(2):  # two blocks consumed repay the two reads owed
        metered.consumed()
    started = time.perf_counter()
    metered.readinto(buffer)
    assert time.perf_counter() - started >= 0.01  # still READ_AHEAD reads ahead: it waits
    metered.consumed()  # repays that read
    metered.consumed()  # frees one credit
    started = time.perf_counter()
    metered.readinto(buffer)
    assert time.perf_counter() - started < 0.01

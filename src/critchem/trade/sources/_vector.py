"""Vectorised validation and conversion of string columns (Arrow compute and NumPy).

Most columns of a trade file have few distinct values in a block (reporters, partners,
periods, flows, even products). ``Encoded`` dictionary-encodes such a column once; a test or
a conversion then runs on the distinct values only and is spread back to the rows with NumPy
indexing. ``Checks`` remembers which rows failed which test and builds the rejection reasons
only for the failing rows. No step loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from critchem.trade.schema import FLOW_SCHEMA
from critchem.trade.sources._reader import Block
from critchem.trade.sources.base import REJECT_SCHEMA

NUMBER_RE = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
"""A decimal number as providers write them (no thousands separators, no NaN/inf)."""

MAX_AMOUNT = 1e15
"""The largest value, mass or quantity a trade row may carry (EUR, USD, kg or units).

World merchandise trade is of the order of 2e13 USD a year: a larger figure in one row is a
typing or unit error (or ``1e400`` read as infinity), and is quarantined, not stored.
"""
NOT_A_NUMBER = "is not a number (finite, at most 1e15)"
"""The quarantine reason of a numeric cell that is not a usable number."""

_EPOCH = date(1970, 1, 1)


def as_mask(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow array as a NumPy mask (null counts as False)."""
    filled = pc.fill_null(array, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def constant(value: Any, type: pa.DataType, length: int) -> pa.Array:
    """A column repeating ``value`` (a zero-copy slice of a cached column)."""
    if value is None:
        return pa.nulls(length, type)
    return _constant(value, type, length).slice(0, length)


def _constant(value: Any, type: pa.DataType, length: int) -> pa.Array:
    key = (value, type)
    cached = _CONSTANTS.get(key)
    if cached is not None and len(cached) >= length:
        return cached
    size = max(length, 1 << 16)
    if pa.types.is_string(type):
        data = str(value).encode()
        offsets = np.arange(size + 1, dtype=np.int32) * len(data)
        built = pa.StringArray.from_buffers(size, pa.py_buffer(offsets), pa.py_buffer(data * size))
    elif pa.types.is_date32(type):
        days = np.full(size, (value - _EPOCH).days, np.int32)
        built = pa.Array.from_buffers(type, size, [None, pa.py_buffer(days)])
    elif pa.types.is_boolean(type):
        built = pa.array(np.full(size, bool(value)))
    else:
        built = pa.array(np.full(size, value, dtype=type.to_pandas_dtype()))
    if len(_CONSTANTS) > 256:
        _CONSTANTS.clear()
    _CONSTANTS[key] = built
    return built


_CONSTANTS: dict[tuple[Any, pa.DataType], pa.Array] = {}


@dataclass(frozen=True, slots=True)
class Encoded:
    """A string column as its distinct values (``entries``) and one index per row."""

    values: pa.Array
    entries: list[str]
    indices: np.ndarray

    @classmethod
    def of(cls, values: pa.Array) -> Encoded:
        """Dictionary-encode ``values`` (a string column without nulls).

        Codes of one or two bytes (flows, procedures, alpha-2 countries) take a NumPy path
        over the raw bytes; other columns are hashed by Arrow.

        >>> Encoded.of(pa.array(["DE", "FR", "DE"])).entries
        ['DE', 'FR']
        """
        fast = _narrow_codes(values) if values.null_count == 0 else None
        if fast is not None:
            return cls(values, *fast)
        if _constant_column(values):
            return cls(values, [values[0].as_py()], np.zeros(len(values), dtype=np.int32))
        encoded = pc.dictionary_encode(values)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        return cls(values, encoded.dictionary.to_pylist(), indices)

    def rows(self, flags: Sequence[bool] | np.ndarray) -> np.ndarray:
        """Spread one boolean per entry to one per row."""
        per_entry = np.asarray(flags, dtype=bool)
        if not per_entry.any():
            return np.zeros(len(self.indices), dtype=bool)
        if per_entry.all():
            return np.ones(len(self.indices), dtype=bool)
        spread: np.ndarray = per_entry[self.indices]
        return spread

    def spread(self, outputs: Sequence[Any], type: pa.DataType) -> pa.Array:
        """Spread one output per entry (``None`` for null) to a column of ``type``."""
        if len(outputs) == 1:
            return constant(outputs[0], type, len(self.values))
        if pa.types.is_string(type) and outputs == self.entries:
            return self.values
        return pc.take(pa.array(outputs, type), pa.array(self.indices))

    def convert(
        self, function: Callable[[str], Any], type: pa.DataType
    ) -> tuple[pa.Array, np.ndarray]:
        """Apply ``function`` to each entry; the column and the bad rows.

        An entry is invalid when ``function`` raises ``ValueError`` or ``KeyError``.
        """
        outputs: list[Any] = []
        invalid: list[bool] = []
        for entry in self.entries:
            try:
                outputs.append(function(entry))
                invalid.append(False)
            except (ValueError, KeyError):
                outputs.append(None)
                invalid.append(True)
        return self.spread(outputs, type), self.rows(invalid)


_NARROW: dict[int, np.dtype[Any]] = {1: np.dtype("u1"), 2: np.dtype("<u2")}


def _constant_column(values: pa.Array) -> bool:
    """Whether a column without nulls holds one value (probing three rows before scanning)."""
    n = len(values)
    if n == 0 or values.null_count:
        return False
    first = values[0]
    if values[n - 1] != first or values[n // 2] != first:
        return False
    return bool(pc.all(pc.equal(values, first)).as_py())


def _narrow_codes(values: pa.Array) -> tuple[list[str], np.ndarray] | None:
    """Distinct values and indices of a string column whose values all have 1 or 2 bytes.

    The string data of such a column is one fixed-width integer per row: a lookup table over
    the 256 or 65,536 possible codes replaces hashing.
    """
    n = len(values)
    if n == 0 or not pa.types.is_string(values.type):
        return None
    _, offsets_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, n + 1, values.offset * 4)
    width = int(offsets[1] - offsets[0])
    if width not in _NARROW or int(offsets[-1] - offsets[0]) != n * width:
        return None
    if not np.array_equal(np.diff(offsets), np.full(n, width, np.int32)):
        return None
    codes = np.frombuffer(data_buffer, _NARROW[width], n, int(offsets[0]))
    present = np.zeros(1 << (8 * width), dtype=bool)
    present[codes] = True
    found = np.flatnonzero(present)
    position = np.zeros(len(present), dtype=np.int32)
    position[found] = np.arange(len(found), dtype=np.int32)
    entries = [int(code).to_bytes(width, "little").decode("utf-8", "replace") for code in found]
    return entries, position[codes]


@dataclass(slots=True)
class _Check:
    failed: np.ndarray
    column: str
    values: pa.Array
    message: str


class Checks:
    """The failed tests of one block, row by row.

    ``add`` records a test (a mask of failing rows, the column tested, the message); ``bad``
    says which rows failed any test; ``reasons`` writes one message per failing row, e.g.
    ``PARTNER 'XX' is not a known partner code; VALUE_EUR 'abc' is not a number``.
    """

    def __init__(self, num_rows: int) -> None:
        self._num_rows = num_rows
        self._checks: list[_Check] = []

    def add(self, failed: np.ndarray, column: str, values: pa.Array, message: str) -> None:
        """Record that the rows where ``failed`` is true fail ``message`` on ``column``."""
        if failed.any():
            self._checks.append(_Check(failed, column, values, message))

    def bad(self) -> np.ndarray:
        """The mask of the rows that failed at least one test."""
        out = np.zeros(self._num_rows, dtype=bool)
        for check in self._checks:
            out |= check.failed
        return out

    def reasons(self, positions: np.ndarray) -> pa.Array:
        """The reason strings of the rows at ``positions`` (all of which failed a test)."""
        index = pa.array(positions, pa.int64())
        parts = []
        for check in self._checks:
            failed = pa.array(check.failed[positions])
            values = pc.take(check.values, index).cast(pa.string())
            text = pc.binary_join_element_wise(
                f"{check.column} '", pc.fill_null(values, ""), f"' {check.message}", ""
            )
            parts.append(pc.if_else(failed, text, pa.scalar(None, pa.string())))
        return pc.binary_join_element_wise(*parts, "; ", null_handling="skip")


def rejected_rows(block: Block, checks: Checks, bad: np.ndarray, delimiter: str) -> pa.RecordBatch:
    """The rejected rows of a block: malformed rows plus the rows that failed a check."""
    if not bad.any():
        return block.malformed
    positions = np.flatnonzero(bad)
    index = pa.array(positions, pa.int64())
    fields = [pc.take(column, index) for column in block.rows.columns]
    raw = pc.binary_join_element_wise(*fields, delimiter)
    failed = pa.RecordBatch.from_arrays(
        [pa.array(block.lines(positions), pa.int64()), raw, checks.reasons(positions)],
        schema=REJECT_SCHEMA,
    )
    if not block.malformed.num_rows:
        return failed
    both = pa.Table.from_batches([block.malformed, failed]).sort_by("row_number")
    return both.combine_chunks().to_batches()[0]


def to_number(
    values: pa.Array, *, null_tokens: Sequence[str] = ("",), scale: float = 1.0
) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Convert strings to float64 (times ``scale``): numbers, non-numbers, negatives.

    Empty strings (and ``null_tokens``) become null, never 0. NaN and infinities are not
    numbers, nor is anything above ``MAX_AMOUNT`` once scaled (``1e400`` overflows to
    infinity). The fast path casts the whole column and checks it with one reduction; only
    a column with a problem is looked at value by value (still vectorised).
    """
    no_rows = np.zeros(len(values), dtype=bool)
    try:
        numbers = pc.cast(values, pa.float64())
        smallest, largest = (v.as_py() for v in pc.min_max(numbers).values())
        total = pc.sum(numbers).as_py()  # NaN, which min_max may skip, makes it NaN
        if smallest is None or (
            smallest >= 0 and largest * scale <= MAX_AMOUNT and np.isfinite(total)
        ):
            return _scaled(numbers, scale), no_rows, no_rows
    except pa.ArrowInvalid:
        pass
    trimmed = pc.utf8_trim_whitespace(values)
    missing = as_mask(pc.is_in(trimmed, value_set=pa.array(list(null_tokens), pa.string())))
    looks_numeric = as_mask(pc.match_substring_regex(trimmed, NUMBER_RE))
    clean = pc.if_else(pa.array(looks_numeric), trimmed, pa.scalar(None, pa.string()))
    numbers = _scaled(pc.cast(clean, pa.float64()), scale)
    usable = as_mask(pc.less_equal(pc.abs(numbers), MAX_AMOUNT))  # NaN, inf and absurd: False
    bad = ~missing & ~(looks_numeric & usable)
    numbers = pc.if_else(pa.array(bad), pa.scalar(None, pa.float64()), numbers)
    return numbers, bad, as_mask(pc.less(numbers, 0.0))


def _scaled(numbers: pa.Array, scale: float) -> pa.Array:
    return numbers if scale == 1.0 else pc.multiply(numbers, scale)


def flows_batch(columns: dict[str, pa.Array], keep: np.ndarray | None) -> pa.RecordBatch:
    """Assemble canonical flows from ``columns`` (all of ``FLOW_SCHEMA``), keeping ``keep`` rows."""
    arrays = []
    for field in FLOW_SCHEMA:
        array = columns[field.name]
        if array.type != field.type:
            array = pc.cast(array, field.type)
        arrays.append(array)
    batch = pa.RecordBatch.from_arrays(arrays, schema=FLOW_SCHEMA)
    if keep is not None and not keep.all():
        batch = batch.filter(pa.array(keep))
    return batch

"""The trade-source plug-in protocol: recognise a file by its header, parse it in batches.

A source turns one provider's file into batches of canonical flows (``FLOW_SCHEMA``) and a
stream of rejected rows. Every row of the file ends up in exactly one of the two, so that a
load can reconcile ``rows_read == rows_stored + rows_quarantined``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyarrow as pa

from critchem.trade.schema import FLOW_SCHEMA

REJECT_SCHEMA = pa.schema(
    [
        # row_number: 1-based line of the file (the header is line 1, the first data row line 2).
        pa.field("row_number", pa.int64(), nullable=False),
        # raw: the fields of the row joined by the file's delimiter, as read.
        pa.field("raw", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
    ]
)
"""The columns of a rejected (quarantined) row."""


def empty_flows() -> pa.RecordBatch:
    """A batch of canonical flows with no rows."""
    return _empty(FLOW_SCHEMA)


def empty_rejected() -> pa.RecordBatch:
    """A batch of rejected rows with no rows."""
    return _empty(REJECT_SCHEMA)


def _empty(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [pa.array([], type=field.type) for field in schema], schema=schema
    )


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """One step of a parse: the flows made so far, the rows rejected, the rows consumed.

    ``rows_read`` counts the file's data rows consumed by this step and ``rows_stored`` the
    rows of the file that the ``flows`` of this step represent. They differ from
    ``flows.num_rows`` only for sources that merge rows (SDMX-CSV writes one row per
    indicator, merged into one flow).
    """

    flows: pa.RecordBatch
    rejected: pa.RecordBatch
    rows_read: int
    rows_stored: int
    progress: float = 0.0
    """Fraction of the input consumed, from 0 to 1 (for progress bars)."""


class TradeSource(ABC):
    """A provider's file layout: recognise it (``sniff``) and parse it (``parse``).

    Subclasses set ``name`` (the registry key), ``version`` (bumped whenever the parser's
    output changes, recorded with every load) and ``description``; configuration goes into a
    keyword-only ``__init__``.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def sniff(self, header: str) -> bool:
        """Whether ``header`` (the first line of a file, without the line break) is this layout."""

    @abstractmethod
    def parse(self, path: Path) -> Iterator[ParsedBatch]:
        """Stream the file as batches of flows in ``FLOW_SCHEMA`` and rejected rows.

        Raises
        ------
        TradeFormatError
            When the file as a whole is not in this layout (wrong header, unreadable archive).
            A bad row never raises: it goes to ``ParsedBatch.rejected``.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} v{self.version}>"

"""Chain-of-custody records: batch transfers, their claims, traced back through suppliers."""

from __future__ import annotations

from critchem.carbon.custody.book import AddReport, CustodyBook, RowError, Viewer
from critchem.carbon.custody.schemas import Certificate, InputIn, RecordIn, RecordOut
from critchem.carbon.custody.trace import Trace

__all__ = [
    "AddReport",
    "Certificate",
    "CustodyBook",
    "InputIn",
    "RecordIn",
    "RecordOut",
    "RowError",
    "Trace",
    "Viewer",
]

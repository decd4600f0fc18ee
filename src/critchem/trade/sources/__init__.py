"""Trade sources: one parser per provider, all emitting the canonical ``FLOW_SCHEMA``.

The registry is ``SOURCES`` (:class:`critchem.core.registry.Registry`), filled by
``register``; the built-in sources are registered on first use. ``detect_source`` picks a
source by the header line of a file.
"""

from critchem.trade.sources.base import REJECT_SCHEMA, ParsedBatch, TradeSource
from critchem.trade.sources.registry import (
    SOURCES,
    detect_source,
    get_source,
    register,
    sources,
)

__all__ = [
    "REJECT_SCHEMA",
    "SOURCES",
    "ParsedBatch",
    "TradeSource",
    "detect_source",
    "get_source",
    "register",
    "sources",
]

"""The registry of trade sources: a dict filled by ``register``, looked up by name or header."""

from __future__ import annotations

from pathlib import Path

from critchem.core.errors import TradeFormatError
from critchem.core.registry import Registry
from critchem.trade.sources._archive import read_header
from critchem.trade.sources.base import TradeSource


def _builtins() -> tuple[TradeSource, ...]:
    from critchem.trade.sources.baci import Baci
    from critchem.trade.sources.canonical import Canonical
    from critchem.trade.sources.comext_bulk import ComextBulk
    from critchem.trade.sources.comext_extract import ComextExtract
    from critchem.trade.sources.comext_sdmx import ComextSdmx
    from critchem.trade.sources.comtrade import Comtrade
    from critchem.trade.sources.surveillance import Surveillance

    return (
        ComextBulk(),
        ComextSdmx(),
        ComextExtract(),
        Baci(),
        Comtrade(),
        Surveillance(),
        Canonical(),
    )


SOURCES: Registry[TradeSource] = Registry("trade source", builtins=_builtins)
"""The trade sources by name (the built-in ones registered on first use)."""


def register(source: TradeSource, *, replace: bool = False) -> TradeSource:
    """Add ``source`` to the registry under ``source.name``.

    Raises
    ------
    ValueError
        When another source already has that name and ``replace`` is false.
    """
    return SOURCES.register(source, replace=replace)


def sources() -> dict[str, TradeSource]:
    """The registered sources by name (the built-in ones included)."""
    return dict(SOURCES)


def get_source(name: str) -> TradeSource:
    """The registered source called ``name``.

    Raises
    ------
    NotFoundError
        When no source has that name (``suggestions`` lists the registered names).
    """
    return SOURCES.lookup(name)


def detect_source(path: Path) -> TradeSource:
    """The registered source whose layout matches the header line of ``path``.

    Raises
    ------
    TradeFormatError
        When no registered layout (or more than one) matches the header.
    """
    header = read_header(path)
    matches = [source for source in sources().values() if source.sniff(header)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        shown = header if len(header) <= 120 else header[:117] + "..."
        raise TradeFormatError(
            f"{path}: line 1 (header) matches no known trade layout ({shown!r}); known sources:"
            f" {', '.join(sorted(sources()))}"
        )
    names = ", ".join(source.name for source in matches)
    raise TradeFormatError(f"{path}: line 1 (header) matches several layouts: {names}")

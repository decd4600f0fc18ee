"""The registry of trade sources: a dict filled by ``register``, looked up by name or header."""

from __future__ import annotations

from pathlib import Path

from critchem.exceptions import NotFoundError, TradeFormatError
from critchem.trade.sources._archive import read_header
from critchem.trade.sources.base import TradeSource

_REGISTRY: dict[str, TradeSource] = {}
_BUILTINS_REGISTERED: list[bool] = []


def register(source: TradeSource, *, replace: bool = False) -> TradeSource:
    """Add ``source`` to the registry under ``source.name``.

    Raises
    ------
    ValueError
        When another source already has that name and ``replace`` is false.
    """
    if source.name in _REGISTRY and not replace:
        raise ValueError(
            f"a trade source named {source.name!r} is already registered"
            " (pass replace=True to replace it)"
        )
    _REGISTRY[source.name] = source
    return source


def _builtins() -> None:
    """Register the sources shipped with critchem (once, on first use of the registry)."""
    if _BUILTINS_REGISTERED:
        return
    from critchem.trade.sources.baci import Baci
    from critchem.trade.sources.canonical import Canonical
    from critchem.trade.sources.comext_bulk import ComextBulk
    from critchem.trade.sources.comext_sdmx import ComextSdmx
    from critchem.trade.sources.comtrade import Comtrade
    from critchem.trade.sources.surveillance import Surveillance

    for source in (ComextBulk(), ComextSdmx(), Baci(), Comtrade(), Surveillance(), Canonical()):
        _REGISTRY.setdefault(source.name, source)
    _BUILTINS_REGISTERED.append(True)


def sources() -> dict[str, TradeSource]:
    """The registered sources by name (the built-in ones included)."""
    _builtins()
    return dict(_REGISTRY)


def get_source(name: str) -> TradeSource:
    """The registered source called ``name``.

    Raises
    ------
    NotFoundError
        When no source has that name (``suggestions`` lists the registered names).
    """
    known = sources()
    try:
        return known[name]
    except KeyError:
        raise NotFoundError(
            f"no trade source named {name!r}; known sources: {', '.join(sorted(known))}",
            suggestions=sorted(known),
        ) from None


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

"""critchem: criteria, trade monitoring and investment coordination for critical chemicals.

The curated Python API (see ``docs/user-guide/notebooks.md``)::

    import critchem

    store = critchem.open_store()
    critchem.series("ethylene", freq="A", store=store).to_pandas()
    critchem.series("ethylene", partner="US", flow="import", store=store).to_polars()
    critchem.indicators(year=2024, store=store)
    critchem.alerts(severity="red")
    critchem.assess("cca")
    critchem.evidence_table("ammonia", year=2024, store=store)

Each returns a :class:`critchem.Table` (Arrow, with ``.to_pandas()`` and ``.to_polars()``).
The names load on first use: ``import critchem`` imports nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from critchem.toolkit import (
        Store,
        Table,
        alerts,
        assess,
        evidence_table,
        indicators,
        open_store,
        series,
    )

__all__ = [
    "Store",
    "Table",
    "alerts",
    "assess",
    "evidence_table",
    "indicators",
    "open_store",
    "series",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from critchem import toolkit

        return getattr(toolkit, name)
    raise AttributeError(f"module 'critchem' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

"""Which sources each alert of a monitor run stems from: its series' own rows, not the run's.

A monitor run may read loads of several sources at once (say a real Comext extract and the
seeded synthetic generator). Each alert is labelled by the sources of the rows behind its
series: the rows of its product and partner (for an alert on the product's whole supply,
every row of the product). An alert whose series mix a synthetic source with a real one is
synthetic; one whose rows are all real is real, whatever else the run read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from critchem.surveillance.alerts.fusion import AlertDraft

ALL = "*"
"""The partner of an alert on a product's whole supply."""


def series_sources(table: pa.Table) -> dict[tuple[str, str], frozenset[str]]:
    """The sources of the rows of ``table`` per ``(product, partner)`` and per ``(product, "*")``.

    >>> t = pa.table({"product": ["1", "1", "2"], "partner": ["CN", "US", "CN"],
    ...               "source": ["comext_bulk", "synthetic", "comext_bulk"]})
    >>> s = series_sources(t)
    >>> sorted(s[("1", "CN")]), sorted(s[("1", "*")]), sorted(s[("2", "*")])
    (['comext_bulk'], ['comext_bulk', 'synthetic'], ['comext_bulk'])
    """
    grouped = table.select(["product", "partner", "source"]).group_by(
        ["product", "partner", "source"]
    )
    distinct = grouped.aggregate([]).to_pylist()
    out: dict[tuple[str, str], set[str]] = {}
    for row in distinct:
        product, partner, source = str(row["product"]), str(row["partner"]), str(row["source"])
        out.setdefault((product, partner), set()).add(source)
        out.setdefault((product, ALL), set()).add(source)
    return {k: frozenset(v) for k, v in out.items()}


def provenance_by_series(
    table: pa.Table, load_sources: dict[str, str], new_loads: list[str]
) -> Callable[[AlertDraft], dict[str, Any]]:
    """Each draft's provenance: the sources of its series and the new loads of those sources.

    ``load_sources`` maps load ids to their source (the store's catalogue). A draft whose
    product is not in ``table`` gets every source of the run (never fewer than it read).
    """
    by_series = series_sources(table)
    every = frozenset(s for v in by_series.values() for s in v)

    def of(draft: AlertDraft) -> dict[str, Any]:
        subject = draft.subject
        product = subject.product or ""
        found = by_series.get((product, subject.partner)) or by_series.get((product, ALL))
        sources = found or every
        return {
            "sources": sorted(sources),
            "loads": [load for load in new_loads if load_sources.get(load) in sources],
            "run_sources": sorted(every),
        }

    return of

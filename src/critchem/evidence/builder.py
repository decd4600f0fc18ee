"""Building the evidence of every registry molecule for one year from the families.

Every indicator the ``cca`` methodology needs gets a row for every molecule: a family's value,
or ``missing`` with the reason (no family computes it yet, or the family could not). Families
that fail are reported as missing with their error, and the rest of the build is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from critchem.core.errors import CritchemError, NotFoundError
from critchem.core.settings import Settings
from critchem.evidence.base import (
    EvidenceContext,
    EvidenceValue,
    load_families,
    missing,
)
from critchem.evidence.store_reader import check_backend
from critchem.evidence.table import EvidenceTable, new_build_id

NOT_FROM_DATA = "strategic_sectors"
"""Indicators the methodology takes from the registry itself, not from evidence."""


def methodology_indicators(methodology: str = "cca") -> list[str]:
    """The indicators ``methodology`` declares (the evidence it needs)."""
    from critchem.criticality import get_methodology

    return [i for i in get_methodology(methodology).spec.indicators if i != NOT_FROM_DATA]


def build_evidence(
    settings: Settings,
    *,
    year: int,
    source: str | None = None,
    store_root: Path | None = None,
    molecules: Sequence[str] | None = None,
    families: Sequence[str] | None = None,
    backend: str = "duckdb",
    spark_master: str | None = None,
) -> EvidenceTable:
    """Compute the evidence of ``molecules`` (default: the whole registry) in ``year``.

    The trade families read the store on ``backend``: ``duckdb``, or ``pyspark`` at
    ``spark_master`` (``local[N]``, default ``local[2]``, or ``spark://host:port``). A backend
    that cannot start fails the build at once, before any family runs.
    """
    context = EvidenceContext(
        settings=settings,
        store_root=store_root,
        source=source,
        backend=backend,
        spark_master=spark_master,
    )
    if check_backend(backend, spark_master) == "pyspark":
        from critchem.trade.indicators.backends import spark_session

        # no Java or no PySpark is said once here, not as a failure of every trade family
        spark_session(master=spark_master or "local[2]")
    wanted = list(molecules) if molecules is not None else [m.id for m in context.registry]
    unknown = [m for m in wanted if m not in context.registry]
    if unknown:
        raise NotFoundError(f"Not registry molecule ids: {', '.join(unknown)}")
    registered = load_families()
    names = list(families) if families is not None else sorted(registered)
    absent = [n for n in names if n not in registered]
    if absent:
        raise NotFoundError(
            f"Unknown indicator families: {', '.join(absent)}", suggestions=sorted(registered)
        )
    values: dict[tuple[str, str], EvidenceValue] = {}
    provided: list[str] = []
    for name in names:
        family = registered[name]()
        provided.extend(family.indicators)
        try:
            computed = family.compute(context, wanted, year)
        except CritchemError as exc:
            reason = f"family {name} failed: {exc}"
            computed = [missing(m, i, year, reason) for m in wanted for i in family.indicators]
        for value in computed:
            values[(value.molecule, value.indicator)] = value
        for m in wanted:
            for i in family.indicators:
                if (m, i) not in values:
                    values[(m, i)] = missing(m, i, year, f"family {name} returned no value")
    for indicator in methodology_indicators():
        if indicator in provided:
            continue
        reason = "not computed from data yet: no indicator family provides it"
        for m in wanted:
            values[(m, indicator)] = missing(m, indicator, year, reason)
    order = {m: i for i, m in enumerate(wanted)}
    rows = sorted(values.values(), key=lambda v: (order[v.molecule], v.indicator))
    now = datetime.now(UTC)
    return EvidenceTable(
        build_id=new_build_id(now),
        year=year,
        built_at=now.isoformat(timespec="seconds"),
        values=tuple(rows),
        options={
            "source": source,
            "families": names,
            "molecules": len(wanted),
            **({"backend": backend} if backend != "duckdb" else {}),
        },
    )

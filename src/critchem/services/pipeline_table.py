"""The pipeline's money as a two-way table (country x molecule) under disclosure control.

Each interior cell sums the capex (or funding gap) of the projects of one country making one
molecule, a project's money split across its molecules in proportion to their capacities
(t/year), as in :func:`~critchem.services.project_views.pipeline_aggregates`. The row totals
are then the aggregates per country, the column totals those per molecule, and the grand
total the pipeline's. A reader who knows margins can derive a cell from the others of its row
or column, so the table goes through
:func:`~critchem.accounts.table_protection.protect_table` (primary rules, the change since
the previous release, and secondary suppression checked by the attacker's linear
programme). The same margins are published one-dimensionally (per country, per molecule), so
a margin withheld there is withheld here as well, and the other way round
(:func:`withheld_margins`): hiding more never helps the attacker.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from itertools import product

from pydantic import BaseModel, ConfigDict, Field

from critchem.accounts.disclosure_control import Cell
from critchem.accounts.roles import Principal, at_least
from critchem.accounts.table_protection import TOTAL, Contributions, Key, protect_table
from critchem.investment.pipeline import PipelineLocation
from critchem.investment.projects import Project
from critchem.services.investment import list_projects, released_projects
from critchem.services.project_views import (
    FINANCIAL_FIELDS,
    PipelineAggregateOut,
    may_see_financials,
    pipeline_aggregates,
)


class TableCellOut(BaseModel):
    """One cell of the table, a row total, a column total or the grand total."""

    model_config = ConfigDict(frozen=True)

    country: str = Field(description=f"ISO2 code, or {TOTAL!r} for a column total.")
    molecule: str = Field(description=f"Molecule id, or {TOTAL!r} for a row total.")
    projects: int
    companies: int
    capex_meur: float | None = Field(description="Million euros; null when withheld.")
    funding_gap_meur: float | None = Field(description="Million euros; null when withheld.")
    withheld: bool = Field(description="Whether the money figures are withheld.")
    reason: str | None = Field(
        default=None, description="Why the money figures are withheld (disclosure rule)."
    )


class PipelineTableOut(BaseModel):
    """Capex and funding gap by country and molecule, with margins, under disclosure control."""

    model_config = ConfigDict(frozen=True)

    rows: list[str] = Field(description="Countries (ISO2), then the total row.")
    columns: list[str] = Field(description="Molecules, then the total column.")
    cells: list[TableCellOut]
    as_of: datetime | None = Field(
        default=None, description="The release the figures are of; null: the live pipeline."
    )


def _cells(projects: Iterable[Project]) -> dict[Key, list[tuple[Project, float]]]:
    cells: dict[Key, list[tuple[Project, float]]] = {}
    for project in projects:
        total = sum(m.capacity_t_per_year for m in project.molecules)
        for m in project.molecules:
            share = m.capacity_t_per_year / total
            cells.setdefault((project.country, m.molecule), []).append((project, share))
    return cells


def _money(cells: dict[Key, list[tuple[Project, float]]], field: str) -> dict[Key, Contributions]:
    return {
        key: [(p.owner_org.casefold(), float(getattr(p, field)) * share) for p, share in rows]
        for key, rows in cells.items()
    }


Frozen = tuple[tuple[Key, tuple[tuple[str, float], ...]], ...]


def _frozen(table: dict[Key, Contributions]) -> Frozen:
    return tuple(sorted((key, tuple(items)) for key, items in table.items()))


@lru_cache(maxsize=64)
def _protected(cells: Frozen, public: frozenset[Key], previous: Frozen | None) -> dict[Key, Cell]:
    """:func:`protect_table`, remembered for the next reader of the same release.

    The protected table depends only on the release and on which cells the reader may see
    whole, and its audit (linear programmes) takes about a second.
    """
    return protect_table(
        {key: list(items) for key, items in cells},
        public=public,
        previous={key: list(items) for key, items in previous} if previous is not None else None,
    )


def withheld_margins(
    by_country: Iterable[PipelineAggregateOut], by_molecule: Iterable[PipelineAggregateOut]
) -> dict[Key, str]:
    """The margins the one-dimensional aggregates withhold, as keys of the two-way table."""
    out: dict[Key, str] = {}
    for a in by_country:
        if a.suppressed:
            out[(a.group, TOTAL)] = a.reason or "withheld"
    for a in by_molecule:
        if a.suppressed:
            out[(TOTAL, a.group)] = a.reason or "withheld"
    return out


def pipeline_table(
    projects: Iterable[Project],
    principal: Principal,
    *,
    previous: Iterable[Project] | None = None,
    as_of: datetime | None = None,
) -> PipelineTableOut:
    """Capex and funding gap of ``projects`` by country x molecule, protected for ``principal``.

    A cell whose every contribution the principal may see is public. A cell is withheld when
    its capex or its funding-gap table withholds it, or (a margin) when the per-country or
    per-molecule aggregates do.
    """
    projects = list(projects)
    previous = list(previous) if previous is not None else None
    cells = _cells(projects)
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    # an empty cell is public (0, no company); a cell is public when every contribution is
    public = [
        (r, c)
        for r, c in product(rows, cols)
        if all(may_see_financials(p, principal) for p, _ in cells.get((r, c), []))
    ]
    before = _cells(previous) if previous is not None else None
    tables = {
        field: _protected(
            _frozen(_money(cells, field)),
            frozenset(public),
            _frozen(_money(before, field)) if before is not None else None,
        )
        for field in FINANCIAL_FIELDS
    }
    forced = withheld_margins(
        pipeline_aggregates(projects, principal, by="country", previous=previous),
        pipeline_aggregates(projects, principal, by="molecule", previous=previous),
    )
    out = []
    for r in [*rows, TOTAL]:
        for c in [*cols, TOTAL]:
            capex, gap = tables["capex_meur"][(r, c)], tables["funding_gap_meur"][(r, c)]
            reason = capex.reason or gap.reason or forced.get((r, c))
            withheld = reason is not None
            members = [
                p
                for (i, j), items in cells.items()
                if (r in (i, TOTAL)) and (c in (j, TOTAL))
                for p, _ in items
            ]
            out.append(
                TableCellOut(
                    country=r,
                    molecule=c,
                    projects=len({p.id for p in members}),
                    companies=len({p.owner_org.casefold() for p in members}),
                    capex_meur=None if withheld else capex.value,
                    funding_gap_meur=None if withheld else gap.value,
                    withheld=withheld,
                    reason=reason,
                )
            )
    return PipelineTableOut(rows=[*rows, TOTAL], columns=[*cols, TOTAL], cells=out, as_of=as_of)


def released_table(
    principal: Principal, *, pipeline: PipelineLocation | None = None
) -> PipelineTableOut:
    """The table as of the last release (the live pipeline for the secretariat).

    Published aggregates change only at release points, so one submission cannot be read
    from a difference between two readings of the table.
    """
    released, previous, released_at = released_projects(pipeline=pipeline)
    if at_least(principal.role, "secretariat"):
        released, previous, released_at = list_projects(pipeline=pipeline), None, None
    return pipeline_table(released, principal, previous=previous, as_of=released_at)


def with_table_margins(
    aggregates: Iterable[PipelineAggregateOut], table: PipelineTableOut
) -> list[PipelineAggregateOut]:
    """The one-dimensional aggregates with every margin the two-way table withholds withheld.

    Published beside the table, the aggregates per country are its row totals and those per
    molecule its column totals; each must hide what the other hides.
    """
    withheld = {(c.country, c.molecule): c.reason for c in table.cells if c.withheld}
    out = []
    for a in aggregates:
        key = (a.group, TOTAL) if a.by == "country" else (TOTAL, a.group)
        if a.suppressed or key not in withheld:
            out.append(a)
            continue
        update = {"capex_meur": None, "funding_gap_meur": None, "suppressed": True}
        out.append(a.model_copy(update={**update, "reason": withheld[key]}))
    return out

"""Projects as a principal may see them: financials only for the promoters and the secretariat.

A project's financial fields (``capex_meur``, ``funding_gap_meur``) are company-confidential:
they are shown when ``visible(org, principal)`` for the project's owner organisation or one of
its promoters, and are ``None`` otherwise (``financials_visible: false``). Everything else
(title, site, molecules and capacities, status, TRL, labels, GHG avoided) is public.

Aggregates of the pipeline (per country or per molecule) count projects and capacities
openly, and sum capex and funding gaps only when at least ``MIN_COMPANIES`` distinct owner
organisations contribute, or when the principal may see every contribution.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from critchem.accounts.disclosure import MIN_COMPANIES, suppress_small_aggregates, visible
from critchem.accounts.roles import Principal
from critchem.investment.eligibility import InstrumentVerdict, eligible_instruments
from critchem.investment.instruments import load_catalogue
from critchem.investment.projects import MoleculeCapacity, Project, Promoter, Status

FINANCIAL_FIELDS: tuple[str, ...] = ("capex_meur", "funding_gap_meur")
"""The confidential fields of a project."""


class ProjectOut(BaseModel):
    """A project of the pipeline; financial fields are null when the principal may not see them."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    promoters: tuple[Promoter, ...]
    country: str
    nuts2: str
    site: str
    molecules: tuple[MoleculeCapacity, ...]
    status: Status
    start_year: int
    capex_meur: float | None = Field(description="Million euros; null when confidential.")
    funding_gap_meur: float | None = Field(description="Million euros; null when confidential.")
    trl: int
    ghg_avoided_10y_tco2e: float
    labels: tuple[str, ...]
    owner_org: str
    financials_visible: bool


def may_see_financials(project: Project, principal: Principal) -> bool:
    """Whether ``principal`` may see the project's financials (owner, a promoter, secretariat).

    >>> from critchem.investment.pipeline import row_to_project
    >>> p = row_to_project({"id": "X", "title": "EXAMPLE plant", "promoters": "Acme (DE)",
    ...     "country": "DE", "nuts2": "DEA1", "site": "s", "molecules": "ammonia=1",
    ...     "status": "idea", "start_year": "2030", "capex_meur": "10",
    ...     "funding_gap_meur": "1", "trl": "5", "ghg_avoided_10y_tco2e": "0",
    ...     "labels": "", "owner_org": "Acme"})
    >>> may_see_financials(p, Principal("ann", "member", "acme"))
    True
    >>> may_see_financials(p, Principal("bob", "analyst", "Other"))
    False
    """
    orgs = {project.owner_org, *(p.name for p in project.promoters)}
    return any(visible(org, principal) for org in orgs)


def project_out(project: Project, principal: Principal) -> ProjectOut:
    """``project`` as ``principal`` may see it (financials hidden unless ``may_see_financials``)."""
    shown = may_see_financials(project, principal)
    data = project.model_dump()
    if not shown:
        for name in FINANCIAL_FIELDS:
            data[name] = None
    return ProjectOut(**data, financials_visible=shown)


def matches(
    project: Project, country: str | None, molecule: str | None, status: str | None
) -> bool:
    """Whether ``project`` passes every given filter (ISO2 country, molecule id, status)."""
    return (
        (country is None or project.country == country.upper())
        and (molecule is None or any(m.molecule == molecule for m in project.molecules))
        and (status is None or project.status == status)
    )


def funding_verdicts(project: Project, principal: Principal) -> list[InstrumentVerdict]:
    """Every instrument's verdict for ``project``; ``max_amount_meur`` null when confidential.

    The maximum amounts derive from the project's costs and funding gap, so they follow
    :func:`may_see_financials`.
    """
    verdicts = eligible_instruments(project, load_catalogue())
    if may_see_financials(project, principal):
        return verdicts
    return [v.model_copy(update={"max_amount_meur": None}) for v in verdicts]


class PipelineAggregateOut(BaseModel):
    """Projects of one country or molecule: counts and capacity open, money suppressed if small."""

    model_config = ConfigDict(frozen=True)

    by: Literal["country", "molecule"]
    group: str
    projects: int
    companies: int
    capacity_t: float | None = Field(
        description="Planned capacity in t/year (per molecule only; null per country)."
    )
    capex_meur: float | None
    funding_gap_meur: float | None
    suppressed: bool = Field(description="Whether the money figures are withheld.")


def _money(
    group: str, rows: list[tuple[Project, float]], principal: Principal
) -> tuple[float | None, float | None, bool]:
    """Capex and funding-gap sums of ``rows`` (project, share of its money), or suppression."""
    if all(may_see_financials(p, principal) for p, _ in rows):
        capex = sum(p.capex_meur * share for p, share in rows)
        gap = sum(p.funding_gap_meur * share for p, share in rows)
        return capex, gap, False
    capex_agg = suppress_small_aggregates(
        {group: [(p.owner_org.casefold(), p.capex_meur * s) for p, s in rows]}, MIN_COMPANIES
    )[group]
    gap_agg = suppress_small_aggregates(
        {group: [(p.owner_org.casefold(), p.funding_gap_meur * s) for p, s in rows]},
        MIN_COMPANIES,
    )[group]
    return capex_agg.value, gap_agg.value, capex_agg.suppressed


def pipeline_aggregates(
    projects: Iterable[Project],
    principal: Principal,
    *,
    by: Literal["country", "molecule"] = "country",
) -> list[PipelineAggregateOut]:
    """Aggregates of ``projects`` per country or per molecule, with disclosure control.

    Per molecule, a project making several molecules counts in each, and its capex and
    funding gap are split across them in proportion to their capacities (t/year), so that
    the molecule totals add up to the pipeline total.
    """
    groups: dict[str, list[tuple[Project, float]]] = {}
    capacity: dict[str, float] = {}
    for project in projects:
        if by == "country":
            groups.setdefault(project.country, []).append((project, 1.0))
            continue
        total = sum(m.capacity_t_per_year for m in project.molecules)
        for m in project.molecules:
            groups.setdefault(m.molecule, []).append((project, m.capacity_t_per_year / total))
            capacity[m.molecule] = capacity.get(m.molecule, 0.0) + m.capacity_t_per_year
    out = []
    for group in sorted(groups):
        rows = groups[group]
        capex, gap, suppressed = _money(group, rows, principal)
        out.append(
            PipelineAggregateOut(
                by=by,
                group=group,
                projects=len(rows),
                companies=len({p.owner_org.casefold() for p, _ in rows}),
                capacity_t=capacity.get(group) if by == "molecule" else None,
                capex_meur=capex,
                funding_gap_meur=gap,
                suppressed=suppressed,
            )
        )
    return out

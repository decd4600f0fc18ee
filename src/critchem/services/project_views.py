"""Projects as a principal may see them: financials only for the promoters and the secretariat.

A project's financial fields (``capex_meur``, ``funding_gap_meur``) are company-confidential:
they are shown when ``visible(org, principal)`` for the project's owner organisation or one of
its promoters, and are ``None`` otherwise (``financials_visible: false``). Everything else
(title, site, molecules and capacities, status, TRL, labels, GHG avoided) is public.

Aggregates of the pipeline (per country or per molecule) count projects and capacities
openly, and sum capex and funding gaps under statistical disclosure control (threshold,
dominance and p % rules, complementary suppression, changes only at release points: see
``critchem.accounts.disclosure_control``), unless the principal may see every contribution.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from critchem.accounts.disclosure import visible
from critchem.accounts.disclosure_control import protect
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
    source: str = "real"
    """``illustrative`` for a fictitious example project."""


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
    reason: str | None = Field(
        default=None, description="Why the money figures are withheld (disclosure rule)."
    )


def _groups(
    projects: Iterable[Project], by: Literal["country", "molecule"]
) -> tuple[dict[str, list[tuple[Project, float]]], dict[str, float]]:
    """Each group's (project, share of its money) rows, and the capacity per molecule."""
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
    return groups, capacity


def _money(
    groups: dict[str, list[tuple[Project, float]]], field: str
) -> dict[str, list[tuple[str, float]]]:
    return {
        g: [(p.owner_org.casefold(), float(getattr(p, field)) * share) for p, share in rows]
        for g, rows in groups.items()
    }


def pipeline_aggregates(
    projects: Iterable[Project],
    principal: Principal,
    *,
    by: Literal["country", "molecule"] = "country",
    previous: Iterable[Project] | None = None,
) -> list[PipelineAggregateOut]:
    """Aggregates of ``projects`` per country or per molecule, with disclosure control.

    Per molecule, a project making several molecules counts in each, and its capex and
    funding gap are split across them in proportion to their capacities (t/year), so that
    the molecule totals add up to the pipeline total. Money cells go through
    :func:`~critchem.accounts.disclosure_control.protect`: the threshold, (n, k) and p %
    rules, complementary suppression (the cells add up to the pipeline total) and, given
    ``previous`` (the projects of the previous release), the rule on the change since then.
    A cell whose every contribution the principal may see is shown as is.
    """
    groups, capacity = _groups(projects, by)
    public = [
        g for g, rows in groups.items() if all(may_see_financials(p, principal) for p, _ in rows)
    ]
    before = _groups(previous, by)[0] if previous is not None else None
    cells = {
        field: protect(
            _money(groups, field),
            public=public,
            previous=_money(before, field) if before is not None else None,
        )
        for field in FINANCIAL_FIELDS
    }
    out = []
    for group in sorted(groups):
        rows = groups[group]
        capex, gap = cells["capex_meur"][group], cells["funding_gap_meur"][group]
        suppressed = capex.suppressed or gap.suppressed
        out.append(
            PipelineAggregateOut(
                by=by,
                group=group,
                projects=len(rows),
                companies=len({p.owner_org.casefold() for p, _ in rows}),
                capacity_t=capacity.get(group) if by == "molecule" else None,
                capex_meur=None if suppressed else capex.value,
                funding_gap_meur=None if suppressed else gap.value,
                suppressed=suppressed,
                reason=capex.reason or gap.reason,
            )
        )
    return out

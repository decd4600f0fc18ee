"""The capacity-gap view: per critical molecule, EU demand against capacity, now and after projects.

Shared by the CLI, the API and the web pages. The formulas are in
:mod:`critchem.investment.gaps`. The capacities are company-confidential, so the capacity
figures (and every figure derived from them: gaps, capacity after) go through
:func:`critchem.services.production.disclosed_total`; demand, imports, the projects' capacity
and the imports they could replace are public.

``selected=None`` takes the projects that pass the two-stage selection (gate and thresholds).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from critchem.accounts.roles import Principal
from critchem.core.errors import ProjectNotFoundError
from critchem.investment import Project, select
from critchem.investment.demand import DemandFigure
from critchem.investment.gaps import (
    BALANCE_FILE,
    MarketBalance,
    capacity_after,
    capacity_gap,
    import_dependency,
    imports_replaced,
    load_market_balance,
)
from critchem.investment.selection import load_method
from critchem.investment.timeline import DEMAND_NOT_SOURCED
from critchem.molecules import load_registry
from critchem.production.capacities import capacity_sites, load_capacities
from critchem.reports.production_map import ProjectPoint, SitePoint, write_map_html
from critchem.services.production import EU_SCOPE, disclosed_total


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class MoleculeGapOut(_Public):
    """One molecule's gap; capacity figures are null when suppressed (fewer than 3 companies)."""

    molecule: str
    name: str
    year: int
    demand_t: float | None = Field(
        description="Apparent consumption P + M - X; null when demand is not sourced."
    )
    demand_basis: str = Field(
        default="illustrative",
        description="sourced (PRODCOM and Comext in the store), illustrative or not_sourced.",
    )
    demand_note: str = ""
    production_t: float | None
    imports_t: float | None = Field(description="Extra-EU imports.")
    exports_t: float | None
    capacity_now_t: float | None
    closures_t: float | None = Field(description="Capacity of announced closures (a loss).")
    added_t: float = Field(description="Capacity of the selected projects.")
    capacity_after_t: float | None
    gap_now_t: float | None = Field(description="Demand minus capacity now (positive: short).")
    gap_after_t: float | None
    imports_replaced_t: float | None = Field(description="min(added, imports).")
    dependency_now: float | None = Field(description="Imports / demand.")
    dependency_after: float | None
    companies: int
    suppressed: bool = Field(description="Whether any capacity figure is withheld.")
    withheld: list[str] = Field(description="The figures withheld (fewer than 3 companies).")


class ProjectContributionOut(_Public):
    """What one selected project adds for one molecule, on its own."""

    project_id: str
    title: str
    country: str
    molecule: str
    capacity_t: float
    imports_replaceable_t: float | None = Field(
        description="min(capacity, imports) of the molecule; null when demand is not sourced."
    )


class CapacityGapsOut(_Public):
    """The capacity-gap view of the critical molecules."""

    selection: Literal["given", "two-stage selection"]
    selected: list[str]
    illustrative: bool
    sources: list[str]
    molecules: list[MoleculeGapOut]
    projects: list[ProjectContributionOut]


DEMAND_DATASET = "Eurostat PRODCOM and Comext in the store (apparent consumption)"
_CAPACITY_FIELDS = ("capacity_now_t", "closures_t", "capacity_after_t", "gap_now_t", "gap_after_t")


def _chosen(projects: Sequence[Project], selected: Sequence[str] | None) -> list[Project]:
    if selected is None:
        ids = {r.project_id for r in select(projects) if r.selected}
        return [p for p in projects if p.id in ids]
    by_id = {p.id: p for p in projects}
    unknown = [i for i in selected if i not in by_id]
    if unknown:
        raise ProjectNotFoundError(
            f"selected project(s) {', '.join(map(repr, unknown))} are not in the pipeline"
        )
    return [by_id[i] for i in dict.fromkeys(selected)]


def capacity_gaps(
    selected: Sequence[str] | None,
    principal: Principal,
    *,
    projects: Sequence[Project],
    molecules: Sequence[str] | None = None,
    store_root: Path | None = None,
) -> CapacityGapsOut:
    """The gap of each critical molecule (default: the selection method's critical list).

    Raises
    ------
    ProjectNotFoundError
        When a ``selected`` id is not among ``projects``.
    """
    chosen = _chosen(projects, selected)
    registry = load_registry()
    critical = (
        list(molecules)
        if molecules is not None
        else [m.id for m in registry.tagged(load_method().critical_tag)]
    )
    balances = load_market_balance()
    capacities = load_capacities()
    illustrative_capacities = any(c.illustrative for c in capacities.capacities)
    out: list[MoleculeGapOut] = []
    contributions: list[ProjectContributionOut] = []
    used_balance = False
    sourced = _sourced(critical, store_root)
    for molecule in critical:
        demand = _demand(
            molecule,
            balances.get(molecule),
            illustrative_capacities,
            store_root,
            figures=sourced.get(molecule),
        )
        if demand is None:
            continue
        used_balance = used_balance or demand.basis == "illustrative"
        rows = [c for c in capacities.capacities if c.molecule == molecule]
        now = disclosed_total(EU_SCOPE, [c for c in rows if c.producing], principal)
        loss = disclosed_total(
            EU_SCOPE, [c for c in rows if c.status == "announced_closure"], principal
        )
        added = 0.0
        for project in chosen:
            for m in project.molecules:
                if m.molecule == molecule:
                    added += m.capacity_t_per_year
                    contributions.append(
                        ProjectContributionOut(
                            project_id=project.id,
                            title=project.title,
                            country=project.country,
                            molecule=molecule,
                            capacity_t=m.capacity_t_per_year,
                            imports_replaceable_t=imports_replaced(
                                m.capacity_t_per_year, demand.imports_t
                            )
                            if demand.imports_t is not None
                            else None,
                        )
                    )
        d = demand.demand_t
        replaced = (
            imports_replaced(added, demand.imports_t) if demand.imports_t is not None else None
        )
        after = (
            capacity_after(now.capacity_t, loss.capacity_t, added)
            if now.capacity_t is not None and loss.capacity_t is not None
            else None
        )
        gap = MoleculeGapOut(
            molecule=molecule,
            name=registry.get(molecule).name,
            year=demand.year,
            demand_t=d,
            demand_basis=demand.basis,
            demand_note=demand.note,
            production_t=demand.production_t,
            imports_t=demand.imports_t,
            exports_t=demand.exports_t,
            capacity_now_t=now.capacity_t,
            closures_t=loss.capacity_t,
            added_t=added,
            capacity_after_t=after,
            gap_now_t=None
            if now.capacity_t is None or d is None
            else capacity_gap(d, now.capacity_t),
            gap_after_t=None if after is None or d is None else capacity_gap(d, after),
            imports_replaced_t=replaced,
            dependency_now=None
            if d is None or demand.imports_t is None
            else import_dependency(demand.imports_t, d),
            dependency_after=None
            if d is None or demand.imports_t is None or replaced is None
            else import_dependency(demand.imports_t - replaced, d),
            companies=now.companies,
            suppressed=False,
            withheld=[],
        )
        # withheld: the capacity figures suppressed for confidentiality (not a missing demand)
        hidden = {
            "capacity_now_t": now.capacity_t is None,
            "closures_t": loss.capacity_t is None,
            "capacity_after_t": after is None,
            "gap_now_t": now.capacity_t is None,
            "gap_after_t": after is None,
        }
        withheld = [f for f in _CAPACITY_FIELDS if hidden[f]]
        out.append(gap.model_copy(update={"suppressed": bool(withheld), "withheld": withheld}))
    sources = [capacities.source]
    if used_balance:
        sources.append(BALANCE_FILE)
    if any(m.demand_basis == "sourced" for m in out):
        sources.append(DEMAND_DATASET)
    return CapacityGapsOut(
        selection="two-stage selection" if selected is None else "given",
        selected=[p.id for p in chosen],
        illustrative=used_balance or illustrative_capacities,
        sources=sources,
        molecules=out,
        projects=contributions,
    )


class _Demand(BaseModel):
    """The demand behind one molecule's gap, and where it comes from."""

    year: int
    demand_t: float | None
    production_t: float | None
    imports_t: float | None
    exports_t: float | None
    basis: Literal["sourced", "illustrative", "not_sourced"]
    note: str


def _demand_years() -> range:
    """The years a sourced demand is looked for: the last ten and this one."""
    today = date.today().year
    return range(today - 10, today + 1)


def _sourced(molecules: Sequence[str], store_root: Path | None) -> dict[str, list[DemandFigure]]:
    """The sourced-demand figures of ``molecules`` (their trade in one query), none without a
    store."""
    if store_root is None:
        return {}
    from critchem.services.demand import sourced_demands

    return sourced_demands(molecules, _demand_years(), store_root=store_root)


def _demand(
    molecule: str,
    balance: MarketBalance | None,
    illustrative_capacities: bool,
    store_root: Path | None,
    *,
    figures: list[DemandFigure] | None = None,
) -> _Demand | None:
    """The molecule's demand: sourced from the store, else the ILLUSTRATIVE balance when the
    capacities are illustrative too, else "demand not sourced". ``None``: nothing to show.

    ``figures``: the molecule's sourced-demand figures when already read (:func:`_sourced`).
    """
    why = "no store given"
    if store_root is not None:
        from critchem.services.demand import sourced_demand

        if figures is None:
            figures = sourced_demand(molecule, _demand_years(), store_root=store_root)
        found = [f for f in figures if f.sourced]
        if found:
            f = found[-1]
            return _Demand(
                year=f.year,
                demand_t=f.demand_t,
                production_t=f.production_t,
                imports_t=f.imports_t,
                exports_t=f.exports_t,
                basis="sourced",
                note=f"{f.note}; {', '.join(f.codes)}; {f.method_version}",
            )
        why = figures[-1].note if figures else why
    if balance is not None and illustrative_capacities:
        return _Demand(
            year=balance.year,
            demand_t=balance.demand_t,
            production_t=balance.production_t,
            imports_t=balance.imports_t,
            exports_t=balance.exports_t,
            basis="illustrative",
            note=f"ILLUSTRATIVE market balance ({BALANCE_FILE}), not Eurostat figures",
        )
    if illustrative_capacities and balance is None:
        return None
    return _Demand(
        year=balance.year if balance is not None else date.today().year,
        demand_t=None,
        production_t=None,
        imports_t=None,
        exports_t=None,
        basis="not_sourced",
        note=f"{DEMAND_NOT_SOURCED} ({why})",
    )


STATUS_ORDER = ("operating", "announced_closure", "closed")


def map_points(
    gaps: CapacityGapsOut, projects: Sequence[Project]
) -> tuple[list[SitePoint], list[ProjectPoint]]:
    """The located sites declaring a molecule of ``gaps`` and the selected projects, to map.

    A site making several molecules takes its most active status (operating first).
    """
    wanted = {m.molecule for m in gaps.molecules}
    register = {s.site_id: s for s in capacity_sites()}
    status: dict[str, str] = {}
    for cap in load_capacities().capacities:
        if cap.molecule in wanted:
            known = status.get(cap.site_id)
            if known is None or STATUS_ORDER.index(cap.status) < STATUS_ORDER.index(known):
                status[cap.site_id] = cap.status
    sites = [
        SitePoint(register[i].name, register[i].lon or 0.0, register[i].lat or 0.0, s)
        for i, s in sorted(status.items())
        if i in register and register[i].located
    ]
    selected = set(gaps.selected)
    chosen = {p.id: p for p in projects if p.id in selected}
    points = [
        ProjectPoint(
            p.id,
            p.country,
            "; ".join(f"{m.molecule} {m.capacity_t_per_year:,.0f} t/y" for m in p.molecules),
        )
        for p in chosen.values()
    ]
    return sites, points


def write_gaps_map(path: Path, gaps: CapacityGapsOut, projects: Sequence[Project]) -> Path:
    """Write the HTML map of the sites and the selected projects of ``gaps``."""
    sites, points = map_points(gaps, projects)
    note = (
        "ILLUSTRATIVE capacities and market balance: fictitious companies and sites, "
        "invented capacities and statuses."
        if gaps.illustrative
        else ""
    )
    return write_map_html(
        path,
        sites,
        points,
        title="EU production sites of the critical molecules and the selected projects",
        note=note,
    )

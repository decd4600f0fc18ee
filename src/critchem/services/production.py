"""Production services: the sites making a molecule, their capacities under disclosure control.

Shared by the CLI, the API and the web pages. The sites are public (Hotmaps register); the
capacities are company-confidential:

* a site's ``capacity_t`` is shown only when ``visible(organisation, principal)`` (a member of
  the owning organisation, the secretariat, an administrator), ``None`` otherwise;
* a total (EU27, per country) is shown when it is built from at least ``MIN_COMPANIES``
  distinct companies, or when the principal may see every contribution to it; otherwise it
  is ``None`` with ``suppressed: true``.

Totals are of the plants producing today: ``operating`` and ``announced_closure`` (still
running until they close); ``closed`` plants are listed but count in no total.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from critchem.accounts.disclosure import MIN_COMPANIES, suppress_small_aggregates, visible
from critchem.accounts.roles import Principal
from critchem.core.errors import NotFoundError
from critchem.molecules import load_registry
from critchem.production.capacities import SiteCapacity, load_capacities, molecule_sites
from critchem.production.sites import Site

EU_SCOPE = "EU27"


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProductionSiteOut(_Public):
    """A site producing the molecule: public register fields, and its capacity if visible."""

    site_id: str
    company: str
    name: str
    city: str
    country: str
    lon: float | None
    lat: float | None
    status: str
    capacity_t: float | None = Field(
        description="Tonnes per year; null when the principal may not see the company's figure."
    )


class CapacityTotalOut(_Public):
    """A capacity total (t/year) of a scope (``EU27`` or an ISO2 country), or its suppression."""

    scope: str
    capacity_t: float | None
    sites: int
    companies: int
    suppressed: bool


class MoleculeProductionOut(_Public):
    """The EU sites of one molecule, with the capacities the principal may see."""

    molecule: str
    name: str
    unit: str = "t/year"
    illustrative: bool = Field(description="Whether the capacities are illustrative examples.")
    source: str
    sites: list[ProductionSiteOut]
    eu_total: CapacityTotalOut
    countries: list[CapacityTotalOut]
    disclosed: int = Field(description="How many confidential site figures this answer shows.")


def disclosed_total(
    scope: str,
    rows: Iterable[SiteCapacity],
    principal: Principal,
    *,
    min_companies: int = MIN_COMPANIES,
) -> CapacityTotalOut:
    """The sum of ``rows`` for ``principal``: shown, or suppressed (see the module docstring).

    A total without any contribution is 0 and not suppressed (there is nothing to protect).

    >>> from critchem.accounts.roles import ANONYMOUS
    >>> rows = [SiteCapacity("1", "ammonia", 5.0, "A", "operating", "x", True),
    ...         SiteCapacity("2", "ammonia", 7.0, "B", "operating", "x", True)]
    >>> disclosed_total("DE", rows, ANONYMOUS).suppressed
    True
    >>> disclosed_total("DE", rows, Principal("sue", "secretariat", "Alliance")).capacity_t
    12.0
    """
    items = list(rows)
    sites = len({r.site_id for r in items})
    if not items:
        return CapacityTotalOut(scope=scope, capacity_t=0.0, sites=0, companies=0, suppressed=False)
    orgs = {r.organisation.casefold() for r in items}
    if all(visible(r.organisation, principal) for r in items):
        total = sum(r.capacity_t for r in items)
        return CapacityTotalOut(
            scope=scope, capacity_t=total, sites=sites, companies=len(orgs), suppressed=False
        )
    contributions = [(r.organisation.casefold(), r.capacity_t) for r in items]
    aggregate = suppress_small_aggregates({scope: contributions}, min_companies)[scope]
    return CapacityTotalOut(
        scope=scope,
        capacity_t=aggregate.value,
        sites=sites,
        companies=aggregate.companies,
        suppressed=aggregate.suppressed,
    )


def molecule_production(
    molecule: str,
    principal: Principal,
    *,
    capacities: Iterable[SiteCapacity] | None = None,
) -> MoleculeProductionOut:
    """The EU sites declaring ``molecule``, capacities shown per ``visible``, totals suppressed.

    For the shipped capacities the answer is built once per molecule and visibility class
    (which of the contributions the principal may see) and shared: a few hundred
    microseconds that every molecule page spent.

    Raises
    ------
    NotFoundError
        When ``molecule`` is not a registry id.
    """
    registry = load_registry()
    if molecule not in registry:
        raise NotFoundError(
            f"molecule {molecule!r} is not in the molecule registry (use its id, e.g. 'ammonia')"
        )
    if capacities is not None:
        return _production(molecule, molecule_sites(molecule, capacities), principal)
    # The shipped capacities: the answer depends on the principal only through which of the
    # contributions it may see, so it is built once per such visibility class.
    pairs = _shipped_sites(molecule)
    seen = tuple(visible(cap.organisation, principal) for _, cap in pairs)
    return _shipped_production(molecule, seen, principal)


@cache
def _shipped_sites(molecule: str) -> tuple[tuple[Site, SiteCapacity], ...]:
    return tuple(molecule_sites(molecule))


_by_visibility: dict[tuple[str, tuple[bool, ...]], MoleculeProductionOut] = {}


def _shipped_production(
    molecule: str, seen: tuple[bool, ...], principal: Principal
) -> MoleculeProductionOut:
    answer = _by_visibility.get((molecule, seen))
    if answer is None:
        answer = _production(molecule, list(_shipped_sites(molecule)), principal)
        _by_visibility[molecule, seen] = answer
    return answer


def _production(
    molecule: str, pairs: list[tuple[Site, SiteCapacity]], principal: Principal
) -> MoleculeProductionOut:
    registry = load_registry()
    load = load_capacities()
    sites = [
        ProductionSiteOut(
            site_id=site.site_id,
            company=site.company,
            name=site.name,
            city=site.city,
            country=site.country,
            lon=site.lon,
            lat=site.lat,
            status=cap.status,
            capacity_t=cap.capacity_t if visible(cap.organisation, principal) else None,
        )
        for site, cap in pairs
    ]
    producing = [(site, cap) for site, cap in pairs if cap.producing]
    countries = sorted({site.country for site, _ in producing})
    return MoleculeProductionOut(
        molecule=molecule,
        name=registry.get(molecule).name,
        illustrative=any(cap.illustrative for _, cap in pairs) if pairs else True,
        source=load.source,
        sites=sites,
        eu_total=disclosed_total(EU_SCOPE, [cap for _, cap in producing], principal),
        countries=[
            disclosed_total(c, [cap for site, cap in producing if site.country == c], principal)
            for c in countries
        ],
        disclosed=sum(1 for s in sites if s.capacity_t is not None),
    )

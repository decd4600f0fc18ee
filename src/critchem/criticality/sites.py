"""Critical production sites: a site is critical when its loss would cut a critical chain.

A site is one (company, site, country) of the public capacity registers
(``critchem.production.registers``: real units with a published capacity, a source and a
date; no figure is ever estimated). Its molecules are those it has a capacity for, plus the
co-products its units make by coupling (``production/data/coupling.yaml``: one chlor-alkali
cell gives chlorine and caustic soda, one cracker ethylene, propylene, butadiene and
aromatics, one ammonia unit the CO2 for urea and food, one isocyanate unit hydrogen chloride).

For each site: the chains through it (the registry molecules downstream of its molecules whose
class counts, ``critical`` by default), its share of the EU capacity of each molecule (only
where a register of all EU plants of the molecule is shipped, ``register_coverage.tsv``, or
where a source publishes the EU's total capacity, ``eu_capacity_totals.csv``; else the share is
not computed and said so), and what is lost if it closes. The site is

- **critical** when a molecule it makes is on a critical chain and its EU share of that
  molecule is at least ``min_eu_share``;
- **undetermined** when a critical chain passes through it but its share cannot be computed;
- **not critical** otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import yaml

from critchem.core.errors import ReferenceDataError
from critchem.molecules import Registry
from critchem.nomenclature._files import data_text
from critchem.production.registers import PlantCapacity

SITES_FILE = "critical_sites.yaml"
UNDETERMINED = "undetermined"
COUPLING_FILE = "coupling.yaml"


@dataclass(frozen=True, slots=True)
class CouplingRule:
    """Molecules one unit makes together."""

    id: str
    process: str
    triggers: tuple[str, ...]
    co_products: tuple[str, ...]
    basis: str


@dataclass(frozen=True, slots=True)
class SiteRules:
    """The declared rule of a critical site."""

    version: str
    min_eu_share: float
    chain_classes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SiteUnit:
    """A published capacity at the site."""

    molecule: str
    unit: str
    capacity_t: float | None
    eu_share: float | None
    as_of: str
    source: str
    share_basis: str = ""
    """What the share is of: the register's EU plants or a published EU total (its source)."""


@dataclass(frozen=True, slots=True)
class CoupledProduct:
    """A molecule the site makes as a co-product of one of its units (quantity not published)."""

    molecule: str
    rule: str
    basis: str


@dataclass(frozen=True)
class CriticalSite:
    """One site with its chains, shares, verdict and what its closure would take away."""

    key: str
    company: str
    site: str
    country: str
    lat: float | None
    lon: float | None
    units: list[SiteUnit]
    coupled: list[CoupledProduct]
    chains: dict[str, list[str]] = field(default_factory=dict)
    """Per molecule made at the site: the chain molecules downstream (itself included)."""
    verdict: str = "not critical"
    reason: str = ""
    lost: list[str] = field(default_factory=list)
    cluster: str | None = None
    """The cluster of sites coupled by pipeline that the site belongs to (``clusters.py``)."""
    cluster_lost: list[str] = field(default_factory=list)
    """What the whole cluster loses if it closes."""
    on_site: list[str] = field(default_factory=list)
    """Sourced on-site feeds: the site's unit of one molecule feeding its unit of another."""


@cache
def load_site_rules() -> SiteRules:
    """The shipped rule (cached)."""
    doc = yaml.safe_load(data_text("critchem.criticality", SITES_FILE))
    try:
        rules = SiteRules(
            version=str(doc["version"]),
            min_eu_share=float(doc["min_eu_share"]),
            chain_classes=tuple(str(c) for c in doc["chain_classes"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(f"{SITES_FILE}: missing or bad field {exc}") from exc
    if not 0 < rules.min_eu_share <= 1:
        raise ReferenceDataError(f"{SITES_FILE}: min_eu_share must be in (0, 1]")
    return rules


def parse_coupling(text: str, registry: Registry) -> tuple[CouplingRule, ...]:
    """Validate the coupling rules: every molecule must be a registry id."""
    doc = yaml.safe_load(text)
    out = []
    for i, entry in enumerate(doc.get("rules") or [], start=1):
        where = f"{COUPLING_FILE}: rule #{i} ({entry.get('id', '?')})"
        ids = [*entry.get("triggers", []), *entry.get("co_products", [])]
        unknown = [m for m in ids if m not in registry]
        if unknown or not entry.get("basis") or not entry.get("triggers"):
            raise ReferenceDataError(f"{where}: unknown molecules {unknown} or no triggers/basis")
        out.append(
            CouplingRule(
                id=str(entry["id"]),
                process=str(entry["process"]),
                triggers=tuple(entry["triggers"]),
                co_products=tuple(entry["co_products"]),
                basis=str(entry["basis"]),
            )
        )
    return tuple(out)


def load_coupling(registry: Registry) -> tuple[CouplingRule, ...]:
    """The shipped coupling rules."""
    return parse_coupling(data_text("critchem.production", COUPLING_FILE), registry)


def downstream(registry: Registry, molecule: str) -> list[str]:
    """``molecule`` and every registry molecule made from it, directly or not (sorted, no cycle).

    >>> from critchem.molecules import load_registry
    >>> "urea" in downstream(load_registry(), "ammonia")
    True
    """
    seen = {molecule}
    todo = [molecule]
    while todo:
        for product in registry.products_of(todo.pop()):
            if product.id not in seen:
                seen.add(product.id)
                todo.append(product.id)
    return sorted(seen)


def eu_totals(
    plants: Sequence[PlantCapacity],
    covered: set[tuple[str, str]],
    published: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """EU capacity per molecule: the sum of a register that lists all EU plants, else a published total.

    >>> from critchem.production.registers import PlantCapacity, PublicDate
    >>> unit = PlantCapacity("r", "1", "A", "s", "DE", "", "ethylene", 1e6, None,
    ...                      PublicDate(2025), "https://a")
    >>> eu_totals([unit], set(), {"ethylene": 4e6}), eu_totals([unit], {("r", "ethylene")})
    ({'ethylene': 4000000.0}, {'ethylene': 1000000.0})
    """
    totals: dict[str, float] = defaultdict(float)
    for p in plants:
        if p.eu27 and p.capacity_t and (p.register, p.molecule) in covered:
            totals[p.molecule] += p.capacity_t
    for molecule, total in (published or {}).items():
        totals.setdefault(molecule, total)
    return dict(totals)


def assess_sites(
    plants: Sequence[PlantCapacity],
    classes: Mapping[str, str],
    *,
    registry: Registry,
    coupling: Sequence[CouplingRule],
    covered: set[tuple[str, str]],
    rules: SiteRules,
    published: Mapping[str, float] | None = None,
) -> list[CriticalSite]:
    """Every EU site of ``plants`` with its chains and verdict, critical sites first.

    ``classes`` maps molecule ids to their class (from an assessment); ``covered`` holds the
    (register, molecule) pairs whose register lists all EU plants; ``published`` the EU
    capacity totals a source publishes (t/year, by molecule). Shares are computed only over
    one of the two: the register's sum where it is complete, else the published total.
    """
    published = dict(published or {})
    totals = eu_totals(plants, covered, published)
    grouped: dict[tuple[str, str, str], list[PlantCapacity]] = defaultdict(list)
    for p in plants:
        if p.eu27:
            grouped[(p.company, p.site, p.country)].append(p)
    sites = []
    for (company, site, country), rows in grouped.items():
        units = [
            SiteUnit(
                molecule=p.molecule,
                unit=p.unit,
                capacity_t=p.capacity_t,
                eu_share=(
                    p.capacity_t / totals[p.molecule]
                    if p.capacity_t and p.molecule in totals and _basis(p, covered, published)
                    else None
                ),
                as_of=p.as_of.text,
                source=p.source,
                share_basis=_basis(p, covered, published),
            )
            for p in rows
        ]
        made = {u.molecule for u in units}
        coupled = [
            CoupledProduct(molecule=m, rule=r.id, basis=r.basis)
            for r in coupling
            if made & set(r.triggers)
            for m in r.co_products
            if m not in made
        ]
        coupled = list({c.molecule: c for c in coupled}.values())
        sites.append(
            site_verdict(
                CriticalSite(
                    key=f"{country}:{company}:{site}",
                    company=company,
                    site=site,
                    country=country,
                    lat=next((p.lat for p in rows if p.lat is not None), None),
                    lon=next((p.lon for p in rows if p.lon is not None), None),
                    units=units,
                    coupled=coupled,
                ),
                classes,
                registry,
                rules,
            )
        )
    order = {"critical": 0, "undetermined": 1, "not critical": 2, "not assessed": 3}
    return sorted(sites, key=lambda s: (order[s.verdict], s.country, s.company, s.site))


def molecule_shares(units: Sequence[SiteUnit]) -> dict[str, float | None]:
    """EU share per molecule summed over the units (``None`` where no unit has a share).

    A site with two crackers holds the sum of their shares: 410 kt and 220 kt of a 24.5 Mt
    total give 630 / 24,500 = 2.57 %.

    >>> units = [SiteUnit("ethylene", "a", 410e3, 410 / 24500, "2010", "s"),
    ...          SiteUnit("ethylene", "b", 220e3, 220 / 24500, "2009", "s"),
    ...          SiteUnit("propylene", "c", None, None, "2010", "s")]
    >>> {m: round(v, 4) if v is not None else None for m, v in molecule_shares(units).items()}
    {'ethylene': 0.0257, 'propylene': None}
    """
    out: dict[str, float | None] = {}
    for u in units:
        if u.eu_share is None:
            out.setdefault(u.molecule, None)
        else:
            out[u.molecule] = (out.get(u.molecule) or 0.0) + u.eu_share
    return out


def _basis(p: PlantCapacity, covered: set[tuple[str, str]], published: Mapping[str, float]) -> str:
    if (p.register, p.molecule) in covered:
        return f"EU plants of {p.register}"
    if p.molecule in published:
        return "published EU total (eu_capacity_totals.csv)"
    return ""


def site_verdict(
    site: CriticalSite, classes: Mapping[str, str], registry: Registry, rules: SiteRules
) -> CriticalSite:
    chains: dict[str, list[str]] = {}
    for molecule in [u.molecule for u in site.units] + [c.molecule for c in site.coupled]:
        on_chain = [
            m for m in downstream(registry, molecule) if classes.get(m) in rules.chain_classes
        ]
        if on_chain:
            chains[molecule] = on_chain
    share = molecule_shares(site.units)
    cut = [m for m in chains if (share.get(m) or 0.0) >= rules.min_eu_share]
    unknown = [m for m in chains if m not in share or share[m] is None]
    # chains whose class is itself undetermined: the site could cut them if its share is high
    # enough (or unknown), so it is not "not critical"
    open_chains = {
        made: pending
        for made in [u.molecule for u in site.units] + [c.molecule for c in site.coupled]
        if (pending := [m for m in downstream(registry, made) if classes.get(m) == UNDETERMINED])
        and (share.get(made) is None or (share.get(made) or 0.0) >= rules.min_eu_share)
    }
    lost = [
        f"{u.molecule}: {u.capacity_t:,.0f} t/year ({u.unit})"
        if u.capacity_t
        else f"{u.molecule} ({u.unit}, capacity not published)"
        for u in site.units
    ]
    lost += [f"{c.molecule}: co-product ({c.rule}), quantity not published" for c in site.coupled]
    fed = sorted({m for ms in chains.values() for m in ms})
    if fed:
        lost.append(f"supply to the {'/'.join(rules.chain_classes)} chain(s) of: {', '.join(fed)}")
    if cut:
        parts = [f"{m} {share[m]:.0%} of EU capacity" for m in cut if share[m] is not None]
        verdict = "critical"
        reason = (
            f"its loss cuts the chain(s) of {', '.join(sorted({x for m in cut for x in chains[m]}))}: "
            f"{'; '.join(parts)} (≥ {rules.min_eu_share:.0%})"
        )
    elif unknown:
        verdict = "undetermined"
        unpublished = sorted(
            u.molecule for u in site.units if u.molecule in unknown and not u.capacity_t
        )
        why = (
            f"the site's capacity of {', '.join(unpublished)} is not published"
            if unpublished
            else "no register of all EU plants nor a published EU total is shipped for it "
            "(or it is a co-product)"
        )
        reason = (
            f"a {'/'.join(rules.chain_classes)} chain passes through {', '.join(sorted(unknown))}, "
            f"but the share is not computed: {why}"
        )
    elif open_chains:
        verdict = "undetermined"
        pending = sorted({m for ms in open_chains.values() for m in ms})
        named = ", ".join(pending[:5]) + (
            f" and {len(pending) - 5} more" if len(pending) > 5 else ""
        )
        reason = (
            f"the class of {named} (downstream of {', '.join(sorted(open_chains))}) "
            "is undetermined, and the site's share would cut a critical chain or is not computed"
        )
    elif chains:
        verdict = "not critical"
        reason = "on a chain, but below the share that cuts it: " + "; ".join(
            f"{m} {share[m]:.1%}" for m in chains if share.get(m) is not None
        )
    else:
        verdict = "not critical"
        reason = f"no molecule made here is on a {'/'.join(rules.chain_classes)} chain"
    return CriticalSite(
        key=site.key,
        company=site.company,
        site=site.site,
        country=site.country,
        lat=site.lat,
        lon=site.lon,
        units=site.units,
        coupled=site.coupled,
        chains=chains,
        verdict=verdict,
        reason=reason,
        lost=lost,
    )

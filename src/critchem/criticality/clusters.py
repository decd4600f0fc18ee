"""Clusters of sites coupled by pipeline, and what a cluster loses if it closes.

Sites connected to one pipeline network (``production/data/site_links.csv``, kind
``pipeline``) form a cluster; two networks that share a site (the ARG ethylene network and
the southern German EPS line both reach Ludwigshafen) join into one. A cluster is judged by
the rule of a single site (:func:`~critchem.criticality.sites.site_verdict`) applied to the
units of all its member sites: its EU share of a molecule is the sum of the members'
shares,

    share_cluster(m) = sum over member sites s of capacity_s(m) / EU total(m),

and it is critical when that share reaches ``min_eu_share`` for a molecule on a critical
chain. What it loses is every member's capacity and co-products. On-site links (kind
``on-site``) stay with their site: they add the sourced feed to what the site loses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from critchem.criticality.sites import CriticalSite, SiteRules, site_verdict
from critchem.molecules import Registry
from critchem.production.links import SiteLink


@dataclass(frozen=True)
class Cluster:
    """Sites coupled by pipeline, judged together."""

    id: str
    """The networks joined by ``+`` (``ARG+EPS``)."""
    networks: list[str]
    molecules: list[str]
    """The molecules the networks carry."""
    members: list[str]
    """Keys of the member sites that are in the capacity registers."""
    links: list[str]
    """Ids of the link rows (each with its source) that make the cluster."""
    assessment: CriticalSite
    """The verdict, reason, chains and losses over all member units."""
    not_in_registers: list[str] = field(default_factory=list)
    """Linked sites without a row in the capacity registers (named, counted, not judged)."""


def components(links: Sequence[SiteLink]) -> list[tuple[list[str], list[SiteLink]]]:
    """The networks that share a site, merged: ``(networks, links)`` per component.

    >>> from critchem.production.links import SiteLink
    >>> from critchem.production.registers import PublicDate
    >>> def link(net, site):
    ...     return SiteLink(net + site, net, "pipeline", "ethylene", None, "Co", site, "DE",
    ...                     PublicDate(2013), "https://a")
    >>> [nets for nets, _ in components([link("A", "x"), link("B", "x"), link("C", "y")])]
    [['A', 'B'], ['C']]
    """
    pipes = [link for link in links if link.kind == "pipeline"]
    parent = {link.network: link.network for link in pipes}

    def root(net: str) -> str:
        while parent[net] != net:
            parent[net] = parent[parent[net]]
            net = parent[net]
        return net

    first: dict[str, str] = {}
    for link in pipes:
        seen = first.setdefault(link.site_key, link.network)
        a, b = root(seen), root(link.network)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[SiteLink]] = {}
    for link in pipes:
        groups.setdefault(root(link.network), []).append(link)
    return sorted((sorted({x.network for x in group}), group) for group in groups.values())


def assess_clusters(
    sites: Sequence[CriticalSite],
    links: Sequence[SiteLink],
    classes: Mapping[str, str],
    *,
    registry: Registry,
    rules: SiteRules,
) -> list[Cluster]:
    """Every pipeline cluster with its verdict over the members' units (critical first)."""
    by_key = {s.key: s for s in sites}
    out = []
    for networks, group in components(links):
        keys = sorted({x.site_key for x in group})
        members = [by_key[k] for k in keys if k in by_key]
        cid = "+".join(networks)
        whole = CriticalSite(
            key=f"cluster:{cid}",
            company=", ".join(sorted({m.company for m in members})),
            site=f"{cid} cluster",
            country="/".join(sorted({m.country for m in members})),
            lat=None,
            lon=None,
            units=[u for m in members for u in m.units],
            coupled=list({c.molecule: c for m in members for c in m.coupled}.values()),
        )
        out.append(
            Cluster(
                id=cid,
                networks=networks,
                molecules=sorted({x.molecule for x in group}),
                members=[m.key for m in members],
                links=[x.id for x in group],
                assessment=site_verdict(whole, classes, registry, rules),
                not_in_registers=[k for k in keys if k not in by_key],
            )
        )
    order = {"critical": 0, "undetermined": 1, "not critical": 2, "not assessed": 3}
    return sorted(out, key=lambda c: (order[c.assessment.verdict], c.id))


def attach(
    sites: Sequence[CriticalSite], clusters: Sequence[Cluster], links: Sequence[SiteLink]
) -> list[CriticalSite]:
    """The sites with their cluster, what the cluster loses, and their sourced on-site feeds."""
    cluster_of = {key: c for c in clusters for key in c.members}
    feeds: dict[str, list[SiteLink]] = {}
    for link in links:
        if link.kind == "on-site":
            feeds.setdefault(link.site_key, []).append(link)
    out = []
    for s in sites:
        c = cluster_of.get(s.key)
        on_site = [
            f"{x.molecule} feeds the site's {x.feeds} unit ({x.id}, {x.as_of.text})"
            for x in feeds.get(s.key, [])
        ]
        out.append(
            replace(
                s,
                cluster=c.id if c else None,
                cluster_lost=list(c.assessment.lost) if c else [],
                on_site=on_site,
                lost=[*s.lost, *(f"on-site supply: {f}" for f in on_site)],
            )
        )
    return out


def unmatched(sites: Sequence[CriticalSite], links: Sequence[SiteLink]) -> list[str]:
    """Link rows whose site has no row in the capacity registers (reported, never dropped)."""
    keys = {s.key for s in sites}
    return [f"{x.id} ({x.site_key})" for x in links if x.site_key not in keys]

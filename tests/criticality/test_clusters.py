"""Pipeline clusters and on-site feeds: sites judged together, with hand-computed shares.

FICTITIOUS sites of fictitious companies (Example Chemicals A-D) on fictitious networks; the
links are a miniature file in the shipped layout of ``site_links.csv``.
"""

from __future__ import annotations

import pytest

from critchem.criticality.clusters import assess_clusters, attach, components, unmatched
from critchem.criticality.sites import SiteRules, assess_sites, load_coupling
from critchem.molecules import load_registry
from critchem.production.links import load_site_links, parse_site_links
from critchem.production.registers import PlantCapacity, PublicDate, public_capacities

RULES = SiteRules("0.2", 0.10, ("critical",))
HEADER = "id,network,kind,molecule,feeds,company,site,country,as_of,source,note,source_type\n"
# Net-1 links A and B; Net-2 links B and C (so Net-1 + Net-2 is one cluster through B);
# Net-3 links only D, a site that is in no capacity register (reported, not judged).
LINKS = HEADER + (
    "X1,Net-1,pipeline,ethylene,,Example Chemicals A,A site,DE,2013,https://example.org/1,,dataset\n"
    "X2,Net-1,pipeline,ethylene,,Example Chemicals B,B site,DE,2013,https://example.org/1,,dataset\n"
    "X3,Net-2,pipeline,ethylene,,Example Chemicals B,B site,DE,2012-09,https://example.org/2,,\n"
    "X4,Net-2,pipeline,ethylene,,Example Chemicals C,C site,BE,2012-09,https://example.org/2,,\n"
    "X5,Net-3,pipeline,ethylene,,Example Chemicals D,D site,FR,2020,https://example.org/3,,\n"
    "X6,C site,on-site,chlorine,tdi,Example Chemicals C,C site,BE,2022-08,https://example.org/4,,\n"
)


def plant(company: str, molecule: str, capacity: float, country: str = "DE") -> PlantCapacity:
    return PlantCapacity(
        register="example_register.csv",
        id=f"{company}-{molecule}",
        company=company,
        site=f"{company.split()[-1]} site",
        country=country,
        unit=f"{molecule} unit",
        molecule=molecule,
        capacity_t=capacity,
        status=None,
        as_of=PublicDate(2025),
        source="https://example.org/illustrative",
    )


def _run(classes: dict[str, str]) -> tuple[list, list]:  # type: ignore[type-arg]
    # EU ethylene total 10,000 kt (published). A 500, B 300, C 400 kt: each below 10 %
    # alone (5 %, 3 %, 4 %), the A+B+C cluster holds 1,200 / 10,000 = 12 % >= 10 %.
    plants = [
        plant("Example Chemicals A", "ethylene", 500_000),
        plant("Example Chemicals B", "ethylene", 300_000),
        plant("Example Chemicals C", "ethylene", 400_000, "BE"),
        plant("Example Chemicals C", "chlorine", 100_000, "BE"),
    ]
    registry = load_registry()
    links = list(parse_site_links(LINKS, source="links.csv").rows)
    sites = assess_sites(
        plants,
        classes,
        registry=registry,
        coupling=load_coupling(registry),
        covered=set(),
        rules=RULES,
        published={"ethylene": 10_000_000},
    )
    clusters = assess_clusters(sites, links, classes, registry=registry, rules=RULES)
    return attach(sites, clusters, links), clusters


def test_networks_sharing_a_site_form_one_cluster() -> None:
    links = list(parse_site_links(LINKS, source="links.csv").rows)
    assert [nets for nets, _ in components(links)] == [["Net-1", "Net-2"], ["Net-3"]]


def test_a_cluster_is_critical_when_its_summed_share_cuts_a_chain() -> None:
    sites, clusters = _run({"ethylene-oxide": "critical"})
    by_company = {s.company: s for s in sites}
    assert {s.verdict for s in sites} == {"not critical"}  # 5 %, 3 %, 4 % each
    first = clusters[0]
    assert first.id == "Net-1+Net-2" and first.assessment.verdict == "critical"
    assert "ethylene 12% of EU capacity" in first.assessment.reason
    assert first.members == [
        "BE:Example Chemicals C:C site",
        "DE:Example Chemicals A:A site",
        "DE:Example Chemicals B:B site",
    ]
    assert first.links == ["X1", "X2", "X3", "X4"]
    # what the cluster loses: every member's capacity (500 + 300 + 400 kt ethylene, 100 kt
    # chlorine) and the co-products of the crackers and the chlor-alkali cell
    lost = first.assessment.lost
    assert "ethylene: 500,000 t/year (ethylene unit)" in lost
    assert "chlorine: 100,000 t/year (chlorine unit)" in lost
    assert any(x.startswith("sodium-hydroxide: co-product") for x in lost)
    a = by_company["Example Chemicals A"]
    assert a.cluster == "Net-1+Net-2" and a.cluster_lost == lost


def test_a_linked_site_outside_the_registers_is_reported_and_on_site_feeds_are_lost() -> None:
    sites, clusters = _run({"ethylene-oxide": "critical"})
    net3 = next(c for c in clusters if c.id == "Net-3")
    assert net3.members == [] and net3.not_in_registers == ["FR:Example Chemicals D:D site"]
    links = list(parse_site_links(LINKS, source="links.csv").rows)
    assert unmatched(sites, links) == ["X5 (FR:Example Chemicals D:D site)"]
    c = next(s for s in sites if s.company == "Example Chemicals C")
    assert c.on_site == ["chlorine feeds the site's tdi unit (X6, 2022-08)"]
    assert "on-site supply: chlorine feeds the site's tdi unit (X6, 2022-08)" in c.lost


def test_two_units_of_one_molecule_at_a_site_add_their_shares() -> None:
    # 2 x 60 kt of a 1,000 kt total: 12 % together (critical), 6 % each
    plants = [plant("Example Chemicals A", "ethylene", 60_000)] * 2
    registry = load_registry()
    (site,) = assess_sites(
        plants,
        {"ethylene-oxide": "critical"},
        registry=registry,
        coupling=load_coupling(registry),
        covered=set(),
        rules=RULES,
        published={"ethylene": 1_000_000},
    )
    assert site.verdict == "critical" and "ethylene 12% of EU capacity" in site.reason


def test_bad_link_rows_are_refused_with_their_line() -> None:
    load = parse_site_links(
        HEADER
        + "Y1,Net,pipe,ethylene,,Co,S,DE,2013,https://a,,\n"
        + "Y2,Net,pipeline,ethylene,tdi,Co,S,DE,2013,https://a,,\n"
        + "Y3,Net,pipeline,ethylene,,Co,S,DE,,https://a,,\n"
        + "Y4,Net,pipeline,ethylene,,Co,S,DE,2013,https://a,,blog\n",
        source="bad.csv",
    )
    assert load.summary() == "bad.csv: read 4 = kept 0 + rejected 4"
    assert [r.line for r in load.rejected] == [2, 3, 4, 5]
    assert "kind 'pipe'" in load.rejected[0].reason
    assert "source_type 'blog'" in load.rejected[3].reason


def test_shipped_links_name_sites_of_the_registers() -> None:
    load = load_site_links()
    assert load.rejected == ()
    assert all(x.source.startswith("http") and x.source_type for x in load.rows)
    registered = {f"{p.country}:{p.company}:{p.site}" for p in public_capacities()}
    assert {x.site_key for x in load.rows} <= registered
    # ARG and EPS meet at Ludwigshafen: one cluster
    assert ["ARG", "EPS"] in [nets for nets, _ in components(list(load.rows))]


@pytest.mark.parametrize("molecule", ["chlorine", "methanol"])
def test_shipped_register_has_sourced_plants_of(molecule: str) -> None:
    rows = public_capacities(molecule)
    assert rows and all(p.source.startswith("http") and p.source_type for p in rows)


def test_cli_json_gives_each_site_its_cluster_and_what_the_cluster_loses() -> None:
    import json

    from typer.testing import CliRunner

    from critchem.cli.main import build_app

    result = CliRunner().invoke(build_app(), ["sites", "critical", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    lu = next(s for s in data["sites"] if s["key"] == "DE:BASF:Ludwigshafen")
    assert lu["cluster"] == "ARG+EPS"
    # the ARG+EPS cluster loses the listed crackers of its members: 1,080 + 410 + 220 + 400 kt
    assert "ethylene: 400,000 t/year (steam cracker)" in lu["cluster_lost"]
    (cluster,) = [c for c in data["clusters"] if c["id"] == "ARG+EPS"]
    assert cluster["links"] == [
        "SL-001", "SL-002", "SL-003", "SL-004", "SL-005", "SL-010", "SL-011"
    ]  # fmt: skip
    assert data["unmatched_links"] == []
    dormagen = next(s for s in data["sites"] if s["key"] == "DE:Covestro:Dormagen (Chempark)")
    assert dormagen["cluster"] is None and "SL-006" in dormagen["on_site"][0]


def test_shipped_arg_eps_cluster_share_is_the_sum_of_its_crackers() -> None:
    from critchem.services.sites import sites_from_classes

    # hand computation on the shipped rows: BASF Antwerp 1,080 + Ludwigshafen 410 + 220 +
    # LyondellBasell Münchsmünster 400 + Dow Terneuzen 1,820 + SABIC Geleen 675 = 4,605 kt;
    # 4,605 / 24,500 = 18.80 % >= 10 %: the cluster cuts the ethylene oxide chain
    out = sites_from_classes({"ethylene-oxide": "critical"}, source="test classes")
    (cluster,) = [c for c in out.clusters if c["id"] == "ARG+EPS"]
    ethylene = [u for u in cluster["assessment"]["units"] if u["molecule"] == "ethylene"]
    assert sum(u["capacity_t"] for u in ethylene) == 4_605_000
    assert sum(u["eu_share"] for u in ethylene) == pytest.approx(4_605 / 24_500)
    assert cluster["assessment"]["verdict"] == "critical"
    assert "ethylene 19% of EU capacity" in cluster["assessment"]["reason"]
    # without the links to Dow Terneuzen and SABIC Geleen it was 2,110 kt, 8.6 %: not critical

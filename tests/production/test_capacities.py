"""Declared capacities: the loader reconciles, and disclosure control decides who sees what."""

from __future__ import annotations

import pytest

from critchem.accounts.roles import ANONYMOUS, Principal
from critchem.core.errors import NotFoundError, ReferenceDataError
from critchem.production import load_sites
from critchem.production.capacities import (
    capacity_sites,
    load_capacities,
    load_illustrative_sites,
    molecule_sites,
    parse_capacities,
)
from critchem.services.production import molecule_production

HEADER = "site_id,molecule,capacity_t,organisation,status,status_date,source\n"

ORG_A = Principal("bea", "member", "Example Chemicals A")
ORG_B = Principal("ian", "member", "Example Chemicals B")
SECRETARIAT = Principal("sue", "secretariat", "Alliance")


def test_shipped_file_reconciles_and_is_labelled_illustrative() -> None:
    load = load_capacities()
    assert load.rows_read == len(load.capacities) + len(load.rejected)
    assert load.rejected == ()
    assert len(load.capacities) >= 40
    assert all(c.illustrative for c in load.capacities)
    assert all("ILLUSTRATIVE" in c.source for c in load.capacities)
    assert all(c.status_date is not None for c in load.capacities)
    sites = {s.site_id: s for s in capacity_sites()}
    assert all(sites[c.site_id].eu27 for c in load.capacities)


def test_illustrative_declarations_name_no_real_company_or_site() -> None:
    fictitious = load_illustrative_sites()
    assert fictitious.rejected == ()
    assert all(s.company.startswith("Example Chemicals ") for s in fictitious.sites)
    assert all("ILLUSTRATIVE" in s.name for s in fictitious.sites)
    real = {s.site_id for s in load_sites().sites}
    assert not real & {s.site_id for s in fictitious.sites}
    for cap in load_capacities().capacities:
        assert cap.site_id not in real
        assert cap.organisation.startswith("Example Chemicals ")


def test_each_bad_row_is_rejected_with_its_line_and_reason() -> None:
    text = HEADER + "\n".join(
        [
            "EXS-001,ammonia,900000,Org A,operating,2026-01-01,x",  # kept
            "999999,ammonia,1,Org A,operating,2026-01-01,x",  # no such site
            "928,chlorine,1000,Org B,operating,2026-01-01,x",  # site 928 is in GB
            "EXS-001,unobtainium,1,Org A,operating,2026-01-01,x",
            "EXS-001,chlorine,lots,Org A,operating,2026-01-01,x",
            "EXS-001,chlorine,0,Org A,operating,2026-01-01,x",
            "EXS-001,chlorine,10,Org A,sleeping,2026-01-01,x",
            "EXS-001,chlorine,10,,operating,2026-01-01,x",
            "EXS-001,chlorine,10,Org B,operating,2026-01-01,x",  # another owner
            "EXS-001,ammonia,5,Org A,operating,2026-01-01,x",  # twice
            "EXS-001,propylene,10,Org A,operating,2026-01-01,",  # no source
            "EXS-001,methanol,10,Org A,operating,,x",  # no date
            "EXS-001,benzene,10,Org A,operating,2026-13-01,x",  # no such date
        ]
    )
    load = parse_capacities(text, source="t.csv")
    assert (load.rows_read, len(load.capacities), len(load.rejected)) == (13, 1, 12)
    reasons = {r.line: r.reason for r in load.rejected}
    assert reasons[3] == "site_id '999999' is not a site of the production register"
    assert reasons[4] == "site 928 is in GB, not in an EU Member State"
    assert "unobtainium" in reasons[5]
    assert reasons[6] == "capacity_t 'lots' is not a number"
    assert "positive" in reasons[7]
    assert "sleeping" in reasons[8]
    assert "organisation is empty" in reasons[9]
    assert reasons[10] == "site EXS-001 is already declared by organisation 'Org A', not 'Org B'"
    assert reasons[11] == "site EXS-001 declares ammonia twice"
    assert reasons[12] == "source is empty: every declaration names its source"
    assert "status_date is empty" in reasons[13]
    assert reasons[14] == "status_date '2026-13-01' is not a date (YYYY-MM-DD)"


def test_missing_column_names_it() -> None:
    with pytest.raises(ReferenceDataError, match="missing columns status"):
        parse_capacities("site_id,molecule,capacity_t,organisation,source\n")


def test_molecule_sites_joins_the_public_register() -> None:
    pairs = molecule_sites("methanol")
    assert [(s.site_id, s.city, c.capacity_t) for s, c in pairs] == [
        ("EXS-034", "Example town 034", 900000.0),
        ("EXS-001", "Example town 001", 480000.0),
        ("EXS-035", "Example town 035", 100000.0),
    ]


def test_a_member_sees_its_own_capacities_and_not_the_others() -> None:
    out = molecule_production("chlorine", ORG_A)
    by_site = {s.site_id: s for s in out.sites}
    assert by_site["EXS-001"].capacity_t == 385000.0  # its own
    assert by_site["EXS-037"].capacity_t is None  # Example Chemicals B's
    assert by_site["EXS-037"].company == "Example Chemicals B"  # public fields stay
    assert out.disclosed == 1
    org_b = molecule_production("chlorine", ORG_B)
    assert {s.site_id for s in org_b.sites if s.capacity_t is not None} == {
        "EXS-036",
        "EXS-037",
        "EXS-038",
        "EXS-048",
        "EXS-049",
    }


def test_the_secretariat_sees_every_capacity() -> None:
    out = molecule_production("chlorine", SECRETARIAT)
    assert all(s.capacity_t is not None for s in out.sites)
    # 15 chlorine plants, all operating (illustrative rows carry no closure):
    # 385+350+270+150+300+360+190+120+214+125+250+630+220+220+135 = 3919 kt
    assert out.eu_total.capacity_t == 3_919_000.0
    assert not out.eu_total.suppressed
    assert out.disclosed == 15


def test_anonymous_sees_only_aggregates() -> None:
    out = molecule_production("chlorine", ANONYMOUS)
    assert all(s.capacity_t is None for s in out.sites)
    assert out.disclosed == 0
    assert out.eu_total.capacity_t == 3_919_000.0  # 10 companies: shown
    by_country = {c.scope: c for c in out.countries}
    # Germany: Example Chemicals A 385 kt, B 150 kt and 220 kt: two companies
    assert by_country["DE"].companies == 2 and by_country["DE"].suppressed
    assert by_country["DE"].capacity_t is None
    # Spain: Example Chemicals B 220 kt + Y 190 kt
    assert by_country["ES"].suppressed


def test_an_aggregate_of_two_companies_is_suppressed_even_with_three_sites() -> None:
    # hydrogen fluoride: Example Chemicals X at two sites, Example Chemicals AR at one
    out = molecule_production("hydrogen-fluoride", ANONYMOUS)
    assert (out.eu_total.sites, out.eu_total.companies) == (3, 2)
    assert out.eu_total.suppressed and out.eu_total.capacity_t is None
    # a member of X still cannot see it: the total would give AR's figure away
    org_x = molecule_production(
        "hydrogen-fluoride", Principal("sol", "member", "Example Chemicals X")
    )
    assert org_x.eu_total.suppressed
    assert molecule_production("hydrogen-fluoride", SECRETARIAT).eu_total.capacity_t == 95000.0


def test_a_molecule_nobody_declares_has_a_zero_total() -> None:
    out = molecule_production("lysine", ANONYMOUS)
    assert out.sites == [] and out.eu_total.capacity_t == 0.0 and not out.eu_total.suppressed


def test_unknown_molecule_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="not in the molecule registry"):
        molecule_production("kryptonite", ANONYMOUS)


def test_a_closure_status_needs_a_real_declaration_not_an_illustrative_row() -> None:
    header = "site_id,molecule,capacity_t,organisation,status,status_date,illustrative,source\n"
    load = parse_capacities(
        header
        + "EXS-001,ammonia,900000,Example Chemicals A,closed,2026-01-01,yes,example\n"
        + "EXS-002,ammonia,500000,Example Chemicals B,announced_closure,2026-01-01,no,"
        "declaration of the member\n",
        source="test.csv",
    )
    assert load.rows_read == 2 and len(load.capacities) == 1
    assert load.capacities[0].status == "announced_closure"  # a member's own declaration
    assert "illustrative row" in load.rejected[0].reason

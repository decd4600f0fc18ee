"""Declared capacities: the loader reconciles, and disclosure control decides who sees what."""

from __future__ import annotations

import pytest

from critchem.accounts.roles import ANONYMOUS, Principal
from critchem.exceptions import NotFoundError, ReferenceDataError
from critchem.production import load_sites
from critchem.production.capacities import load_capacities, molecule_sites, parse_capacities
from critchem.services.production import molecule_production

HEADER = "site_id,molecule,capacity_t,organisation,status,source\n"

BASF = Principal("bea", "member", "BASF")
INEOS = Principal("ian", "member", "INEOS")
SECRETARIAT = Principal("sue", "secretariat", "Alliance")


def test_shipped_file_reconciles_and_is_labelled_illustrative() -> None:
    load = load_capacities()
    assert load.rows_read == len(load.capacities) + len(load.rejected)
    assert load.rejected == ()
    assert len(load.capacities) >= 40
    assert all(c.illustrative for c in load.capacities)
    assert all("ILLUSTRATIVE" in c.source for c in load.capacities)
    sites = {s.site_id: s for s in load_sites().sites}
    assert all(sites[c.site_id].eu27 for c in load.capacities)


def test_each_bad_row_is_rejected_with_its_line_and_reason() -> None:
    text = HEADER + "\n".join(
        [
            "278,ammonia,900000,BASF,operating,x",  # kept
            "999999,ammonia,1,BASF,operating,x",  # no such site
            "928,chlorine,1000,Ineos,operating,x",  # site 928 is in GB
            "278,unobtainium,1,BASF,operating,x",
            "278,chlorine,lots,BASF,operating,x",
            "278,chlorine,0,BASF,operating,x",
            "278,chlorine,10,BASF,sleeping,x",
            "278,chlorine,10,,operating,x",
            "278,chlorine,10,INEOS,operating,x",  # another owner for site 278
            "278,ammonia,5,BASF,operating,x",  # twice
        ]
    )
    load = parse_capacities(text, source="t.csv")
    assert (load.rows_read, len(load.capacities), len(load.rejected)) == (10, 1, 9)
    reasons = {r.line: r.reason for r in load.rejected}
    assert reasons[3] == "site_id '999999' is not a site of the production register"
    assert reasons[4] == "site 928 is in GB, not in an EU Member State"
    assert "unobtainium" in reasons[5]
    assert reasons[6] == "capacity_t 'lots' is not a number"
    assert "positive" in reasons[7]
    assert "sleeping" in reasons[8]
    assert "organisation is empty" in reasons[9]
    assert reasons[10] == "site 278 is already declared by organisation 'BASF', not 'INEOS'"
    assert reasons[11] == "site 278 declares ammonia twice"


def test_missing_column_names_it() -> None:
    with pytest.raises(ReferenceDataError, match="missing columns status"):
        parse_capacities("site_id,molecule,capacity_t,organisation,source\n")


def test_molecule_sites_joins_the_public_register() -> None:
    pairs = molecule_sites("methanol")
    assert [(s.site_id, s.city, c.capacity_t) for s, c in pairs] == [
        ("734", "Farmsum", 900000.0),
        ("278", "Ludwigshafen", 480000.0),
        ("1427", "Spreetal", 100000.0),
    ]


def test_a_member_sees_its_own_capacities_and_not_the_others() -> None:
    out = molecule_production("chlorine", BASF)
    by_site = {s.site_id: s for s in out.sites}
    assert by_site["278"].capacity_t == 385000.0  # BASF Ludwigshafen, its own
    assert by_site["62"].capacity_t is None  # INEOS at Tessenderlo
    assert by_site["62"].company == "INEOS CHLORVINYLS BELGIUM"  # public fields stay
    assert out.disclosed == 1
    ineos = molecule_production("chlorine", INEOS)
    assert {s.site_id for s in ineos.sites if s.capacity_t is not None} == {
        "59",
        "62",
        "1387",
        "1604",
        "2573",
    }


def test_the_secretariat_sees_every_capacity() -> None:
    out = molecule_production("chlorine", SECRETARIAT)
    assert all(s.capacity_t is not None for s in out.sites)
    # 15 chlorine plants; Spolana (135 kt) is closed and counts in no total:
    # 385+350+270+150+300+360+190+120+214+125+250+630+220+220 = 3784 kt
    assert out.eu_total.capacity_t == 3_784_000.0
    assert not out.eu_total.suppressed
    assert out.disclosed == 15


def test_anonymous_sees_only_aggregates() -> None:
    out = molecule_production("chlorine", ANONYMOUS)
    assert all(s.capacity_t is None for s in out.sites)
    assert out.disclosed == 0
    assert out.eu_total.capacity_t == 3_784_000.0  # 11 companies: shown
    by_country = {c.scope: c for c in out.countries}
    # Germany: BASF 385 kt, INEOS Wilhelmshaven 150 kt and Rheinberg 220 kt: two companies
    assert by_country["DE"].companies == 2 and by_country["DE"].suppressed
    assert by_country["DE"].capacity_t is None
    # Spain: INEOS Martorell 220 kt + Ercros Vila-seca 190 kt (announced closure, still running)
    assert by_country["ES"].suppressed


def test_an_aggregate_of_two_companies_is_suppressed_even_with_three_sites() -> None:
    # hydrogen fluoride: Solvay at Bad Wimpfen and Frankfurt, Arkema at Pierre-Bénite
    out = molecule_production("hydrogen-fluoride", ANONYMOUS)
    assert (out.eu_total.sites, out.eu_total.companies) == (3, 2)
    assert out.eu_total.suppressed and out.eu_total.capacity_t is None
    # a Solvay member still cannot see it: the total would give Arkema's figure away
    solvay = molecule_production("hydrogen-fluoride", Principal("sol", "member", "Solvay"))
    assert solvay.eu_total.suppressed
    assert molecule_production("hydrogen-fluoride", SECRETARIAT).eu_total.capacity_t == 95000.0


def test_a_molecule_nobody_declares_has_a_zero_total() -> None:
    out = molecule_production("lysine", ANONYMOUS)
    assert out.sites == [] and out.eu_total.capacity_t == 0.0 and not out.eu_total.suppressed


def test_unknown_molecule_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="not in the molecule registry"):
        molecule_production("kryptonite", ANONYMOUS)

"""Critical production sites: coupling, chains, EU shares and the verdict.

The domain tests use FICTITIOUS plants of fictitious companies (Example Chemicals A, B, C)
with hand-made classes; the service tests check that no verdict from illustrative classes is
attached to a real site.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.core.errors import ReferenceDataError
from critchem.criticality.sites import (
    SiteRules,
    assess_sites,
    downstream,
    load_coupling,
    parse_coupling,
)
from critchem.molecules import load_registry
from critchem.production.registers import PlantCapacity, PublicDate

REG = "example_register.csv"


def plant(
    company: str, molecule: str, capacity: float | None, country: str = "DE"
) -> PlantCapacity:
    return PlantCapacity(
        register=REG,
        id=f"{company}-{molecule}",
        company=company,
        site=f"{company} site",
        country=country,
        unit=f"{molecule} unit",
        molecule=molecule,
        capacity_t=capacity,
        status=None,
        as_of=PublicDate(2025),
        source="https://example.org/illustrative",
        lat=50.0,
        lon=8.0,
    )


RULES = SiteRules("0.2", 0.10, ("critical",))


def _assess(plants: list[PlantCapacity], classes: dict[str, str]) -> dict[str, object]:
    registry = load_registry()
    sites = assess_sites(
        plants,
        classes,
        registry=registry,
        coupling=load_coupling(registry),
        covered={(REG, "ammonia"), (REG, "chlorine")},
        rules=RULES,
    )
    return {s.company: s for s in sites}


def test_share_cuts_a_critical_chain_and_coupling_adds_co_products() -> None:
    # EU ammonia 1000 kt: A 600 (60 %), B 350 (35 %), C 50 (5 %) -- hand-computed shares.
    plants = [
        plant("Example Chemicals A", "ammonia", 600_000),
        plant("Example Chemicals B", "ammonia", 350_000),
        plant("Example Chemicals C", "ammonia", 50_000),
    ]
    sites = _assess(plants, {"hydrogen-cyanide": "critical"})
    a, c = sites["Example Chemicals A"], sites["Example Chemicals C"]
    assert a.verdict == "critical" and "ammonia 60% of EU capacity" in a.reason  # type: ignore[attr-defined]
    assert "hydrogen-cyanide" in a.chains["ammonia"]  # type: ignore[attr-defined]
    assert [x.molecule for x in a.coupled] == ["carbon-dioxide"]  # type: ignore[attr-defined]
    assert any("carbon-dioxide: co-product" in x for x in a.lost)  # type: ignore[attr-defined]
    assert c.verdict == "not critical" and "5.0%" in c.reason  # type: ignore[attr-defined]
    # urea is made from ammonia and from the coupled CO2, whose share nobody publishes
    c_urea = _assess(plants, {"urea": "critical"})["Example Chemicals C"]
    assert c_urea.verdict == "undetermined" and "carbon-dioxide" in c_urea.reason  # type: ignore[attr-defined]


def test_share_of_a_partial_register_is_over_the_published_eu_total() -> None:
    # two fictitious crackers listed, EU total published 4,000 kt: A 1,000 (25 %), B 200 (5 %)
    plants = [
        plant("Example Chemicals A", "ethylene", 1_000_000),
        plant("Example Chemicals B", "ethylene", 200_000),
    ]
    registry = load_registry()
    sites = {
        s.company: s
        for s in assess_sites(
            plants,
            {"ethylene-oxide": "critical"},
            registry=registry,
            coupling=load_coupling(registry),
            covered=set(),
            rules=RULES,
            published={"ethylene": 4_000_000},
        )
    }
    a, b = sites["Example Chemicals A"], sites["Example Chemicals B"]
    assert a.units[0].eu_share == pytest.approx(0.25) and a.verdict == "critical"
    assert "published EU total" in a.units[0].share_basis
    assert b.units[0].eu_share == pytest.approx(0.05) and b.verdict == "not critical"
    # without the published total the share is not computed: undetermined, never a guess
    (alone,) = _assess([plants[1]], {"ethylene-oxide": "critical"}).values()
    assert alone.units[0].eu_share is None and alone.verdict == "undetermined"  # type: ignore[attr-defined]


def test_chlor_alkali_cell_couples_chlorine_and_caustic_soda() -> None:
    plants = [plant("Example Chemicals A", "chlorine", 100_000)]
    (site,) = _assess(plants, {"sodium-hydroxide": "critical"}).values()
    assert {x.molecule for x in site.coupled} == {"sodium-hydroxide", "hydrogen"}  # type: ignore[attr-defined]
    # the chain passes through the coupled caustic soda, whose share is not computed
    assert site.verdict == "undetermined" and "sodium-hydroxide" in site.reason  # type: ignore[attr-defined]


def test_unpublished_capacity_is_undetermined_never_zero() -> None:
    plants = [
        plant("Example Chemicals A", "ammonia", 500_000),
        plant("Example Chemicals B", "ammonia", None),
    ]
    b = _assess(plants, {"ammonia": "critical"})["Example Chemicals B"]
    assert b.verdict == "undetermined" and "not published" in b.reason  # type: ignore[attr-defined]


def test_coupling_rules_name_registry_molecules() -> None:
    registry = load_registry()
    ids = {r.id for r in load_coupling(registry)}
    assert ids == {
        "chlor-alkali-cell",
        "steam-cracker",
        "ammonia-reforming",
        "isocyanate-phosgenation",
    }
    with pytest.raises(
        ReferenceDataError, match="rule #1 \\(x\\): unknown molecules \\['unobtainium'\\]"
    ):
        parse_coupling(
            "rules: [{id: x, process: p, triggers: [unobtainium], co_products: [], basis: b}]",
            registry,
        )
    assert "urea" in downstream(registry, "ammonia")


def test_cli_json_gives_no_verdict_on_real_sites_from_illustrative_classes() -> None:
    result = CliRunner().invoke(build_app(), ["sites", "critical", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["label"] == "ILLUSTRATIVE"
    assert data["sites"] and {s["verdict"] for s in data["sites"]} == {"not assessed"}
    yara = next(s for s in data["sites"] if s["site"] == "Yara Sluiskil")
    assert yara["units"][0]["capacity_t"] == 1_700_000 and yara["units"][0]["source"].startswith(
        "https://"
    )
    assert yara["units"][0]["eu_share"] is not None
    assert any(c["molecule"] == "carbon-dioxide" for c in yara["coupled"])
    # crackers: shares over the published EU ethylene total, and the coverage stated
    moerdijk = next(s for s in data["sites"] if s["site"] == "Moerdijk")
    ethylene = next(u for u in moerdijk["units"] if u["molecule"] == "ethylene")
    assert ethylene["eu_share"] == pytest.approx(971_000 / 24_500_000)
    (coverage,) = [c for c in data["coverage"] if c["molecule"] == "ethylene"]
    assert coverage["listed_t"] == 7_506_000 and coverage["units"] == 11

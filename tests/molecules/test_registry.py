"""The molecule registry and its reviewed CAS ⇄ CN8 mapping, against the case tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from critchem.core.errors import ReferenceDataError
from critchem.molecules import Mapping, load_mapping, load_registry, parse_registry
from critchem.molecules.mapping import CodeLink
from critchem.nomenclature import load_cn

CASES = Path(__file__).resolve().parents[1] / "cases"

NONPAPER = {
    # The 18 molecules of the March 2025 non-paper of eight Member States → CAS (CAS Common
    # Chemistry) and the CN2025 codes that must carry them.
    "ethylene": ("74-85-1", {"29012100"}),
    "propylene": ("115-07-1", {"29012200"}),
    "butadiene": ("106-99-0", None),
    "benzene": ("71-43-2", {"29022000"}),
    "toluene": ("108-88-3", {"29023000"}),
    "xylenes": ("1330-20-7", {"29024400"}),
    "styrene": ("100-42-5", {"29025000"}),
    "phenol": ("108-95-2", {"29071100"}),
    "ammonia": ("7664-41-7", {"28141000", "28142000"}),
    "methanol": ("67-56-1", {"29051100"}),
    "chlorine": ("7782-50-5", {"28011000"}),
    "sodium hydroxide": ("1310-73-2", {"28151100", "28151200"}),
    "sulphur": ("7704-34-9", None),
    "silicon": ("7440-21-3", {"28046100", "28046900"}),
    "sodium carbonate": ("497-19-8", {"28362000"}),
    "hydrofluoric acid": ("7664-39-3", {"28111100"}),
    "lysine": ("56-87-1", None),
    "methionine": ("59-51-8", {"29304010"}),  # DL-methionine, the feed-grade product
}


def read_cases(name: str) -> list[dict[str, str]]:
    with (CASES / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_registry_size_and_breadth() -> None:
    registry = load_registry()
    assert len(registry) >= 150
    assert len(registry.tagged("cca-nonpaper-2025")) == 18
    chains = {m.value_chain for m in registry}
    assert {"batteries", "semiconductors", "pharma", "fluorochemicals"} <= chains
    for sector in ("defence", "health", "energy", "digital", "mobility", "agri-food"):
        assert any(sector in m.sectors for m in registry), sector


@pytest.mark.parametrize("name", sorted(NONPAPER))
def test_nonpaper_molecules_resolve_by_name_and_cas(name: str) -> None:
    from critchem.molecules import default_resolver

    cas, codes = NONPAPER[name]
    resolver = default_resolver()
    by_name = resolver.resolve(name)
    by_cas = resolver.resolve(cas)
    assert str(by_name.cas) == cas
    assert by_cas == by_name
    assert "cca-nonpaper-2025" in by_name.tags  # type: ignore[union-attr]
    cn8 = set(by_name.cn8)  # type: ignore[union-attr]
    assert cn8, f"{name} has no CN8 code"
    if codes is not None:
        assert codes <= cn8
    for code in cn8:
        assert code in load_cn(2025)


@pytest.mark.parametrize("case", read_cases("cas_to_cn.tsv"), ids=lambda c: c["name"])
def test_case_table_cas_to_cn(case: dict[str, str]) -> None:
    molecule = load_registry().by_cas(case["cas"])
    assert molecule is not None, f"{case['name']} ({case['cas']}) is not in the registry"
    expected = {c.strip() for c in case["expected_cn8"].split(",") if c.strip()}
    assert expected <= set(molecule.cn8), case["note"]


@pytest.mark.parametrize(
    "case", read_cases("should_not_map.tsv"), ids=lambda c: f"{c['name']}-{c['cn8']}"
)
def test_case_table_should_not_map(case: dict[str, str]) -> None:
    links = {(link.cas, link.cn8) for link in load_mapping().links}
    assert (case["cas"], case["cn8"]) not in links, case["why"]


def test_mapping_is_many_to_many_and_flags_groups() -> None:
    mapping = load_mapping()
    per_molecule = {m.id: len(m.codes) for m in load_registry()}
    assert max(per_molecule.values()) >= 2  # e.g. anhydrous and aqueous ammonia
    shared = [
        code for code in {link.cn8 for link in mapping.links} if len(mapping.for_cn8(code)) > 1
    ]
    assert shared, "some CN8 codes cover several registry molecules"
    for code in shared:
        assert any(link.relation == "group" for link in mapping.for_cn8(code)), code


def test_value_chain_links_point_to_registry_molecules() -> None:
    registry = load_registry()
    assert any(m.feedstocks for m in registry)
    ethylene_products = {m.id for m in registry.products_of("ethylene")}
    assert ethylene_products, "ethylene feeds other registry molecules"


def _mapping_for(mid: str, cas: str) -> Mapping:
    return Mapping([CodeLink(cas, mid, "29012100", 2025, "exact", None, "high", "test", "")])


def test_registry_file_errors_name_the_entry_and_the_check() -> None:
    bad_cas = "molecules:\n  - {id: ethylene, name: Ethylene, cas: '74-85-2', value_chain: x}\n"
    with pytest.raises(ReferenceDataError, match=r"molecule #1 \(ethylene\).*check digit"):
        parse_registry(bad_cas, _mapping_for("ethylene", "74-85-1"))
    bad_sector = (
        "sectors: [health]\nmolecules:\n"
        "  - {id: ethylene, name: Ethylene, cas: '74-85-1', value_chain: x, sectors: [space]}\n"
    )
    with pytest.raises(ReferenceDataError, match="unknown sector"):
        parse_registry(bad_sector, _mapping_for("ethylene", "74-85-1"))
    bad_feedstock = (
        "molecules:\n  - {id: ethylene, name: Ethylene, cas: '74-85-1', value_chain: x,"
        " feedstocks: [unobtainium]}\n"
    )
    with pytest.raises(ReferenceDataError, match="unknown feedstock"):
        parse_registry(bad_feedstock, _mapping_for("ethylene", "74-85-1"))
    no_codes = "molecules:\n  - {id: ethylene, name: Ethylene, cas: '74-85-1', value_chain: x}\n"
    with pytest.raises(ReferenceDataError, match="no CN8 code"):
        parse_registry(no_codes, Mapping([]))

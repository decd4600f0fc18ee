"""The evidence the bundled REAL data give, pinned: which inputs are computed, from what, and
which verdicts they decide.

The store holds the real extracts the demo ingests (no synthetic data). The expected trade
figures are recomputed here from the shipped partner-level extract with the plain ``csv``
module (an independent path from the DuckDB queries of the evidence family), and the
rounded values are written beside them.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
from collections import defaultdict
from collections.abc import Iterator

import pytest

from critchem.core.settings import Settings
from critchem.services import evidence, trade
from critchem.services.demo import REAL_EXTRACTS, bundled_extract

YEAR = 2024
EXTRACT = "comext_annual_2024_EU27xpartners_imports_4xCN8.csv.gz"
SILICON_EXTRACT = "comext_annual_2024_EU27xpartners_imports_silicon_2xCN8.csv.gz"
EU27 = set(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
MOLECULES = [
    "helium",
    "lithium-carbonate",
    "manganese-dioxide",
    "lithium-hydroxide",
    "silicon",
    "ammonia",
    "sulphur",
    "gallium",
]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    home = tmp_path_factory.mktemp("real-evidence")
    settings = Settings(home=home)
    paths = [bundled_extract(name) for name in REAL_EXTRACTS]
    trade.ingest_paths(paths, store_root=settings.store, progress=False)
    evidence.build(settings, year=YEAR, molecules=MOLECULES)
    yield settings


def _by_partner(codes: tuple[str, ...], extract: str) -> tuple[dict[str, float], float]:
    """Extra-EU imports by partner and intra-EU imports of ``codes`` in a shipped extract."""
    extra: dict[str, float] = defaultdict(float)
    intra = 0.0
    with gzip.open(bundled_extract(extract), "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["PRODUCT_NC"] not in codes:
                continue
            if row["PARTNER_ISO"] in EU27:
                intra += float(row["VALUE_IN_EUROS"])
            else:
                extra[row["PARTNER_ISO"]] += float(row["VALUE_IN_EUROS"])
    return extra, intra


@pytest.mark.parametrize(
    ("molecule", "codes", "extract", "hhi", "share", "top", "top_share", "absent"),
    [
        # helium: DZ 180.8 M, QA 148.0 M, US 103.0 M of 482.9 M extra-EU; 413.0 M intra-EU
        ("helium", ("28042910",), EXTRACT, 0.2834, 0.5390, "DZ", 0.3744, ""),
        # lithium carbonates: CL 136.5 M of 182.1 M extra-EU; 81.1 M intra-EU; no CY rows
        ("lithium-carbonate", ("28369100",), EXTRACT, 0.5839, 0.6919, "CL", 0.7497, "CY"),
        # manganese dioxide: CN 6.9 M of 13.1 M extra-EU; 79.1 M intra-EU
        ("manganese-dioxide", ("28201000",), EXTRACT, 0.3503, 0.1421, "CN", 0.5254, "BG, FR, MT"),
        # lithium hydroxide (28252000 counted at its sourced share 0.95, which leaves shares
        # unchanged): CN 49.4 M of 86.0 M extra-EU; 24.7 M intra-EU; Germany has no rows
        ("lithium-hydroxide", ("28252000",), EXTRACT, 0.4016, 0.7766, "CN", 0.5746, "CY, DE, LU"),
        # silicon, both codes (form): NO 367.0 M, US 71.1 M, CN 69.4 M, IS 69.3 M of
        # 756.5 M extra-EU; 540.6 M intra-EU; 28046100 has no rows from CY, DK, FI, Greece
        (
            "silicon",
            ("28046100", "28046900"),
            SILICON_EXTRACT,
            0.2672,
            0.5832,
            "NO",
            0.4851,
            "no rows of 28046100 from CY, DK, FI, GR in 2024",
        ),
    ],
)
def test_trade_indicators_come_from_the_real_partner_extract(
    settings: Settings,
    molecule: str,
    codes: tuple[str, ...],
    extract: str,
    hhi: float,
    share: float,
    top: str,
    top_share: float,
    absent: str,
) -> None:
    extra, intra = _by_partner(codes, extract)
    total = sum(extra.values())
    assert sum((v / total) ** 2 for v in extra.values()) == pytest.approx(hhi, abs=5e-5)
    assert total / (total + intra) == pytest.approx(share, abs=5e-5)
    assert max(extra, key=lambda p: extra[p]) == top
    assert max(extra.values()) / total == pytest.approx(top_share, abs=5e-5)
    shown = evidence.show(settings, molecule, year=YEAR)
    assert shown is not None
    inputs = shown["inputs"]
    assert inputs["hhi_extra_eu"]["value"] == pytest.approx(hhi, abs=5e-5)
    assert inputs["extra_eu_share"]["value"] == pytest.approx(share, abs=5e-5)
    assert inputs["top_supplier"]["value"] == top
    assert inputs["top_supplier_share"]["value"] == pytest.approx(top_share, abs=5e-5)
    digest = hashlib.sha256(bundled_extract(extract).read_bytes()).hexdigest()
    for name in ("hhi_extra_eu", "gov_hhi_extra_eu", "extra_eu_share", "top_supplier_share"):
        record = inputs[name]
        assert (record["status"], record["source"], record["label"]) == (
            "computed",
            "comext_extract",
            "",
        )
        assert record["codes"] == list(codes) and record["years"] == [YEAR]
        # the provenance names every comext_extract file in the store, this one among them
        assert digest in record["provenance"]["file_hashes"]
        assert "known origin" in record["note"]
        if absent.startswith("no rows"):
            assert absent in record["note"]
        elif absent:
            assert f"no rows from {absent} in {YEAR}" in record["note"]
        else:
            assert "no rows" not in record["note"]
    missing = {m["indicator"]: m["reason"] for m in shown["missing"]}
    # the extract starts in 2022: no growth over three years, said so
    assert "2021" in missing["import_growth_3y"]
    assert "PRODCOM" in missing["import_reliance"]
    assert shown["synthetic_inputs"] == []


def test_ammonia_has_no_partner_level_trade_in_the_bundled_data(settings: Settings) -> None:
    shown = evidence.show(settings, "ammonia", year=YEAR)
    assert shown is not None
    missing = {m["indicator"]: m["reason"] for m in shown["missing"]}
    assert "28141000" in missing["hhi_extra_eu"]
    assert set(shown["inputs"]) >= {"energy_cost_share", "eu_sites", "strategic_sectors"}


def test_no_bundled_real_evidence_decides_a_verdict(settings: Settings) -> None:
    """Pinned: on the bundled real data no molecule gets a verdict from evidence, and each
    says what is missing (a missing input is never zero, never invented)."""
    result = evidence.assess(settings, year=YEAR, molecules=MOLECULES)
    verdicts = {m["molecule"]: m for m in result["materials"]}
    assert {m: v["verdict"] for m, v in verdicts.items()} == dict.fromkeys(
        MOLECULES, "undetermined"
    )
    for molecule in MOLECULES:
        reasons = " | ".join(verdicts[molecule]["reasons"])
        for needed in ("import_reliance", "substitutability", "import_growth_3y"):
            assert needed in reasons, (molecule, needed)
        # the EI is settled where a sourced end-use split exists (silicon, sulphur, gallium)
        settled = molecule in ("silicon", "sulphur", "gallium")
        assert ("downstream_va_meur" in reasons) is not settled, molecule
    # ammonia: 7 inputs computed, the verdict still needs these, each with its reason
    reasons = " | ".join(verdicts["ammonia"]["reasons"])
    assert "cycle" not in reasons  # registry 2026.12.1: no feedstock cycle blocks it
    for needed in (
        "gov_hhi_extra_eu",
        "import_reliance",
        "substitutability",
        "import_growth_3y",
        "downstream_va_meur",
        "closure_share",
    ):
        assert needed in reasons, needed


@pytest.mark.parametrize(
    ("molecule", "va", "strategic", "ei_own"),
    [
        # Σ A·Q by hand in tests/criticality/test_value_added.py; EI_own = 10·[0.7·min(ΣA·Q /
        # 204,200, 1) + 0.3·N/6]
        # silicon: N = 4 (health, energy, digital, mobility): 10·(0.7·0.500334 + 0.2) = 5.5023
        ("silicon", 102_168.12, 4, 5.5023),
        # sulphur: N = 4 (defence, health, mobility, agri-food): 10·(0.7·0.527682 + 0.2) = 5.6938
        ("sulphur", 107_752.61, 4, 5.6938),
        # gallium: N = 3 (defence, energy, digital): 10·(0.7·0.392289 + 0.15) = 4.2460
        ("gallium", 80_105.50, 3, 4.2460),
    ],
)
def test_elements_of_the_crm_study_get_their_economic_importance(
    settings: Settings, molecule: str, va: float, strategic: int, ei_own: float
) -> None:
    shown = evidence.show(settings, molecule, year=YEAR)
    record = shown["inputs"]["downstream_va_meur"]
    assert record["value"] == pytest.approx(va, abs=0.005)
    assert (record["status"], record["source"], record["years"]) == (
        "computed",
        "end_use_split",
        [2023],
    )
    assert "value added printed beside the share" in record["note"]
    assert "erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets" in record["note"]
    assert shown["inputs"]["strategic_sectors"]["value"] == strategic
    result = evidence.assess(settings, year=YEAR, molecules=[molecule])
    (found,) = result["materials"]
    assert found["criteria"]["ei"] == pytest.approx(ei_own, abs=5e-5)
    assert found["criteria"]["ei"] >= 2.8  # EI settled above the threshold; SR still missing
    assert found["verdict"] == "undetermined"
    missing = {m["indicator"]: m["reason"] for m in shown["missing"]}
    assert "the same substance" in missing["substitutability"]
    assert "publishes an import reliance for" in missing["import_reliance"]
    assert "PRODCOM" in missing["import_reliance"]
    # growth: silicon's extra-EU imports are in the store for 2024 only, said so; sulphur
    # and gallium have no EU import flows in the bundled store at all
    if molecule == "silicon":
        assert "for 2024 only" in missing["import_growth_3y"]
    else:
        assert "no EU import flows" in missing["import_growth_3y"]

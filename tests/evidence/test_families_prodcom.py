"""The PRODCOM and value-added evidence families on a real store built from miniature files.

Hand-computed expectations: tests/production/data/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.core.settings import Settings
from critchem.evidence.base import (
    COMPUTED,
    CONFIDENTIAL,
    GROUP_UPPER_BOUND,
    MISSING,
    EvidenceContext,
    load_families,
)
from critchem.production.prodcom import parse_prodcom, save_parse
from critchem.trade.store import TradeStore

DATA = Path(__file__).parents[1] / "production" / "data"


@pytest.fixture
def context(tmp_path: Path) -> EvidenceContext:
    store = tmp_path / "store"
    with TradeStore(store) as trade:
        trade.ingest(DATA / "comext_sdmx_ethylene_2023.csv", progress=False)
    save_parse(parse_prodcom(DATA / "prodcom_api_DS-059358_miniature.csv"), store)
    return EvidenceContext(settings=Settings(), store_root=store)


def _by(values):
    return {(v.molecule, v.indicator): v for v in values}


def test_prodcom_family_by_hand(context: EvidenceContext) -> None:
    family = load_families()["prodcom"]()
    values = _by(family.compute(context, ["ethylene", "propylene", "naphtha"], 2023))
    ir = values[("ethylene", "import_reliance")]
    assert ir.status == COMPUTED and ir.value == pytest.approx(250_000 / 1_450_000)
    assert ir.codes == ("PRODCOM 20141130", "CN 29012100")
    assert ir.source == "prodcom+comext_sdmx"
    # the PRODCOM file's SHA-256, then the trade load's source file
    assert len(ir.provenance.file_hashes) == 2 and len(ir.provenance.load_ids) == 1
    assert values[("ethylene", "apparent_consumption_eur")].value == pytest.approx(1_450_000)
    assert values[("ethylene", "eu_producer_price")].value == pytest.approx(0.8)
    for indicator in family.indicators:
        conf = values[("propylene", indicator)]
        assert conf.status == CONFIDENTIAL and conf.value is None
        assert conf.note.startswith("confidential in PRODCOM: 20141140")
        gone = values[("naphtha", indicator)]
        assert gone.status == MISSING and "no PRODCOM code" in gone.note


def test_prodcom_family_without_prodcom_files(tmp_path: Path) -> None:
    context = EvidenceContext(settings=Settings(), store_root=tmp_path)
    family = load_families()["prodcom"]()
    values = family.compute(context, ["ethylene"], 2023)
    assert {v.status for v in values} == {MISSING}
    assert "no PRODCOM file in the store" in values[0].note


def test_prodcom_family_missing_year(context: EvidenceContext) -> None:
    values = _by(load_families()["prodcom"]().compute(context, ["ethylene"], 2021))
    assert values[("ethylene", "import_reliance")].status == MISSING
    assert "2021" in values[("ethylene", "import_reliance")].note


def test_value_added_family(context: EvidenceContext) -> None:
    values = _by(load_families()["value_added"]().compute(context, ["ethylene"], 2023))
    va = values[("ethylene", "downstream_va_meur")]
    assert va.status == MISSING and "no end-use split with a public source" in va.note
    sectors = values[("ethylene", "strategic_sectors")]
    # registry: health, energy, mobility, agri-food, construction, consumer -> 4 strategic
    assert sectors.value == 4.0 and sectors.note.startswith("health, energy, mobility, agri-food")


GROUP_PRODCOM = """DATAFLOW,LAST UPDATE,freq,reporter,product,indicators,TIME_PERIOD,OBS_VALUE
ESTAT:DS-059358(1.0),15/05/24 23:00:00,A,EU27_2020,20141247,PRODVAL,2023,1000000
ESTAT:DS-059358(1.0),15/05/24 23:00:00,A,EU27_2020,20141247,PRODQNT,2023,800000
ESTAT:DS-059358(1.0),15/05/24 23:00:00,A,EU27_2020,20141247,QNTUNIT,2023,kg
"""
GROUP_TRADE = """freq,reporter,partner,product,flow,indicators,TIME_PERIOD,OBS_VALUE
A,NL,US,29024200,1,VALUE_IN_EUROS,2023,100000
A,NL,KR,29024400,1,VALUE_IN_EUROS,2023,300000
A,BE,US,29024400,2,VALUE_IN_EUROS,2023,200000
"""


def test_prodcom_heading_covering_more_than_the_molecule_is_a_group(tmp_path: Path) -> None:
    """PRODCOM 20141247 covers m-xylene (29024200) and mixed xylenes (29024400).

    By hand, over both CN8 codes: P 1,000,000; M 100,000 + 300,000 = 400,000; X 200,000;
    C = 1,200,000; IR = 200,000 / 1,200,000 = 1/6; price 1,000,000 / 800,000 = 1.25 EUR/kg.
    """
    store = tmp_path / "store"
    (tmp_path / "trade.csv").write_text(GROUP_TRADE, encoding="utf-8")
    (tmp_path / "prodcom.csv").write_text(GROUP_PRODCOM, encoding="utf-8")
    with TradeStore(store) as trade:
        trade.ingest(tmp_path / "trade.csv", progress=False)
    save_parse(parse_prodcom(tmp_path / "prodcom.csv"), store)
    context = EvidenceContext(settings=Settings(), store_root=store)
    values = _by(load_families()["prodcom"]().compute(context, ["m-xylene"], 2023))
    ir = values[("m-xylene", "import_reliance")]
    assert ir.status == GROUP_UPPER_BOUND and ir.value == pytest.approx(1 / 6)
    assert ir.codes == ("PRODCOM 20141247", "CN 29024200", "CN 29024400")
    assert "group code" in ir.note
    assert values[("m-xylene", "apparent_consumption_eur")].value == pytest.approx(1_200_000)
    assert values[("m-xylene", "eu_producer_price")].value == pytest.approx(1.25)


def test_correspondence_from_settings(context: EvidenceContext, tmp_path: Path) -> None:
    """A user's correspondence (here without ethylene's CN8) replaces the shipped one."""
    own = tmp_path / "own.csv"
    own.write_text("PRCCODE,CN8\n20141140,29012200\n", encoding="utf-8")
    settings = Settings(prodcom_correspondence=own)
    mine = EvidenceContext(settings=settings, store_root=context.store_root)
    values = _by(load_families()["prodcom"]().compute(mine, ["ethylene"], 2023))
    note = values[("ethylene", "import_reliance")].note
    assert "29012100 has no PRODCOM code" in note and "own.csv" in note


def test_a_published_import_reliance_fills_only_a_missing_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The register of published import reliances (empty as shipped) fills a missing value
    with its years and source; a molecule the CRM study assessed as the same substance says
    the study's figure exists; any other keeps its reason."""
    from critchem.evidence.base import COMPUTED, missing
    from critchem.evidence.families import _published
    from critchem.evidence.families.prodcom import PUBLISHED_IR, _with_published

    shipped_rows, _ = _published.shipped(PUBLISHED_IR, "basis")
    assert shipped_rows == {}  # nothing published was found in a citable copy
    text = (
        "molecule,value,low,high,years,basis,source_url,source,checked\n"
        "ammonia,0.3,0.25,0.35,2016-2020,(M-X)/(P+M-X),https://example.org/ir,Study,2026-12-07\n"
    )
    register = _published.parse_published(text, where=PUBLISHED_IR, measure="basis")
    monkeypatch.setattr(_published, "shipped", lambda *_: (register, "0" * 64))
    reason = "no PRODCOM file in the store"
    values = [
        missing("ammonia", "import_reliance", 2024, reason, source="prodcom"),
        missing("helium", "import_reliance", 2024, reason, source="prodcom"),
        missing("chlorine", "import_reliance", 2024, reason, source="prodcom"),
        missing("ammonia", "eu_producer_price", 2024, reason, source="prodcom"),
    ]
    ammonia, helium, chlorine, price = _with_published(values)
    assert (ammonia.value, ammonia.status, ammonia.source) == (0.3, COMPUTED, "register")
    assert ammonia.years == (2016, 2017, 2018, 2019, 2020)
    assert "https://example.org/ir" in ammonia.note and reason in ammonia.note
    assert helium.value is None and "publishes an import reliance for Helium" in helium.note
    assert chlorine.note == reason
    assert price.value is None and price.note == reason

"""The PRODCOM and value-added evidence families on a real store built from miniature files.

Hand-computed expectations: tests/production/data/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.evidence.base import (
    COMPUTED,
    CONFIDENTIAL,
    MISSING,
    EvidenceContext,
    load_families,
)
from critchem.production.prodcom import parse_prodcom, save_parse
from critchem.settings import Settings
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
    assert ir.provenance.file_hashes  # the PRODCOM file's SHA-256
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

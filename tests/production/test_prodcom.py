"""PRODCOM readers, EU production, correspondence and formulas on miniature real-format files.

Expected figures are computed by hand in ``data/README.md``.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pytest

from critchem.core.errors import ProdcomFormatError
from critchem.production.prodcom import (
    apparent_consumption,
    eu_production,
    import_reliance,
    layout_of,
    load_correspondence,
    load_parses,
    parse_prodcom,
    producer_price,
    read_correspondence,
    save_parse,
)

DATA = Path(__file__).parent / "data"
API_FILE = DATA / "prodcom_api_DS-059358_miniature.csv"
BULK_FILE = DATA / "prodcom_bulk_epannsold_miniature.csv"


def _by_key(parse):
    return {(o.reporter, o.prccode, o.year): o for o in parse.observations}


def test_api_layout_counts_reconcile_and_flags_hold() -> None:
    parse = parse_prodcom(API_FILE)
    assert parse.layout == "api"
    assert (parse.rows_read, parse.rows_used, parse.rows_ignored, len(parse.rejected)) == (
        18,
        11,
        1,
        6,
    )
    assert parse.reconciles()
    assert parse.ignored == {"PVALBASE": 1}
    obs = _by_key(parse)
    assert len(obs) == 4
    eu = obs[("EU27_2020", "20141130", 2023)]
    assert eu.production_value.value == 1_200_000 and eu.production_value.status == "reported"
    assert eu.production_quantity.value == 1_500_000 and eu.unit == "kg"
    assert eu.export_value == 100_000 and eu.line == 2
    de = obs[("DE", "20141130", 2023)]
    assert de.production_value.value is None and de.production_value.status == "confidential"
    flagged = obs[("EU27_2020", "20141140", 2023)]
    assert flagged.production_value.value is None  # the 555 beside OBS_FLAG c is not kept
    assert flagged.production_value.status == "confidential"
    estimate = obs[("EU27_2020", "20141150", 2023)]
    assert estimate.production_value.value == 800 and estimate.production_value.status == "estimate"


def test_api_rejections_name_line_and_reason() -> None:
    reasons = {r.line: r.reason for r in parse_prodcom(API_FILE).rejected}
    assert set(reasons) == {14, 15, 16, 17, 18, 19}
    assert "'abc' of PRODQNT is not a non-negative number" in reasons[14]
    assert "'2014115' is not an 8-character PRODCOM code" in reasons[15]
    assert reasons[16].startswith("duplicate of line 2")
    assert "'20X3' is not a year" in reasons[17]
    assert "'FOOVAL' is not a PRODCOM indicator" in reasons[18]
    assert "':Z' of PVALFLAG is not a PRODCOM flag" in reasons[19]


def test_bulk_layout_counts_flags_and_periods() -> None:
    parse = parse_prodcom(BULK_FILE)
    assert parse.layout == "bulk"
    assert (parse.rows_read, parse.rows_used, len(parse.rejected)) == (8, 5, 3)
    assert parse.reconciles()
    assert [r.line for r in parse.rejected] == [6, 7, 8]
    assert parse.rejected[1].reason.startswith("duplicate of line 2")
    obs = _by_key(parse)
    eu = obs[("EU27_2020", "20141130", 2023)]
    assert (eu.production_value.value, eu.import_value, eu.export_value) == (
        1_200_000,
        200_000,
        100_000,
    )
    conf = obs[("004", "20141130", 2023)]
    assert conf.production_value.status == conf.production_quantity.status == "confidential"
    assert obs[("EU27_2020", "20141150", 2023)].production_value.status == "not_available"
    assert obs[("EU27_2020", "20141130", 2022)].production_value.value == 1_000_000
    assert parse.years() == [2022, 2023]


def test_compressed_files_read_the_same(tmp_path: Path) -> None:
    gz = tmp_path / "api.csv.gz"
    with API_FILE.open("rb") as source, gzip.open(gz, "wb") as sink:
        shutil.copyfileobj(source, sink)
    archive = tmp_path / "epannsold-r2.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(BULK_FILE, "epannsold-r2.csv")
    assert parse_prodcom(gz).observations == parse_prodcom(API_FILE).observations
    assert parse_prodcom(archive).observations == parse_prodcom(BULK_FILE).observations


def test_unknown_header_is_refused_with_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "other.csv"
    bad.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(
        ProdcomFormatError, match=r"other\.csv: line 1 \(header\) is not a PRODCOM layout"
    ):
        parse_prodcom(bad)
    assert layout_of("freq,decl,prccode,indicators,TIME_PERIOD,OBS_VALUE") == "api"  # DS-056120


def test_eu_production_confidential_missing_and_computed() -> None:
    parses = [parse_prodcom(API_FILE)]
    ok = eu_production(parses, ["20141130"], 2023)
    assert (ok.status, ok.value_eur, ok.quantity, ok.unit) == (
        "computed",
        1_200_000,
        1_500_000,
        "kg",
    )
    assert ok.file_hashes == (parses[0].sha256,)
    conf = eu_production(parses, ["20141130", "20141140"], 2023)
    assert conf.status == "confidential" and conf.value_eur is None
    assert conf.note == "confidential in PRODCOM: 20141140 (EU27_2020, 2023)"
    gone = eu_production(parses, ["20141130", "20149999"], 2023)
    assert gone.status == "missing" and "20149999" in gone.note
    year = eu_production(parses, ["20141130"], 2021)
    assert year.status == "missing" and "2021" in year.note
    # an estimate counts, its quantity is unusable (rejected row), so no quantity total
    est = eu_production(parses, ["20141150"], 2023)
    assert (est.value_eur, est.quantity) == (800, None)


def test_store_round_trip(tmp_path: Path) -> None:
    parse = parse_prodcom(API_FILE)
    save_parse(parse, tmp_path)
    (loaded,) = load_parses(tmp_path)
    assert loaded == parse


def test_correspondence_eurostat_style_and_shipped() -> None:
    table = read_correspondence(DATA / "prodcom_cn8_eurostat_style.csv")
    assert [(link.prccode, link.cn8) for link in table.links] == [
        ("20141130", "29012100"),
        ("20141140", "29012200"),
        ("20141140", "29012299"),
    ]
    assert [(r.line, r.reason) for r in table.rejected] == [
        (5, "PRODCOM code '2014' is not an 8-character PRODCOM code")
    ]
    assert table.prodcom_for(["29012200", "29012300"]) == {"20141140": ["29012200"]}
    assert table.cn8_for("20141140") == ["29012200", "29012299"]
    shipped = load_correspondence()
    assert shipped.rejected == ()


@pytest.mark.parametrize(
    ("production", "imports", "exports", "consumption", "reliance"),
    [
        (100.0, 40.0, 10.0, 130.0, 30.0 / 130.0),  # net importer
        (100.0, 10.0, 40.0, 70.0, 0.0),  # net exporter: no reliance
        (0.0, 50.0, 0.0, 50.0, 1.0),  # no EU production
        (0.0, 10.0, 10.0, 0.0, None),  # no consumption: undefined
        (None, 10.0, 1.0, None, None),  # unknown production: never zero
    ],
)
def test_formulas_by_hand(production, imports, exports, consumption, reliance) -> None:
    assert apparent_consumption(production, imports, exports) == consumption
    assert import_reliance(production, imports, exports) == reliance


def test_producer_price() -> None:
    assert producer_price(1_200_000.0, 1_500_000.0) == pytest.approx(0.8)
    assert producer_price(1.0, 0.0) is None
    assert producer_price(None, 1.0) is None


def test_correspondence_from_eurostat_xkos_jsonld() -> None:
    table = read_correspondence(DATA / "CN2024_PRODCOM2024_miniature.jsonld")
    assert [(link.prccode, link.cn8, link.prodcom_year, link.cn_year) for link in table.links] == [
        ("20141130", "29012100", 2024, 2024),
        ("20141247", "29024200", 2024, 2024),
        ("20141247", "29024400", 2024, 2024),
    ]
    assert [(r.line, r.reason) for r in table.rejected] == [
        (4, "needs one CN and one PRODCOM concept")
    ]


def test_shipped_correspondence_links_registry_codes() -> None:
    shipped = load_correspondence()
    assert shipped.rejected == () and len(shipped.links) == 57
    assert shipped.prodcom_for(["29012100"]) == {"20141130": ["29012100"]}
    # a PRODCOM heading covering two CN8 codes (m-xylene and mixed xylene isomers)
    assert shipped.cn8_for("20141247") == ["29024200", "29024400"]

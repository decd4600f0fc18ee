"""Trade diversion raised by the monitor as an alert, on a miniature Comext bulk file.

``data/comext_v2_tio2_diversion.dat`` (Comext bulk v2 layout; only the reporter, partner,
trade type, CN code, flow, period, value and mass columns are read, the other
classification columns repeat the sample file's) holds German extra-EU imports of titanium
dioxide, CN 28230000, 2022-11 to 2025-06, from three partners. Each month's mass is the
level below times 1.02 in even months and 0.98 in odd ones (counted from 2022-11), so every
12-month mean is the level itself; the value is 3 EUR/kg throughout.

=======  ====================  ====================
partner  2022-11 to 2024-06    2024-07 to 2025-06
=======  ====================  ====================
CN       100,000 kg a month    20,000 kg a month
IN        10,000 kg a month    60,000 kg a month
US        50,000 kg a month    50,000 kg a month
=======  ====================  ====================

The register case ``td-ad696-tio2-cn`` (anti-dumping, China) was initiated on 2023-11-13
with provisional duties on 2024-07-10. Before = 2022-11..2023-10, after = 2024-07..2025-06.
By hand: India 10,000 → 60,000 kg, +500 %; its share 10/160 = 6.25 % → 60/130 = 46.15 %
(+39.9 points); China 100,000 → 20,000 kg, -80 %; the US 50,000 → 50,000, +0 %. So India,
and only India, is a diversion suspect, dated 2024-07.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from critchem.api import create_app
from critchem.core.settings import Settings
from critchem.services.alerts import open_store, show_alert
from critchem.services.bulletin import make_bulletin
from critchem.services.monitor import MonitorReport, run_monitor
from critchem.services.trade import ingest_paths
from critchem.surveillance.base import Series
from critchem.surveillance.detectors.diversion import TradeDiversionDetector
from critchem.trade import synthetic
from critchem.trade.periods import monthly_periods
from tests.web.conftest import Browser

DATA = Path(__file__).parent / "data" / "comext_v2_tio2_diversion.dat"
SYNTHETIC_CODE = "29012100"


def _synthetic_load(root: Path) -> Path:
    """Generated ethylene imports with one import surge in late 2024 (source ``synthetic``)."""
    data = synthetic.generate(
        [SYNTHETIC_CODE],
        start="2021-01",
        end="2025-06",
        seed=11,
        reporters=["DE"],
        plan=[("import_surge", 0.85, 1, 3, 4.0)],
    )
    return synthetic.write(data, root / "synthetic") / "synthetic_flows.parquet"


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory) -> tuple[MonitorReport, Settings]:
    """One monitor run over the real-format TiO2 file and a synthetic load together."""
    home = tmp_path_factory.mktemp("diversion_alert")
    settings = Settings(home=home, store_path=home / "store")
    ingest_paths([DATA, _synthetic_load(home)], store_root=settings.store, progress=False)
    report = run_monitor(store_root=settings.store, database_url=settings.database_url)
    return report, settings


def _diversion(report: MonitorReport) -> dict[str, Any]:
    (alert,) = [a for a in report.alerts if any("trade_diversion" in e for e in a["evidence"])]
    return alert


def test_the_monitor_raises_india_and_only_india(monitored: tuple[MonitorReport, Settings]) -> None:
    report, _ = monitored
    alert = _diversion(report)
    assert (alert["product"], alert["partner"], alert["period"]) == ("28230000", "IN", "2024-07-01")
    assert alert["severity"] in ("amber", "red")
    (line,) = [e for e in alert["evidence"] if e.startswith("trade_diversion")]
    assert "IN up +500% (6% to 46% of extra-EU imports)" in line and "CN -80%" in line
    title = alert["title"]
    assert "from India up 500 %" in title
    assert (
        "possible diversion after the EU anti-dumping measure on Titanium dioxide from China"
        in (title)
    )
    assert "trade_diversion" not in title and title.endswith("2024-07")


def test_stored_event_carries_the_numbers_and_the_case(
    monitored: tuple[MonitorReport, Settings],
) -> None:
    _, settings = monitored
    store = open_store(settings.database_url)
    try:
        (row,) = [a for a in store.list(limit=100) if "possible diversion" in a.title]
        detail = show_alert(store, row.id)
    finally:
        store.dispose()
    (event,) = [e for e in detail.events if e.detector == "trade_diversion"]
    ev = event.evidence
    assert ev["case"] == "td-ad696-tio2-cn" and ev["case_source"].startswith("https://eur-lex")
    assert ev["partner_kg_before"] == pytest.approx(10_000)
    assert ev["partner_kg_after"] == pytest.approx(60_000)
    assert ev["share_before"] == pytest.approx(10 / 160)
    assert ev["share_after"] == pytest.approx(60 / 130)
    assert ev["targeted_change"] == pytest.approx(-0.8)
    assert ev["before"] == ["2022-11", "2023-10"] and ev["after"] == ["2024-07", "2025-06"]
    assert "td-ad696-tio2-cn" in [e.id for e in detail.linked_events]
    assert detail.data_source == "real"


def test_labels_follow_each_series_not_the_run(monitored: tuple[MonitorReport, Settings]) -> None:
    report, settings = monitored
    by_product = {(a["product"], a["data_source"]) for a in report.alerts}
    assert ("28230000", "real") in by_product and ("28230000", "synthetic") not in by_product
    assert (SYNTHETIC_CODE, "synthetic") in by_product
    assert (SYNTHETIC_CODE, "real") not in by_product
    store = open_store(settings.database_url)
    try:
        rows = store.list(limit=100)
    finally:
        store.dispose()
    for row in rows:
        expected = ["synthetic"] if row.product == SYNTHETIC_CODE else ["comext_bulk"]
        assert row.provenance["sources"] == expected, row.title
        assert row.provenance["run_sources"] == ["comext_bulk", "synthetic"]


def test_detail_page_and_json_twin(monitored: tuple[MonitorReport, Settings]) -> None:
    _, settings = monitored
    app = create_app(settings)
    try:
        browser = Browser(app)
        listed = browser.get("/alerts.json").json()["alerts"]
        (real,) = [a for a in listed if "possible diversion" in a["title"]]
        data = browser.get(f"/alerts/{real['id']}.json").json()
        assert data["data_source"] == "real" and data["sources"] == ["comext_bulk"]
        assert "trade_diversion" in data["detectors"]
        assert "td-ad696-tio2-cn" in [e["id"] for e in data["alert"]["linked_events"]]
        html = browser.get(f"/alerts/{real['id']}").text
        assert "possible diversion after the EU anti-dumping measure" in html
        assert "SYNTHETIC" not in html and "https://eur-lex.europa.eu/" in html
        fake = next(a for a in listed if a["product"] == SYNTHETIC_CODE)
        assert browser.get(f"/alerts/{fake['id']}.json").json()["data_source"] == "SYNTHETIC"
        assert "SYNTHETIC" in browser.get(f"/alerts/{fake['id']}").text
    finally:
        app.state.alert_store.dispose()


def test_china_collapsing_is_not_read_as_a_share_gain(
    monitored: tuple[MonitorReport, Settings],
) -> None:
    """China falls 80 %: its alert says it nearly stops supplying, never that it gains share.

    By hand (3-month shares from 2024-09 against the 12 months before): CN 20/130 = 15.4 %
    against 62.5 %, below half, so it is a vanished supplier set against its own 62.5 %
    (-47 points), not against 0 (which read "+15 points"). India gains, from 2024-07.
    """
    report, settings = monitored
    real = [a for a in report.alerts if a["product"] == "28230000"]
    gains = [
        (a["partner"], line)
        for a in real
        for line in a["evidence"]
        if line.startswith("concentration_shift") and " gains " in line
    ]
    assert gains == [
        ("IN", "concentration_shift: IN gains 25 points of import share in 3 months (now 31%)")
    ]
    (china,) = [
        a
        for a in real
        if any(line.startswith("concentration_shift") for line in a["evidence"])
        and a["partner"] == "CN"
    ]
    assert [line for line in china["evidence"] if line.startswith("concentration_shift")] == [
        "concentration_shift: CN (62% of the last 12 months) nearly stops supplying"
    ]
    app = create_app(settings)
    try:
        browser = Browser(app)
        listed = browser.get("/alerts.json").json()["alerts"]
        (row,) = [a for a in listed if a["title"] == china["title"]]
        html = browser.get(f"/alerts/{row['id']}").text
        assert "CN (62% of the last 12 months) nearly stops supplying" in html
        assert "of import share" not in html
    finally:
        app.state.alert_store.dispose()


def test_bulletin_names_the_case_and_labels_per_alert(
    monitored: tuple[MonitorReport, Settings], tmp_path: Path
) -> None:
    _, settings = monitored
    out = make_bulletin(period="2024-07", database_url=settings.database_url, out_dir=tmp_path)
    html = out.html.read_text(encoding="utf-8")
    assert "possible diversion after the EU anti-dumping measure on Titanium dioxide" in html
    assert "initiated 2023-11-13 (register td-ad696-tio2-cn" in html
    assert "real trade statistics" in html


def test_silent_without_a_case_on_the_code() -> None:
    periods = monthly_periods(32, start=date(2022, 11, 1))
    jump = np.r_[np.full(20, 10.0), np.full(12, 60.0)]
    fall = np.r_[np.full(20, 100.0), np.full(12, 20.0)]
    key = {"product": "99999999", "reporter": "EU27", "flow": "1"}
    series = Series(key, periods, jump + fall, {"CN": fall, "IN": jump})
    assert TradeDiversionDetector().fit(series).detect() == []
    tio2 = Series({**key, "product": "28230000"}, periods, jump + fall, {"CN": fall, "IN": jump})
    (event,) = TradeDiversionDetector().fit(tio2).detect()
    assert event.key["partner"] == "IN" and event.period == date(2024, 7, 1)


def test_the_bundled_real_extracts_cannot_show_a_diversion() -> None:
    """No case of the register can be screened on the real extracts shipped with the package.

    The monthly Comext extract has partner WORLD only (no origin to gain share), the
    partner-level extract is one year (2024, no before and after), and neither holds a code
    of a trade-defence case. If one ever does, this test says to look at the answer.
    """
    import csv
    import gzip

    from critchem.events import load_events
    from critchem.services.demo import REAL_EXTRACTS, bundled_extract
    from critchem.surveillance.detectors.diversion import cases_on

    cases = load_events("trade-defence")
    monthly, _, annual = (bundled_extract(name) for name in REAL_EXTRACTS[:3])
    with gzip.open(monthly, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["partner"] for r in rows} == {"WORLD"}
    assert not [c for c in {r["product"] for r in rows} if cases_on(c, cases)]
    with gzip.open(annual, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["PERIOD"] for r in rows} == {"2024"}
    assert not [c for c in {r["PRODUCT_NC"] for r in rows} if cases_on(c, cases)]

"""The live monitor's batched path stores the alerts of the monitor run series by series.

One store (a real-format Comext file cut to two codes, and a seeded SYNTHETIC load with the
generator's four default events), two full monitor runs into two fresh alert databases: one
with every detector fitted series by series, one with the batched detectors
(:func:`critchem.surveillance.scan.detect_series`). The stored alerts, their events
(months, severities, statistics, messages) and the evidence must be the same; numbers that
come from STL or BOCPD agree to ``1e-9`` (the batched filters sum in another order).
"""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from critchem.services.demo import REAL_EXTRACTS, bundled_extract
from critchem.services.monitor import MonitorReport, run_monitor
from critchem.services.trade import ingest_paths
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.alerts.models import Alert
from critchem.trade import synthetic

CODES = ("39204990", "39199080", "32151900")
SYNTHETIC_CODES = ["29012100", "28042910"]


def _real_cut(root: Path) -> Path:
    """The bundled Comext SDMX extract cut to ``CODES`` (its rows as published)."""
    target = root / "comext_DS-045409_cut.csv.gz"
    with gzip.open(bundled_extract(REAL_EXTRACTS[0]), "rt", encoding="utf-8") as source:
        header, *lines = source.read().splitlines()
    kept = [line for line in lines if line.split(",")[3] in CODES]
    with gzip.open(target, "wt", encoding="utf-8") as out:
        out.write("\n".join([header, *kept]) + "\n")
    return target


def _synthetic_load(root: Path) -> Path:
    data = synthetic.generate(
        SYNTHETIC_CODES,
        start="2020-01",
        end="2025-06",
        seed=7,
        reporters=["DE", "FR"],
    )
    return synthetic.write(data, root / "synthetic") / "synthetic_flows.parquet"


def _stored(url: str) -> list[dict[str, Any]]:
    """Every stored alert with its events, without row ids and clock times."""
    store = AlertStore(url)
    try:
        with store.session() as session:
            alerts = session.scalars(
                select(Alert).options(selectinload(Alert.events)).order_by(Alert.fingerprint)
            ).all()
            return [
                {
                    **{
                        c: getattr(a, c)
                        for c in (
                            "fingerprint",
                            "molecule_id",
                            "product",
                            "reporter",
                            "partner",
                            "flow",
                            "severity",
                            "families",
                            "state",
                            "title",
                            "first_seen_period",
                            "last_seen_period",
                            "evidence",
                        )
                    },
                    "sources": a.provenance.get("sources"),
                    "events": sorted(
                        (
                            {
                                c: getattr(e, c)
                                for c in (
                                    "event_key",
                                    "detector",
                                    "detector_version",
                                    "family",
                                    "period",
                                    "statistic",
                                    "threshold",
                                    "severity",
                                    "message",
                                    "key",
                                    "evidence",
                                )
                            }
                            for e in a.events
                        ),
                        key=lambda e: (e["event_key"], e["detector"], e["period"]),
                    ),
                }
                for a in alerts
            ]
    finally:
        store.dispose()


def _same(a: Any, b: Any, where: str = "") -> None:
    """Equal, floats to ``1e-9`` relative."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple) and isinstance(b, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9, nan_ok=True), where
    elif isinstance(a, date | datetime | str | int | bool | None):
        assert a == b, where
    else:
        raise AssertionError(f"{where}: unexpected {type(a)}")


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[bool, tuple[MonitorReport, list[dict[str, Any]]]]:
    root = tmp_path_factory.mktemp("monitor_batched")
    ingest_paths(
        [_real_cut(root), _synthetic_load(root)], store_root=root / "store", progress=False
    )
    out = {}
    for batched in (False, True):
        url = f"sqlite:///{root / f'alerts_{batched}.db'}"
        report = run_monitor(
            store_root=root / "store", database_url=url, recent=24, batched=batched
        )
        out[batched] = (report, _stored(url))
    return out


def test_the_batched_monitor_stores_the_alerts_of_the_series_by_series_run(
    both: dict[bool, tuple[MonitorReport, list[dict[str, Any]]]],
) -> None:
    (single, single_rows), (batched, batched_rows) = both[False], both[True]
    assert single_rows, "the store should raise alerts"
    assert batched.series == single.series and batched.events == single.events
    _same(batched.alerts, single.alerts, "report")
    _same(batched_rows, single_rows, "stored")


def test_the_batched_detectors_raise_events_in_the_comparison(
    both: dict[bool, tuple[MonitorReport, list[dict[str, Any]]]],
) -> None:
    """The comparison is not vacuous: the batched detectors found something."""
    _, rows = both[True]
    detectors = {e["detector"] for a in rows for e in a["events"]}
    assert detectors & {"seasonal_anomaly", "structural_break", "bocpd", "cusum"}, detectors

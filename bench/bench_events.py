"""Benchmark: the early warning against the real event registers (trade defence first).

    python -m bench.bench_events [--store PATH --db URL] [--no-results]

Without ``--store``, builds a trade store from the bundled real Comext extract (EU27 monthly,
chapters 32, 35 and 39, partner WORLD, 2023-2025) and runs the monitor over it (24 recent
months). With ``--store`` and ``--db``, scores the alerts already in that alert database.

For every case of the trade-defence register (``critchem events list --kind
trade-defence``): was an amber or red alert raised on EU27 imports of its codes from the
named countries in the 24 months up to the initiation, and how many months before
(:func:`critchem.evaluation.case_outcomes`); ``no data`` when the store holds no imports of
the case's codes from those countries. Then the fused alerts are scored against the labels
made from the registers whose code and country the store holds
(:func:`critchem.evaluation.score`, matched on the partner, tolerance 3 months, detections
from 24 months before the start): with no labelled trade in the store, recall is undefined
and nothing is claimed.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

from bench._results import write_section
from critchem.evaluation import Detection, case_outcomes, from_register, score
from critchem.events import load_events

MARKER = "bench_events"
TOLERANCE = 3
BEFORE = 24


def _alerts(store: Path, db: str) -> list[dict[str, object]]:
    from critchem.services.alerts import list_alerts, open_store

    rows = list_alerts(open_store(db), limit=1000)
    return [
        {
            "product": a.product,
            "partner": a.partner,
            "flow": a.flow,
            "severity": a.severity,
            "period": a.last_seen_period.isoformat(),
        }
        for a in rows
    ]


def _held(store: Path) -> set[tuple[str, str]]:
    from critchem.trade.store import TradeStore

    with TradeStore(store) as s:
        rows = s.connection.sql(
            "SELECT DISTINCT product, partner FROM flows WHERE flow = 1"
        ).fetchall()
    return {(str(p), str(c)) for p, c in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--db")
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            store, db, what = args.store, args.db, f"the store {args.store.name}"
        else:
            from critchem.services.demo import REAL_EXTRACTS, bundled_extract
            from critchem.services.monitor import run_monitor
            from critchem.services.trade import ingest_paths

            store, db = Path(tmp) / "store", f"sqlite:///{Path(tmp) / 'alerts.db'}"
            ingest_paths([bundled_extract(REAL_EXTRACTS[0])], store_root=store, progress=False)
            run_monitor(store_root=store, database_url=db, recent=24)
            what = f"the bundled real extract {REAL_EXTRACTS[0]}"
        alerts = _alerts(store, db)
        held = _held(store)
    cases = load_events("trade-defence")
    outcomes = case_outcomes(cases, alerts, held)
    every = from_register(load_events())
    labels = [e for e in every if any(p.startswith(e.product) and c == e.partner for p, c in held)]
    detections = [
        Detection(str(a["product"]), str(a["partner"]), date.fromisoformat(str(a["period"])))
        for a in alerts
        if a["flow"] == "1" and a["severity"] in ("amber", "red")
    ]
    result = score(detections, labels, tolerance=TOLERANCE, before=BEFORE)
    lines = [
        f"<!-- {MARKER} -->",
        "## Early warning against the real event registers",
        "",
        f"Data: {what}; {len(alerts)} alerts ({len(detections)} amber or red on imports).",
        f"Registers: {len(cases)} trade-defence cases, {len(every)} labels (code x country) "
        f"over the three registers, {len(labels)} of them on trade the store holds. "
        f"Matched on the partner, tolerance {TOLERANCE} months, "
        f"detections from {BEFORE} months before a label's start.",
        "",
        "| case | product | countries | initiated | outcome | months before | first alert |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.case} | {o.product} | {' '.join(o.countries)} | {o.initiated} | {o.status} "
            f"| {'' if o.months_before is None else o.months_before} | {o.first_alert or ''} |"
        )
    precision = "undefined" if result.precision is None else f"{result.precision:.2f}"
    recall = "undefined" if result.recall is None else f"{result.recall:.2f}"
    lines += [
        "",
        f"Labels found {result.found} of {result.events}; detections matching a label "
        f"{result.true_detections} of {result.detections} (precision {precision}, recall "
        f"{recall}).",
        "",
        "The bundled extract holds EU27 imports from WORLD only (no partner detail) and none of "
        "the cases' codes, so every case is `no data`: these figures say the registers and the "
        "scoring run on real data, not how early the system warns. Run with `--store` and "
        "`--db` on a Comext bulk store with partner detail to measure lead times.",
        f"<!-- /{MARKER} -->",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_results:
        write_section(MARKER, text)
    return 0

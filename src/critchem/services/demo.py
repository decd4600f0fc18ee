"""The main job on the bundled data: registry, trade store, indicators, criticality.

Steps, each idempotent (a second run re-uses the store: re-ingesting a file is a no-op):

1. resolve the registry and list the critical-molecule candidates with their codes;
2. generate the SYNTHETIC bilateral monthly dataset for the candidates' codes (seeded, with its
   ground truth) unless it is already there;
3. ingest the real Comext SDMX and BACI extracts and the synthetic dataset into the store,
   each load reconciled;
4. compute the indicators of the candidates (synthetic data, EU27, the last full year) and a
   summary of the real Comext extract (EU27 totals per CN8 code); build the evidence of the
   candidates and of the molecules the real partner-level extracts cover;
5. assess the shipped eu-crm demo inputs, and the ILLUSTRATIVE cca demo inputs with a Monte
   Carlo analysis: the critical list with its explanations, and an HTML report with the
   criticality matrix (plus its JSON twin) in ``<home>/demo/reports``;
6. run the monitor on what is new in the store (the last ``DEMO_RECENT_MONTHS`` months count
   as news) and check the alerts against the synthetic dataset's ground truth;
7. import the EXAMPLE project pipeline, optimise its portfolio (HiGHS, against a greedy
   ranking and a what-if with halved budgets) and show the capacity gaps after it, with a map;
8. write the bulletin of the red alerts of the newest week.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from critchem.core.settings import Settings
from critchem.criticality import demo_files
from critchem.reports.criticality_report import write_report
from critchem.services import criticality, trade
from critchem.services.bulletin import BulletinOut, make_bulletin
from critchem.services.demo_investment import run_investment_demo
from critchem.services.indicators import indicator_table
from critchem.services.molecules import critical_candidates
from critchem.services.monitor import ground_truth_check, run_monitor
from critchem.services.sites import sites_under
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.alerts.models import Alert
from critchem.trade import synthetic
from critchem.trade.store import TradeStore

REAL_EXTRACTS = (
    "comext_DS-045409_monthly_EU27xWORLD_ch32-35-39_2023-2025.csv.gz",
    "baci_HS92_V202301_2021_exporters_ZAF_AFG.csv.gz",
    "comext_annual_2024_EU27xpartners_imports_4xCN8.csv.gz",
    "comext_annual_2024_EU27xpartners_imports_silicon_2xCN8.csv.gz",
)
PARTNER_EXTRACT_MOLECULES = (
    "helium",
    "lithium-carbonate",
    "manganese-dioxide",
    "lithium-hydroxide",
    "silicon",
)
"""The molecules whose codes the bundled partner-level Comext extracts cover: their trade
evidence comes from real data (see ``trade/data/SOURCES.md``)."""
DEMO_YEAR = 2024
SYNTHETIC_START, SYNTHETIC_END = "2019-01", "2025-12"
DEMO_RECENT_MONTHS = 24
CCA_DRAWS = 1000
CCA_NOTE = (
    "The cca inputs of this demo are ILLUSTRATIVE placeholders written to exercise the "
    "methodology, not measurements: no conclusion may be drawn from these verdicts."
)


def bundled_extract(name: str) -> Path:
    """The path of a real trade extract shipped in ``critchem.trade``."""
    return Path(str(resources.files("critchem.trade").joinpath("data", name)))


def _synthetic_file(folder: Path, codes: list[str]) -> Path:
    target = folder / "synthetic_flows.parquet"
    if not target.exists():
        dataset = synthetic.generate(codes, start=SYNTHETIC_START, end=SYNTHETIC_END)
        synthetic.write(dataset, folder)
    return target


def _comext_summary(store_root: Path, year: int) -> list[dict[str, Any]]:
    """EU27 imports and exports per CN8 code in ``year`` from the real Comext extract.

    The extract's partner is WORLD (all partners together), so it gives totals and unit
    values, not supplier shares.
    """
    with TradeStore(store_root) as store:
        rel = store.connection.sql(
            """
            SELECT product,
                   sum(value) FILTER (WHERE flow = 1) AS import_value_eur,
                   sum(net_mass_kg) FILTER (WHERE flow = 1) AS import_net_mass_kg,
                   sum(value) FILTER (WHERE flow = 2) AS export_value_eur,
                   sum(net_mass_kg) FILTER (WHERE flow = 2) AS export_net_mass_kg
            FROM flows
            WHERE source = 'comext_sdmx' AND freq = 'M' AND year = $year
              AND partner = 'WORLD' AND reporter NOT IN ('EU27_2020')
            GROUP BY product ORDER BY import_value_eur DESC NULLS LAST
            """,
            params={"year": year},
        )
        names = rel.columns
        rows = [dict(zip(names, row, strict=True)) for row in rel.fetchall()]
    for row in rows:
        for flow in ("import", "export"):
            value, mass = row[f"{flow}_value_eur"], row[f"{flow}_net_mass_kg"]
            row[f"{flow}_unit_value"] = value / mass if value is not None and mass else None
    return rows


def real_events(alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alerts raised on the real Comext extract, red first, with their evidence.

    In the demo store only the Comext SDMX extract has partner totals (partner ``WORLD``);
    the synthetic data name their origins.
    """
    rows = [
        {
            "severity": a["severity"],
            "product": a["product"],
            "flow": "imports" if a["flow"] == "1" else "exports",
            "month": a["period"][:7],
            "evidence": "; ".join(a["evidence"]),
        }
        for a in alerts
        if a.get("partner") == "WORLD"
    ]
    return sorted(rows, key=lambda r: (r["severity"] != "red", r["month"]))


def newest_bulletin(database_url: str, folder: Path) -> BulletinOut | None:
    """The bulletin of the red alerts of the newest ISO week in which an alert changed."""
    store = AlertStore(database_url)
    try:
        with store.session() as session:
            newest = session.scalar(select(func.max(Alert.updated_at)))
    finally:
        store.dispose()
    if newest is None:
        return None
    year, week, _ = newest.isocalendar()
    return make_bulletin(
        f"{year}-W{week:02d}", database_url=database_url, out_dir=folder, min_severity="red"
    )


def evidence_summary(settings: Settings, molecule_ids: list[str]) -> dict[str, Any]:
    """Build the evidence of ``molecule_ids`` for the demo year and say where each input came from.

    Each molecule's row lists the inputs computed from SYNTHETIC data, those computed from real
    data (with their source), the missing ones, and the ``cca`` verdict from the evidence.
    """
    from critchem.services import evidence

    build = evidence.build(settings, year=DEMO_YEAR, molecules=molecule_ids)
    verdicts = evidence.assess(settings, year=DEMO_YEAR, build_id=build["build_id"])
    rows = []
    for m in verdicts["materials"]:
        real = {name: i["source"] for name, i in m["inputs"].items() if not i["label"]}
        rows.append(
            {
                "molecule": m["molecule"],
                "verdict": m["verdict"],
                "synthetic_inputs": m["synthetic_inputs"],
                "real_inputs": [f"{k} ({v})" for k, v in sorted(real.items())],
                "missing": [g["indicator"] for g in m["missing"]],
                "label": m["label"],
            }
        )
    return {"build": build, "molecules": rows}


def run_demo(
    settings: Settings | None = None, *, say: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Run the demo and return its results (candidates, loads, indicators, assessment)."""
    settings = settings or Settings()
    candidates = critical_candidates()
    codes = sorted({code for m in candidates for code in m.cn8})
    say(f"Generating the synthetic dataset for {len(codes)} CN8 codes (if not done yet) ...")
    synthetic_path = _synthetic_file(settings.home / "demo" / "synthetic", codes)
    paths = [*(bundled_extract(name) for name in REAL_EXTRACTS), synthetic_path]
    say(f"Ingesting {len(paths)} files into {settings.store} ...")
    reports = trade.ingest_paths(paths, store_root=settings.store, progress=False)
    for report in reports:
        say(report.summary())
    indicators = indicator_table(
        settings.store,
        molecules={m.id or m.cas: m.cn8 for m in candidates},
        year=DEMO_YEAR,
        source=synthetic.SOURCE,
    )
    say(f"Building the evidence of {len(candidates)} candidates for {DEMO_YEAR} ...")
    ids = [m.id for m in candidates if m.id]
    built = evidence_summary(settings, ids + [m for m in PARTNER_EXTRACT_MOLECULES if m not in ids])
    files = demo_files()
    assessment = criticality.assess(
        "eu-crm", files.inputs, end_uses=files.end_uses, value_added=files.value_added
    )
    say(f"Assessing the cca demo inputs ({CCA_DRAWS} Monte Carlo draws) ...")
    cca = criticality.assess_demo("cca", sensitivity_draws=CCA_DRAWS, seed=0)
    cca_critical = criticality.critical_list(cca)
    cca_report = write_report(
        cca,
        settings.home / "demo" / "reports" / "cca-assessment.html",
        critical=cca_critical,
        note=CCA_NOTE,
        sites=sites_under(cca, illustrative=True),
    )
    say(f"Criticality report: {cca_report.html}")
    say("Running the detectors on the new data ...")
    monitored = run_monitor(
        store_root=settings.store, database_url=settings.database_url, recent=DEMO_RECENT_MONTHS
    )
    events = [
        {
            "event_type": e.event_type,
            "product": e.product,
            "partner": e.partner,
            "start": e.start,
            "end": e.end,
        }
        for e in synthetic.read_events(synthetic_path.with_name("ground_truth.json"))
    ]
    investment = run_investment_demo(settings, say=say)
    say("Writing the bulletin of the newest week with alerts ...")
    written = newest_bulletin(settings.database_url, settings.home / "demo" / "bulletin")
    end = int(SYNTHETIC_END[:4]) * 12 + int(SYNTHETIC_END[5:]) - 1 - (DEMO_RECENT_MONTHS - 1)
    first = f"{end // 12}-{end % 12 + 1:02d}"
    return {
        "monitor": monitored.to_dict(),
        "real_events": real_events(monitored.alerts),
        "quality": monitored.quality,
        "bulletin": None if written is None else written.model_dump(mode="json", exclude={"items"}),
        "ground_truth": ground_truth_check(monitored.alerts, events, first=first),
        "candidates": [m.model_dump(mode="json") for m in candidates],
        "loads": [r.to_dict() for r in reports],
        "indicators": indicators,
        "evidence": built,
        "comext_summary": _comext_summary(settings.store, DEMO_YEAR),
        "assessment": assessment.model_dump(mode="json"),
        "assessment_rows": assessment.rows(),
        "cca_assessment": cca.model_dump(mode="json"),
        "cca_critical": cca_critical,
        "cca_report": {"html": str(cca_report.html), "json": str(cca_report.json_path)},
        "investment": investment,
    }

"""``critchem demo``: the main job on the bundled data."""

from __future__ import annotations

from rich.console import Console

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.services.demo import CCA_DRAWS, DEMO_RECENT_MONTHS, DEMO_YEAR, run_demo

CCA_CRITICAL_COLUMNS = [
    "material",
    "rank",
    "critical",
    "sr",
    "ei",
    "p_critical",
    "rank_interval",
    "why_sr",
    "why_ei",
    "critical_production",
    "critical_chain",
]
GAP_COLUMNS = [
    "molecule",
    "demand_t",
    "capacity_now_t",
    "closures_t",
    "added_t",
    "capacity_after_t",
    "gap_after_t",
    "imports_replaced_t",
    "dependency_now",
    "dependency_after",
]
INDICATOR_COLUMNS = [
    "molecule_id",
    "import_value",
    "import_unit_value",
    "extra_import_share",
    "extra_import_export_ratio",
    "hhi",
    "gov_hhi",
    "top_supplier",
    "top_supplier_share",
]


@handle_errors
def demo(fmt: Format = FORMAT_OPTION) -> None:
    """Registry, trade store, indicators and criticality on the bundled data."""
    console = Console(stderr=True)
    say = console.print if fmt is Format.table else (lambda _: None)
    results = run_demo(say=say)
    if fmt is Format.json:
        render(results, fmt)
        return
    rows = [
        {
            "name": m["name"],
            "cas": m["cas"],
            "cn8": m["cn8"],
            "hs6": m["hs6"],
            "cn_label": [c["label"].split(" › ")[-1] for c in m["codes"]],
            "value_chain": m["value_chain"],
        }
        for m in results["candidates"]
    ]
    render(rows, fmt, title=f"Critical-molecule candidates ({len(rows)}, March 2025 non-paper)")
    render(
        results["indicators"],
        fmt,
        columns=INDICATOR_COLUMNS,
        title=f"EU27 trade indicators {DEMO_YEAR} (SYNTHETIC data, extra-EU suppliers)",
    )
    built = results["evidence"]
    render(
        [
            {
                "molecule": r["molecule"],
                "verdict": r["verdict"],
                "SYNTHETIC inputs": " ".join(r["synthetic_inputs"]) or "-",
                "real-data inputs": " ".join(r["real_inputs"]) or "-",
                "missing": len(r["missing"]),
            }
            for r in built["molecules"]
        ],
        fmt,
        title=(
            f"Evidence {DEMO_YEAR} (build {built['build']['build_id']}): which inputs came from "
            "SYNTHETIC data, which from real data; `critchem evidence show MOLECULE` for each"
        ),
    )
    render(
        results["comext_summary"][:12],
        fmt,
        title=f"Real Eurostat Comext extract: EU27 totals {DEMO_YEAR} by CN8 (top 12 by imports, EUR, kg)",
    )
    render(
        results["assessment_rows"],
        fmt,
        columns=["material", "critical", "sr", "ei", "sr_stage", "missing"],
        title="eu-crm assessment of the demo inputs (2017 study, rounded published values)",
    )
    render(
        results["cca_critical"],
        fmt,
        columns=CCA_CRITICAL_COLUMNS,
        title=(
            f"cca critical list, {CCA_DRAWS} Monte Carlo draws (ILLUSTRATIVE inputs); report: "
            f"{results['cca_report']['html']}"
        ),
    )
    monitor = results["monitor"]
    counts = {s: sum(a["severity"] == s for a in monitor["alerts"]) for s in ("red", "amber")}
    render(
        [a for a in monitor["alerts"] if a["severity"] == "red"][:15],
        fmt,
        columns=["severity", "title", "events"],
        title=(
            f"Early warning over the last {DEMO_RECENT_MONTHS} months: {counts['red']} red and "
            f"{counts['amber']} amber alerts (red shown; `critchem alerts list` for all)"
        ),
    )
    render(
        results["ground_truth"],
        fmt,
        title="Injected synthetic events in the window: found by the alerts?",
    )
    real = results["real_events"]
    render(
        real[:10],
        fmt,
        columns=["severity", "product", "flow", "month", "evidence"],
        title=(
            f"Real Eurostat Comext extract (EU27 from/to WORLD): {len(real)} alerts, "
            "red first (first 10)"
        ),
    )
    render(
        [
            {"product": q["product"], "flow": q["flow"], "message": q["message"]}
            for q in results["quality"]
        ],
        fmt,
        columns=["product", "flow", "message"],
        title=(
            "Data-quality gate: reporter-months held back as probable misdeclarations "
            "(mass counted at the reporter's usual unit value before the detectors run)"
        ),
    )
    investment = results["investment"]
    render(
        investment["portfolios"],
        fmt,
        title=(
            "Optimised portfolio of the EXAMPLE pipeline (criticality-weighted capacity gap "
            "closed; HiGHS, proven gap) against a greedy ranking and a what-if"
        ),
    )
    render(investment["awards"], fmt, title="Awards of the optimum (M€, EXAMPLE budgets)")
    render(
        investment["gaps"]["molecules"],
        fmt,
        columns=GAP_COLUMNS,
        title=(
            "Capacity gaps after the optimum (ILLUSTRATIVE capacities and market balance, t/year); "
            f"map: {investment['gaps_map']}"
        ),
    )
    written = results["bulletin"]
    if written:
        console.print(
            f"Bulletin {written['week']} ({written['alerts']} red alerts, {written['charts']} charts):"
            f"\n  {written['html']}\n  {written['pdf']}\n  {written['json_path']}"
        )

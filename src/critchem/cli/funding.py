"""``critchem funding``: which instruments fit a project, and the optimised portfolio."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render
from critchem.core.errors import PortfolioError
from critchem.investment.portfolio import Objective, Solution
from critchem.services import investment as service

app = typer.Typer(help="Funding instruments for a project and portfolio optimisation.")

PIPELINE_OPTION = typer.Option(
    None,
    "--pipeline",
    help="Pipeline SQLite database file (default: the service database, CRITCHEM_DATABASE_URL).",
)


def parse_pairs(items: list[str], option: str) -> dict[str, float]:
    """``["a=1.5", "b=2"]`` as ``{"a": 1.5, "b": 2.0}``; a bad item names the option.

    >>> parse_pairs(["investeu=0.5", "*=2"], "--budget-scale")
    {'investeu': 0.5, '*': 2.0}
    """
    pairs: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            if not sep or not key:
                raise ValueError
            pairs[key.strip()] = float(value)
        except ValueError:
            raise PortfolioError(
                f"{option} {item!r}: expected NAME=NUMBER, e.g. investeu=0.5"
            ) from None
    return pairs


@app.command("match")
@handle_errors
def match(
    project_id: str = typer.Argument(..., help="Project id."),
    relevant_costs: float | None = typer.Option(
        None, help="Relevant costs in M€ (default: the cost items' sum, else the capex)."
    ),
    cost_items: Path | None = typer.Option(
        None,
        "--cost-items",
        help="CSV or JSON file of cost items and the support allocated to each: every item "
        "is judged against the cumulation rules and its State-aid intensity ceiling.",
    ),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Which instruments fit the project, up to how much, and each refusal with its rule."""
    checked = None
    if cost_items is not None:
        from critchem.services.cost_items import check_cost_item_file

        checked = check_cost_item_file(cost_items)
        if relevant_costs is None:
            relevant_costs = checked.relevant_costs_meur
    verdicts = service.project_eligibility(
        project_id, pipeline=pipeline, relevant_costs_meur=relevant_costs
    )
    if fmt is Format.json:
        if checked is None:
            render(verdicts, fmt)
        else:
            render(
                {
                    "instruments": [v.model_dump(mode="json") for v in verdicts],
                    "cost_items": checked.model_dump(mode="json"),
                },
                fmt,
            )
        return
    rows = [
        {
            "instrument": v.instrument_id + (" (EXAMPLE)" if v.example else ""),
            "form": v.form,
            "fits": "yes" if v.eligible else "no",
            "up_to_meur": v.max_amount_meur,
            "refusals": "; ".join(f"{r.rule}: {r.reason}" for r in v.refusals),
            "project_source": v.project_source,
        }
        for v in verdicts
    ]
    version = verdicts[0].catalogue_version if verdicts else ""
    render(rows, fmt, title=f"Funding for {project_id} (catalogue {version})")
    if checked is not None:
        render(
            [
                {
                    "item": i.item,
                    "cost_meur": i.cost_meur,
                    "support_meur": i.support_meur,
                    "ceiling_meur": i.ceiling_meur,
                    "room_meur": i.room_meur,
                    "verdict": "allowed" if i.allowed else "refused",
                    "rule": "; ".join(f"{b.rule}: {b.reason}" for b in i.breaches)
                    or i.ceiling_rule,
                }
                for i in checked.items
            ],
            fmt,
            title="Cumulation per cost item: " + ("allowed" if checked.allowed else "REFUSED"),
        )


def _summary(name: str, sol: Solution) -> dict[str, Any]:
    return {
        "portfolio": name,
        "solver": sol.solver,
        "status": sol.status,
        "objective": sol.objective,
        "best_bound": sol.bound,
        "gap_pct": None if sol.gap is None else round(100 * sol.gap, 4),
        "seconds": sol.seconds,
        "projects": len(sol.selected),
        "public_meur": round(sol.public_meur, 3),
        "returned": sol.returned,
        "reason": sol.reason,
    }


def _allocations(name: str, sol: Solution) -> list[dict[str, Any]]:
    return [
        {"portfolio": name, "project_id": a.project_id, "instrument": a.instrument_id,
         "amount_meur": a.amount_meur}
        for a in sorted(sol.allocations, key=lambda a: (a.project_id, a.instrument_id))
    ]  # fmt: skip


@app.command("optimise")
@handle_errors
def optimise(
    objective: Objective = typer.Option(
        Objective.gap,
        "--objective",
        help="gap: criticality-weighted capacity; ghg: tCO2e avoided; score: selection score.",
    ),
    budget_scale: list[str] | None = typer.Option(
        None,
        "--budget-scale",
        help="What-if: INSTRUMENT=FACTOR on its budget (repeat; '*' for every instrument).",
    ),
    drop: list[str] | None = typer.Option(
        None, "--drop", help="What-if: a project dropping out (repeat)."
    ),
    weight: list[str] | None = typer.Option(
        None, "--weight", help="Criticality weight MOLECULE=W for the gap objective (default 1)."
    ),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Seconds per solve."),
    all_projects: bool = typer.Option(
        False, "--all-projects", help="Consider every project, not only those selection retains."
    ),
    pipeline: Path | None = PIPELINE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Choose projects and split funding across instruments (HiGHS), beside the greedy ranking."""
    run = service.optimise_portfolio(
        objective=objective.value,
        budget_scale=parse_pairs(budget_scale or [], "--budget-scale"),
        drop=drop or [],
        time_limit=time_limit,
        weights=parse_pairs(weight or [], "--weight"),
        all_projects=all_projects,
        pipeline=pipeline,
    )
    portfolios = [("optimum", run.optimum), ("greedy", run.greedy)]
    if run.comparison is not None:
        portfolios.append(("what-if", run.comparison.other))
    if fmt is Format.json:
        cmp = run.comparison
        render(
            {
                "objective": objective.value,
                "settings_version": run.config_version,
                "example": run.example,
                "candidates": len(run.problem.candidates),
                "instruments": [dataclasses.asdict(f) for f in run.problem.funds],
                "notes": list(run.problem.notes),
                **{name: dataclasses.asdict(sol) for name, sol in portfolios},
                "comparison": None
                if cmp is None
                else {
                    "entered": list(cmp.entered),
                    "left": list(cmp.left),
                    "objective_change": cmp.objective_change,
                    "objective_change_pct": cmp.objective_change_pct,
                    "budget_change_meur": cmp.budget_change_meur,
                },
            },
            fmt,
        )
        return
    allocations = [row for name, sol in portfolios for row in _allocations(name, sol)]
    if fmt is Format.csv:
        render(allocations, fmt, columns=["portfolio", "project_id", "instrument", "amount_meur"])
        return
    label = " (EXAMPLE budgets)" if run.example else ""
    render(
        [_summary(name, sol) for name, sol in portfolios],
        fmt,
        title=f"Portfolio, objective {objective.value}{label}",
    )
    render(allocations, fmt, title="Awards (M€)")
    if run.comparison is not None:
        cmp = run.comparison
        render(
            {
                "entered": ", ".join(cmp.entered) or "-",
                "left": ", ".join(cmp.left) or "-",
                "objective_change": cmp.objective_change,
                "objective_change_pct": cmp.objective_change_pct,
                **{f"Δ {j} (M€)": v for j, v in cmp.budget_change_meur.items() if v},
            },
            fmt,
            title="What-if against the optimum",
        )


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PortfolioError(f"--as-of {text!r}: expected a date YYYY-MM-DD") from None


@app.command("catalogue")
@handle_errors
def catalogue(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Show what is open on this date, YYYY-MM-DD (default: today)."
    ),
    open_only: bool = typer.Option(False, "--open", help="Only the instruments open that day."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The instrument catalogue on a date: open, not yet open, announced or closed."""
    from critchem.services.investment_ground import catalogue_on

    out = catalogue_on(_as_of(as_of))
    if open_only:
        out = out.model_copy(
            update={"instruments": [i for i in out.instruments if i.availability == "open"]}
        )
    if fmt is Format.json:
        render(out, fmt)
        return
    rows = [
        {
            "instrument": i.id + (" (EXAMPLE)" if i.example else ""),
            "scope": i.scope,
            "on_date": i.availability,
            "opens": i.opens,
            "closes": i.closes,
            "rate": i.max_aid_rate,
            "budget_meur": i.budget_meur,
            "checked": i.checked,
        }
        for i in out.instruments
    ]
    render(rows, fmt, title=f"Funding instruments on {out.as_of} (catalogue {out.version})")


@app.command("funded")
@handle_errors
def funded(
    molecule: str | None = typer.Option(None, "--molecule", help="Only this molecule."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The register of real funded projects, each row with its source."""
    from critchem.services.investment_ground import funded_projects

    rows = funded_projects(molecule)
    if fmt is not Format.table:
        render(rows, fmt)
        return
    render(
        [
            {
                "project": r.project,
                "company": r.company,
                "country": r.country,
                "product": r.molecule or r.product,
                "t_per_year": r.capacity_t_per_year,
                "instrument": r.instrument_id or r.instrument,
                "amount_meur": r.amount_meur,
                "date": r.date,
                "source": r.source.split(";")[0],
            }
            for r in rows
        ],
        fmt,
        title=f"Funded projects (real, sourced): {len(rows)}",
    )


@app.command("timeline")
@handle_errors
def timeline(
    molecule: str = typer.Argument("ammonia", help="Registry molecule id."),
    close: list[str] | None = typer.Option(
        None, "--close", help="What-if: PLANT=YEAR, the plant closes that year (repeat)."
    ),
    cbam_rise: float | None = typer.Option(
        None, "--cbam-rise", help="What-if: the CBAM cost rises by this many EUR/t."
    ),
    pipeline: Path | None = PIPELINE_OPTION,
    store: Path | None = typer.Option(
        None, "--store", help="Store with PRODCOM and trade data for the demand (default: setting)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Capacity 2022-2030 from the public registers: closed, funded, left; candidates ranked."""
    from critchem.core.settings import Settings
    from critchem.services.investment_ground import gap_timeline

    closing = {k: int(v) for k, v in parse_pairs(close or [], "--close").items()}
    settings = Settings()
    out = gap_timeline(
        molecule,
        candidates=service.list_projects(pipeline=pipeline),
        close=closing,
        cbam_rise_eur_per_t=cbam_rise,
        store_root=store or settings.store,
        correspondence=settings.prodcom_correspondence,
    )
    if fmt is not Format.table:
        render(out if fmt is Format.json else out.rows, fmt)
        return
    render(
        out.rows,
        fmt,
        title=f"{molecule}: EU capacity timeline, t/year (plants as of {out.reference_date})",
    )
    render(out.events, fmt, columns=["kind", "name", "capacity_t", "counted_from", "source"])
    if out.candidates:
        render(out.candidates, fmt, title="Candidates by share of the 2030 shortfall closed")
    if out.cbam is not None:
        render(
            [{"year": y, "extra_cost_meur": v} for y, v in out.cbam.extra_cost_meur.items()],
            fmt,
            title=f"What-if: CBAM cost +{out.cbam.rise_eur_per_t:g} EUR/t on the shortfall",
        )
    for line in out.what_if:
        typer.echo(f"what-if: {line}")
    if any(d.status != "not_sourced" for d in out.demand):
        render(
            out.demand,
            fmt,
            columns=["year", "status", "demand_t", "production_t", "imports_t", "exports_t"],
            title="Demand (apparent consumption, t) read from the store",
        )
    typer.echo(out.demand_note)

"""``critchem sites``: critical production sites with their chains and coupling."""

from __future__ import annotations

import sys

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(help="Production sites: which are critical and why.", no_args_is_help=True)


@app.command("critical")
@handle_errors
def critical(
    evidence_year: int | None = typer.Option(
        None,
        "--evidence-year",
        help="Classes from the evidence build of this year (default: demo).",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every EU site of the public capacity registers: critical, undetermined or not, and why."""
    from critchem.services.critical_sites import critical_sites

    out = critical_sites(evidence_year=evidence_year)
    if fmt is Format.json:
        sys.stdout.write(out.model_dump_json(indent=2) + "\n")
        return
    rows = [
        {
            "verdict": s["verdict"],
            "company": s["company"],
            "site": s["site"],
            "country": s["country"],
            "molecules": ", ".join(u["molecule"] for u in s["units"]),
            "co_products": ", ".join(c["molecule"] for c in s["coupled"]),
            "cluster": s["cluster"] or "",
            "reason": s["reason"],
        }
        for s in out.sites
    ]
    title = f"Critical production sites (chains from {out.classes_source})"
    if out.label:
        title = f"{out.label}: {title}"
    render(rows, fmt, columns=list(rows[0]) if rows else None, title=title)
    if fmt is Format.table and out.note:
        typer.echo(out.note, err=True)
    if fmt is Format.table:
        for c in out.clusters:
            a = c["assessment"]
            typer.echo(f"cluster {c['id']}: {a['verdict']}, {a['reason']}", err=True)

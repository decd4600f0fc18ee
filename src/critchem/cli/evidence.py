"""``critchem evidence``: build, show and cover the evidence of the criticality inputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from critchem.cli.output import (
    FORMAT_OPTION,
    OUT_OPTION,
    SPARK_MASTER_OPTION,
    Format,
    handle_errors,
    render,
)

app = typer.Typer(
    help="The evidence base: every criticality input computed from data, with provenance.",
    no_args_is_help=True,
)
STORE_OPTION = typer.Option(None, "--store", help="Trade store folder (default from settings).")
YEAR_OPTION = typer.Option(..., "--year", "-y", help="Reference year of the evidence.")
BUILD_OPTION = typer.Option(None, "--build", help="A build id (default: the newest of the year).")


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@handle_errors
def build(
    year: int = YEAR_OPTION,
    source: str | None = typer.Option(
        None, "--source", help="Trade source only (comext_bulk, comext_sdmx, baci, synthetic ...)."
    ),
    molecule: list[str] | None = typer.Option(
        None, "--molecule", "-m", help="Registry molecule id (repeatable; default: all)."
    ),
    store: Path | None = STORE_OPTION,
    backend: str = typer.Option(
        "duckdb", help="Where the trade families read the store: duckdb or pyspark."
    ),
    spark_master: str | None = SPARK_MASTER_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Compute every indicator of every registry molecule for YEAR and store the build."""
    from critchem.core.settings import Settings
    from critchem.services import evidence

    out = evidence.build(
        Settings(),
        year=year,
        source=source,
        store_root=store,
        molecules=molecule or None,
        backend=backend,
        spark_master=spark_master,
    )
    if fmt is Format.json:
        _json(out)
        return
    render([out], fmt, title="evidence build")


@handle_errors
def show(
    molecule: str = typer.Argument(..., help="Molecule id, name or CAS number."),
    year: int = YEAR_OPTION,
    build_id: str | None = BUILD_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
    out_file: Path | None = OUT_OPTION,
) -> None:
    """The inputs of one molecule with their source, and the missing ones with the reason."""
    from critchem.core.settings import Settings
    from critchem.services import evidence

    out = evidence.show(Settings(), molecule, year=year, store_root=store, build_id=build_id)
    if fmt is Format.json and out_file is None:
        _json(out)
        return
    rows = [
        {
            "indicator": ind,
            "value": r["value"],
            "status": r["label"] or r["status"],
            "source": r["source"],
            "years": "-".join(str(y) for y in r["years"]),
            "codes": " ".join(r["codes"]),
            "note": r["note"],
        }
        for ind, r in out["inputs"].items()
    ]
    rows += [
        {"indicator": g["indicator"], "value": None, "status": g["status"], "note": g["reason"]}
        for g in out["missing"]
    ]
    render(rows, fmt, title=f"evidence of {out['molecule']} ({out['year']})", out=out_file)


@handle_errors
def coverage(
    year: int = YEAR_OPTION,
    build_id: str | None = BUILD_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
    out_file: Path | None = OUT_OPTION,
) -> None:
    """Per indicator: computed, group-code upper bound, confidential, missing (and why)."""
    from critchem.core.settings import Settings
    from critchem.services import evidence

    out = evidence.coverage(Settings(), year=year, store_root=store, build_id=build_id)
    if fmt is Format.json and out_file is None:
        _json(out)
        return
    if fmt is not Format.table:
        render(out["rows"], fmt, out=out_file)
        return
    rows = [{"indicator": ind, **counts} for ind, counts in out["indicators"].items()]
    title = f"evidence coverage {out['year']} ({out['molecules']} molecules)"
    if out["data_label"]:
        title += f", with {out['data_label']} inputs"
    render(rows, fmt, title=title)


app.command("build")(build)
app.command("show")(show)
app.command("coverage")(coverage)

"""``critchem ingest``, ``critchem fetch`` and ``critchem trade``: trade data and indicators."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from critchem.cli.output import (
    FORMAT_OPTION,
    OUT_OPTION,
    SPARK_MASTER_OPTION,
    Format,
    handle_errors,
    render,
)
from critchem.core.settings import Settings
from critchem.services import indicators

app = typer.Typer(help="Trade series and supplier concentration.", no_args_is_help=True)

INPUT_FORMATS = {
    "auto": "auto",
    "comext": "comext_bulk",
    "sdmx": "comext_sdmx",
    "extract": "comext_extract",
    "baci": "baci",
    "comtrade": "comtrade",
    "surveillance": "surveillance",
    "canonical": "canonical",
}
STORE_OPTION = typer.Option(None, "--store", help="Trade store folder (default from settings).")


def _store(store: Path | None) -> Path:
    return store or Settings().store


@handle_errors
def ingest(
    paths: list[Path] = typer.Argument(..., exists=True, help="Files or folders to ingest."),
    input_format: str = typer.Option(
        "auto", "--format", help=f"Input layout: {', '.join(INPUT_FORMATS)}."
    ),
    store: Path | None = STORE_OPTION,
    output: Format = typer.Option(Format.table, "--output", "-o", help="Report format."),
) -> None:
    """Ingest trade files into the store; bad rows are quarantined and every load reconciles."""
    if input_format not in INPUT_FORMATS:
        raise typer.BadParameter(
            f"unknown format {input_format!r}: one of {', '.join(INPUT_FORMATS)}",
            param_hint="--format",
        )
    from critchem.services import trade

    reports = trade.ingest_paths(
        paths,
        store_root=_store(store),
        fmt=INPUT_FORMATS[input_format],
        progress=output is Format.table,
    )
    render(
        [r.to_dict() for r in reports],
        output,
        columns=[
            "path",
            "status",
            "source",
            "rows_read",
            "rows_stored",
            "rows_quarantined",
            "load_id",
        ],
        title="Loads",
    )


@handle_errors
def fetch(
    provider: str = typer.Argument(..., help="comext, baci, comtrade or prodcom."),
    start: str = typer.Option(..., "--from", help="First period (YYYY-MM or YYYY)."),
    end: str = typer.Option(..., "--to", help="Last period (YYYY-MM or YYYY)."),
    dest: Path | None = typer.Option(None, help="Download folder (default from settings)."),
    base_url: str | None = typer.Option(None, help="Another server (a mirror)."),
    reporters: list[str] = typer.Option(
        [], "--reporter", help="Comtrade reporters (M49) or PRODCOM reporters (EU27_2020, DE ...)."
    ),
    key: str | None = typer.Option(None, envvar="COMTRADE_KEY", help="Comtrade subscription key."),
    release: str | None = typer.Option(
        None, help="BACI release, e.g. 202501 (default: latest known)."
    ),
    refresh: bool = typer.Option(
        False,
        "--refresh",
        help="Fetch again the Comext months the server revised (ETag/Last-Modified).",
    ),
) -> None:
    """Download provider files (cached, resumed, checksummed)."""
    from critchem.services import trade

    files = trade.fetch(
        provider,
        start=start,
        end=end,
        dest=dest or Settings().downloads,
        base_url=base_url,
        reporters=reporters,
        subscription_key=key,
        refresh=refresh,
        **({"release": release} if release else {}),
    )
    for path in files:
        Console().print(str(path), highlight=False)


@app.command("series")
@handle_errors
def series(
    query: str = typer.Argument(..., help="CN8/HS6 code or molecule (name, CAS ...)."),
    reporter: str = typer.Option("EU27", help="EU27 or a Member State code."),
    freq: str = typer.Option("M", help="M (monthly) or A (annual)."),
    source: str | None = typer.Option(None, help="Trade source (default: the first present)."),
    backend: str = typer.Option("duckdb", help="duckdb or pyspark."),
    spark_master: str | None = SPARK_MASTER_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
    out: Path | None = OUT_OPTION,
) -> None:
    """Trade indicators period by period: values, masses, unit values, concentration."""
    rows = indicators.trade_series(
        query,
        store_root=_store(store),
        reporter=reporter,
        freq=freq,
        source=source,
        backend=backend,
        spark_master=spark_master,
    )
    render(rows, fmt, title=f"{query}: {reporter} {freq}", out=out)


@app.command("suppliers")
@handle_errors
def suppliers(
    query: str = typer.Argument(..., help="CN8/HS6 code or molecule (name, CAS ...)."),
    year: int = typer.Option(..., help="Year."),
    reporter: str = typer.Option("EU27", help="EU27 or a Member State code."),
    source: str | None = typer.Option(None, help="Trade source (default: the first present)."),
    backend: str = typer.Option("duckdb", help="duckdb or pyspark."),
    spark_master: str | None = SPARK_MASTER_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
    out_file: Path | None = OUT_OPTION,
) -> None:
    """Extra-EU supplier shares in one year, with HHI and governance-weighted HHI."""
    out = indicators.trade_suppliers(
        query,
        store_root=_store(store),
        year=year,
        reporter=reporter,
        source=source,
        backend=backend,
        spark_master=spark_master,
    )
    if fmt is Format.json:
        render(out, fmt, out=out_file)
        return
    marker = f" ({out['marker'].upper()})" if out["marker"] else ""
    if fmt is Format.table:
        summary = {k: v for k, v in out.items() if k not in {"shares", "suppliers"}}
        render(summary, fmt, title=f"{out['target']} {year}{marker}")
        render(out["suppliers"], fmt, title=f"Extra-EU suppliers{marker}", out=out_file)
        return
    flags = {
        "source": out["source"],
        "group_upper_bound": out["group_upper_bound"],
        "codes_note": out["codes_note"],
    }
    render([{**row, **flags} for row in out["suppliers"]], fmt, out=out_file)


@app.command("dependencies")
@handle_errors
def dependencies(
    year: int = typer.Option(..., help="Last year of the window."),
    source: str = typer.Option("comext_bulk", help="Trade source with partner detail."),
    window: int = typer.Option(3, help="Years in the window (CEPII GeoDep: 3)."),
    min_years: int = typer.Option(2, help="Years a criterion must hold in (CEPII GeoDep: 2)."),
    years: int | None = typer.Option(
        None,
        "--years",
        help="1: the Commission's single-year screen of SWD(2021) 352 (window = min-years = 1).",
    ),
    molecules: bool = typer.Option(False, "--molecules", help="Per registry molecule."),
    only_dependent: bool = typer.Option(False, "--dependent", help="Only dependent items."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
    out: Path | None = OUT_OPTION,
) -> None:
    """The strategic-dependency screen (eu-dependency): the Commission's three criteria, held in
    two of three years as in CEPII GeoDep (``--years 1``: the Commission's single year), plus
    GeoDep's world export concentration when the store holds BACI flows of the world."""
    if years is not None:
        if years < 1:
            raise typer.BadParameter("must be 1 or more", param_hint="--years")
        window = min_years = years
    rows = indicators.dependency_screen(
        _store(store),
        last_year=year,
        source=source,
        window=window,
        min_years=min_years,
        molecules=molecules,
    )
    if only_dependent:
        rows = [r for r in rows if r["dependent"]]
    render(rows, fmt, title=f"eu-dependency screen {year - window + 1}-{year} ({source})", out=out)

"""``critchem diversion``: imports from third countries surging after EU trade-defence measures."""

from __future__ import annotations

from pathlib import Path

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render


@handle_errors
def diversion(
    product: str | None = typer.Option(None, "--product", help="CN code or prefix."),
    months: int = typer.Option(12, min=3, max=36, help="Months per window."),
    store: Path | None = typer.Option(None, "--store", help="Trade store folder."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Trade-diversion suspects after each EU trade-defence case of the register."""
    from critchem.core.settings import Settings
    from critchem.services.diversion import diversion as run

    result = run(store_root=store or Settings().store, product=product, months=months)
    if fmt is Format.json:
        render(result, fmt)
        return
    label = " (SYNTHETIC data)" if result["synthetic"] else ""
    tag = {"source": "synthetic"} if result["synthetic"] else {}
    render(
        [{**row, **tag} for row in result["suspects"]],
        fmt,
        columns=["case", "product", "partner", "partner_change", "share_before", "share_after"],
        title=f"Trade-diversion suspects{label}",
    )
    render(
        [{**row, **tag} for row in result["screened"]],
        fmt,
        columns=["case", "code", "status"],
        title="Screened",
    )

"""``critchem unfair``: the unfair-competition signal of one CN code (and partner)."""

from __future__ import annotations

from pathlib import Path

import typer

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render


@handle_errors
def unfair(
    product: str = typer.Argument(..., help="CN8 code."),
    partner: str = typer.Option("WORLD", "--partner", help="Origin (ISO alpha-2) or WORLD."),
    months: int = typer.Option(12, min=3, max=60, help="Months per window."),
    store: Path | None = typer.Option(None, "--store", help="Trade store folder."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Unfair-competition signal of a CN code: volumes, undercutting, price depression, share."""
    from critchem.core.settings import Settings
    from critchem.services.unfair import unfair_competition

    result = unfair_competition(
        product, store_root=store or Settings().store, partner=partner, months=months
    )
    if fmt is Format.json:
        render(result, fmt)
        return
    verdict = "SUSPICION" if result["suspicion"] else "no suspicion"
    title = (
        f"CN {product} from {partner}, {result['window'][0]} to {result['window'][1]}: {verdict}"
        + (" (SYNTHETIC data)" if result["synthetic"] else "")
    )
    render(result["criteria"], fmt, columns=["name", "status", "value", "detail"], title=title)

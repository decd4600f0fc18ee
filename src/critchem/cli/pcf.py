"""``critchem pcf``: product carbon footprints (PACT v3): import and roll-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from critchem.cli.output import FORMAT_OPTION, Format, handle_errors, render

app = typer.Typer(help="Product carbon footprints (PACT v3): import and roll-up.")


@app.command("import")
@handle_errors
def import_(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="JSON, CSV or Excel (.xlsx) file."
    ),
    input_format: str | None = typer.Option(
        None, "--input-format", help="json, csv or xlsx (default: from the file extension)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Validate PACT v3 footprints; bad rows are named (row and field), good rows are kept.

    Exits with status 2 when any row was rejected (the report is still printed).
    """
    from critchem.services.carbon import import_footprints

    report = import_footprints(file, input_format)
    payload: dict[str, Any] = report.model_dump(mode="json", exclude={"footprints"})
    payload["footprints"] = [f.to_pact() for f in report.footprints]
    if fmt is Format.json:
        render(payload, fmt)
    else:
        summary = (
            f"{report.source}: read {report.read}, valid {report.valid}, "
            f"rejected {report.rejected} (sha256 {report.sha256[:12]})"
        )
        rows = [
            {
                "id": str(f.id),
                "product": f.product_name_company,
                "company": f.company_name,
                "geography": f.pcf.geography,
                "pcf_excluding_biogenic_uptake": str(f.pcf.pcf_excluding_biogenic_uptake),
                "declared_unit": f"{f.pcf.declared_unit_amount} "
                f"{f.pcf.declared_unit_of_measurement.value}",
                "primary_data_share_pct": (
                    None if f.pcf.primary_data_share is None else str(f.pcf.primary_data_share)
                ),
            }
            for f in report.footprints
        ]
        render(rows, fmt, title=summary)
        if report.errors:
            render(
                [e.model_dump() for e in report.errors], fmt, title="Rejected rows",
                columns=["row", "field", "message"],
            )  # fmt: skip
    if report.rejected:
        Console(stderr=True).print(
            f"{report.rejected} of {report.read} row(s) rejected: see errors", highlight=False
        )
        raise typer.Exit(2)


@app.command("rollup")
@handle_errors
def rollup(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON roll-up file."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Cradle-to-gate PCF from the inputs' PCFs, process emissions, energy and allocation."""
    from critchem.services.carbon import rollup_file

    result = rollup_file(file)
    if fmt is Format.json:
        render(result, fmt)
        return
    label = " (ILLUSTRATIVE)" if result.source in {"illustrative", "synthetic"} else ""
    title = (
        f"{result.product}{label}: {result.pcf_kgco2e_per_kg:.4g} kgCO2e/kg, "
        f"primary data {result.primary_data_share_pct:.3g} %, "
        f"{result.allocation.value} allocation factor {result.allocation_factor:.4g}"
    )
    render(
        result.contributions, fmt, title=title,
        columns=["name", "kind", "kgco2e_per_kg", "share", "primary_data_share_pct", "hotspot"],
    )  # fmt: skip


@app.command("markets")
@handle_errors
def markets(fmt: Format = FORMAT_OPTION) -> None:
    """Lead-market definitions of low-carbon products, each with its legal source."""
    from critchem.services.carbon import lead_market_definitions

    render(
        lead_market_definitions(), fmt, title="Lead-market definitions",
        columns=None if fmt is Format.json else ["id", "name", "min_savings_pct", "legal_source"],
    )  # fmt: skip


@app.command("claims")
@handle_errors
def claims(fmt: Format = FORMAT_OPTION) -> None:
    """Terms of bio-based content (EN 16575, EN 16640, EN 16785-1) and chain-of-custody models
    (ISO 22095), each with its sources."""
    from critchem.services.carbon import content_claim_terms

    render(
        content_claim_terms(), fmt, title="Content claim terms",
        columns=None if fmt is Format.json else ["kind", "id", "reference", "physical_link"],
    )  # fmt: skip


@app.command("claim")
@handle_errors
def claim(
    quantity: str = typer.Option(
        ..., "--quantity", help="bio-based-content or bio-based-carbon-content."
    ),
    share: float = typer.Option(..., "--share", help="The claimed share, % (0-100)."),
    custody_model: str = typer.Option(
        ..., "--custody-model", help="An ISO 22095 model (see: pcf claims)."
    ),
    source: str = typer.Option(..., "--source", help="Who declares the claim."),
    certificate: str | None = typer.Option(None, "--certificate", help="Certificate or scheme id."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Read a declared bio-based content claim: its standard, and whether its custody model
    keeps a physical link to the product."""
    from critchem.services.carbon import read_content_claim

    reading = read_content_claim(
        {"quantity": quantity, "share_pct": share, "custody_model": custody_model,
         "source": source, "certificate": certificate}
    )  # fmt: skip
    render(reading, fmt, title="Content claim")


@app.command("label")
@handle_errors
def label(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="PACT JSON or CSV file."),
    market: str = typer.Option(..., "--market", help="Definition id (see: pcf markets)."),
    comparator: float | None = typer.Option(
        None, "--comparator", help="Fossil comparator, gCO2e/MJ (when not in the definition)."
    ),
    comparator_source: str | None = typer.Option(
        None, "--comparator-source", help="Where the comparator comes from."
    ),
    energy: float | None = typer.Option(
        None, "--energy-content", help="Energy content of the product, MJ/kg."
    ),
    energy_source: str | None = typer.Option(
        None, "--energy-source", help="Where the energy content comes from."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Label eligibility of each footprint of FILE against a lead-market definition."""
    from critchem.cli.output import fail
    from critchem.services.carbon import label_file

    declared: list[tuple[float, str] | None] = []
    for value, source, flag, source_flag in (
        (comparator, comparator_source, "--comparator", "--comparator-source"),
        (energy, energy_source, "--energy-content", "--energy-source"),
    ):
        if value is None:
            declared.append(None)
        elif not source:
            raise fail(f"{flag} needs its source: add {source_flag}", 2)
        else:
            declared.append((value, source))
    report, checks = label_file(file, market, comparator=declared[0], energy_content=declared[1])
    if report.rejected:
        Console(stderr=True).print(
            f"{report.rejected} of {report.read} footprint(s) rejected (see: pcf import)",
            highlight=False,
        )
    render(
        checks, fmt, title=f"{market}: screening from PACT PCFs (the act's methodology decides)",
        columns=None if fmt is Format.json else [
            "product", "cn_match", "pcf_kgco2e_per_kg", "threshold_kgco2e_per_kg", "savings_pct",
            "eligible", "reason",
        ],
    )  # fmt: skip


FROM_OPTION = typer.Option(
    ..., "--from", help="Base URL of the supplier's PACT host (e.g. https://host/pact)."
)
CLIENT_ID_OPTION = typer.Option(
    ..., "--client-id", envvar="CRITCHEM_PACT_CLIENT_ID", help="Our client_id at that host."
)
CLIENT_SECRET_OPTION = typer.Option(
    ...,
    "--client-secret",
    envvar="CRITCHEM_PACT_CLIENT_SECRET",
    help="Our client_secret at that host (better from the environment variable).",
)
CA_OPTION = typer.Option(
    None, "--ca-file", exists=True, dir_okay=False, help="CA bundle to trust for that host."
)


def _criteria(
    product_id: list[str], company_id: list[str], geography: list[str], status: str | None
) -> dict[str, Any]:
    criteria: dict[str, Any] = {
        "productId": product_id,
        "companyId": company_id,
        "geography": geography,
    }
    if status:
        criteria["status"] = status
    return {k: v for k, v in criteria.items() if v}


@app.command("request")
@handle_errors
def request(
    base_url: str = FROM_OPTION,
    reply_to: str = typer.Option(
        ..., "--reply-to", help="Our host's Action Events URL, where the answer is to go."
    ),
    product_id: list[str] = typer.Option([], "--product-id", help="Product id URN (repeat)."),
    company_id: list[str] = typer.Option([], "--company-id", help="Company id URN (repeat)."),
    geography: list[str] = typer.Option([], "--geography", help="Country or region (repeat)."),
    status: str | None = typer.Option(None, "--status", help="Active or Deprecated."),
    comment: str | None = typer.Option(None, "--comment", help="A note to the supplier."),
    client_id: str = CLIENT_ID_OPTION,
    client_secret: str = CLIENT_SECRET_OPTION,
    ca_file: Path | None = CA_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Ask a supplier's PACT host for footprints (RequestCreatedEvent); it answers later."""
    from critchem.carbon.pact.client import PactRemote
    from critchem.services.pact import request_footprints

    criteria = _criteria(product_id, company_id, geography, status)
    if comment:
        criteria["comment"] = comment
    remote = PactRemote(
        base_url, client_id, client_secret, verify=str(ca_file) if ca_file else True
    )
    try:
        result = request_footprints(remote, criteria, reply_to=reply_to)
    finally:
        remote.close()
    render(result, fmt, title="PCF request sent")
    if result["status"] != 200:
        raise typer.Exit(1)


@app.command("pull")
@handle_errors
def pull(
    base_url: str = FROM_OPTION,
    product_id: list[str] = typer.Option([], "--product-id", help="Product id URN (repeat)."),
    company_id: list[str] = typer.Option([], "--company-id", help="Company id URN (repeat)."),
    geography: list[str] = typer.Option([], "--geography", help="Country or region (repeat)."),
    status: str | None = typer.Option(None, "--status", help="Active or Deprecated."),
    client_id: str = CLIENT_ID_OPTION,
    client_secret: str = CLIENT_SECRET_OPTION,
    ca_file: Path | None = CA_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Pull a supplier's footprints (ListFootprints, every page), each validated (PACT v3)."""
    from critchem.carbon.pact.client import PactRemote
    from critchem.services.pact import pull_footprints

    remote = PactRemote(
        base_url, client_id, client_secret, verify=str(ca_file) if ca_file else True
    )
    try:
        result = pull_footprints(remote, _criteria(product_id, company_id, geography, status))
    finally:
        remote.close()
    render(result, fmt, title="Footprints pulled")

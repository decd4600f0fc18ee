"""Carbon services shared by the CLI and the API: read an input file, run the calculation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from critchem.carbon.cbam import CbamInputs, CbamResult, calculate
from critchem.carbon.embedded import EmbeddedEmissions, ProductionProcess, embedded_chain
from critchem.carbon.importer import ImportReport, read_footprints
from critchem.carbon.lead_markets import Definition, LabelCheck, catalogue, check_label
from critchem.carbon.rollup import RollupInput, RollupResult, rollup
from critchem.core.errors import CarbonInputError

M = TypeVar("M", bound=BaseModel)


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(file)"


def load_json_model(path: Path, model: type[M]) -> M:
    """Read ``path`` as JSON into ``model``; every error names its field (``shipments[2].cn_code``).

    List positions are counted from 1.
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CarbonInputError(f"{path}: cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CarbonInputError(f"{path}: not valid JSON ({exc})") from exc
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_where(err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)
        )
        raise CarbonInputError(f"{path.name}: {exc.error_count()} error(s): {problems}") from exc


def import_footprints(path: Path, fmt: str | None = None) -> ImportReport:
    """Validate the PACT v3 footprints of a JSON or CSV file."""
    return read_footprints(path, fmt)


def rollup_file(path: Path) -> RollupResult:
    """Roll up the footprint described by a JSON roll-up file."""
    return rollup(load_json_model(path, RollupInput))


def cbam_file(path: Path) -> CbamResult:
    """CBAM certificate costs of the shipments of a JSON inputs file."""
    return calculate(load_json_model(path, CbamInputs))


def embedded_file(path: Path) -> list[EmbeddedEmissions]:
    """The SEE of every production process of a JSON file (a list, or one process)."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CarbonInputError(f"{path.name}: not readable JSON ({exc})") from exc
    items = payload if isinstance(payload, list) else [payload]
    processes = []
    for number, item in enumerate(items, start=1):
        try:
            processes.append(ProductionProcess.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise CarbonInputError(
                f"{path.name}: process {number}, {where}: {first['msg']}"
            ) from exc
    try:
        return embedded_chain(processes)
    except CarbonInputError as exc:
        raise CarbonInputError(f"{path.name}: {exc}") from exc


def lead_market_definitions() -> list[Definition]:
    """The shipped lead-market definitions, each with its legal source."""
    return list(catalogue().definitions)


def label_file(
    path: Path,
    market: str,
    *,
    comparator: tuple[float, str] | None,
    energy_content: tuple[float, str] | None,
    fmt: str | None = None,
) -> tuple[ImportReport, list[LabelCheck]]:
    """Check every valid footprint of a PACT file against the definition ``market``."""
    report = read_footprints(path, fmt)
    checks = []
    for footprint in report.footprints:
        try:
            pcf = footprint.pcf_per_kg()
        except ValueError as exc:
            raise CarbonInputError(f"{path.name}: {exc}") from exc
        cn_codes = [
            urn.rsplit(":", 1)[-1].replace(" ", "")
            for urn in footprint.product_classifications or []
            if ":cn:" in urn.lower()
        ]
        checks.append(
            check_label(
                market,
                footprint.product_name_company,
                pcf,
                comparator=comparator,
                energy_content=energy_content,
                cn_codes=cn_codes,
            )
        )
    return report, checks


def content_claim_terms() -> list[dict[str, object]]:
    """The bio-based quantities and chain-of-custody models, one row each, with sources."""
    from critchem.carbon.claims import terms

    shipped = terms()
    rows: list[dict[str, object]] = [
        {
            "kind": "quantity",
            "id": q.id,
            "name": q.name,
            "reference": q.standard,
            "unit": q.unit,
            "physical_link": None,
            "summary": q.summary,
            "source_urls": q.source_urls,
            "version": shipped.version,
        }
        for q in shipped.quantities
    ]
    rows += [
        {
            "kind": "custody model",
            "id": m.id,
            "name": m.name,
            "reference": m.clause,
            "unit": None,
            "physical_link": m.physical_link,
            "summary": m.summary,
            "source_urls": m.source_urls,
            "version": shipped.version,
        }
        for m in shipped.custody_models
    ]
    return rows


def read_content_claim(data: dict[str, object]) -> dict[str, object]:
    """What a declared bio-based content claim says, by the terms of its standards."""
    from critchem.carbon.claims import parse_claim, read_claim

    return read_claim(parse_claim(data)).model_dump()

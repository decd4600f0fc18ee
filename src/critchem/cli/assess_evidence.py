"""``critchem assess --evidence``: verdicts from the evidence table, inputs beside them."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from critchem.cli.output import Format, render


def assess_from_evidence(
    methodology: str, *, year: int | None, impute: str | None, store: Path | None, fmt: Format
) -> None:
    """Assess from the newest evidence build of ``year`` (default: last year)."""
    from critchem.services import evidence
    from critchem.settings import Settings

    if impute is not None and impute not in evidence.IMPUTE_CHOICES:
        raise typer.BadParameter(
            f"unknown imputation {impute!r}: one of {', '.join(evidence.IMPUTE_CHOICES)}",
            param_hint="--impute",
        )
    used_year = year if year is not None else datetime.now(UTC).year - 1
    out = evidence.assess(
        Settings(), year=used_year, methodology=methodology, impute=impute, store_root=store
    )
    if fmt is Format.json:
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    rows = [
        {
            "molecule": m["molecule"],
            "verdict": m["verdict"] + (" (imputed)" if m["imputed"] else ""),
            "class": m.get("class"),
            **{k: v for k, v in m["criteria"].items()},
            "synthetic_inputs": " ".join(m["synthetic_inputs"]),
            "label": m["label"],
            "reasons": "; ".join(m["reasons"])[:200],
        }
        for m in out["materials"]
    ]
    render(rows, fmt, title=f"{methodology} from evidence {out['year']} (build {out['build_id']})")

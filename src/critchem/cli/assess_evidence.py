"""``critchem assess --evidence``: verdicts from the evidence table, inputs beside them."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from critchem.cli.output import Format, render


def assess_from_evidence(
    methodology: str, *, year: int | None, impute: str | None, store: Path | None, fmt: Format
) -> None:
    """Assess from the newest evidence build of ``year`` (default: last year)."""
    from critchem.core.settings import Settings
    from critchem.services import evidence

    if impute is not None and impute not in evidence.IMPUTE_CHOICES:
        raise typer.BadParameter(
            f"unknown imputation {impute!r}: one of {', '.join(evidence.IMPUTE_CHOICES)}",
            param_hint="--impute",
        )
    used_year = year if year is not None else datetime.now(UTC).year - 1
    out = evidence.assess(
        Settings(),
        year=used_year,
        methodology=methodology,
        impute=impute,
        store_root=store,
        with_sites=True,
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
    if out.get("sites") and fmt is Format.table:
        # a second table on the terminal; csv/parquet/xlsx keep one table per output (the
        # sites are in the JSON, and in `critchem sites critical --evidence-year`)
        render(site_rows(out["sites"]), fmt, title=site_title(out["sites"]))


def site_title(sites: dict[str, Any]) -> str:
    """The title of the sites table: counts by verdict and what the chains come from."""
    counts = ", ".join(f"{n} {verdict}" for verdict, n in sites["counts"].items())
    label = f" [{sites['label']}]" if sites["label"] else ""
    return f"Critical production sites{label} ({counts}; chains from {sites['classes_source']})"


def site_rows(sites: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per site: verdict, where, units with their EU share, chains and why."""
    return [
        {
            "verdict": s["verdict"],
            "site": f"{s['company']} · {s['site']}" if s["site"] != s["company"] else s["site"],
            "country": s["country"],
            "units": "; ".join(
                f"{u['molecule']} {u['capacity_t']:,.0f} t"
                + (f" ({u['eu_share']:.0%} of EU)" if u["eu_share"] is not None else "")
                if u["capacity_t"]
                else f"{u['molecule']} (capacity not published)"
                for u in s["units"]
            ),
            "chains": "; ".join(f"{m} → {', '.join(c)}" for m, c in s["chains"].items())[:160],
            "cluster": s.get("cluster") or "",
            "reason": s["reason"][:200],
        }
        for s in sites["sites"]
    ]

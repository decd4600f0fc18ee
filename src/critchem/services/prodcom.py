"""PRODCOM files into the store, with a report that reconciles and says what is unusable and why.

One service shared by the CLI (``critchem prodcom load``) and any other interface.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

MAX_LISTED = 20
"""Rejected rows and uncovered codes listed per file in the report (all are counted)."""


def load_prodcom(
    paths: Iterable[Path],
    *,
    store_root: Path,
    years: Sequence[int] = (),
    correspondence: Path | None = None,
) -> list[dict[str, Any]]:
    """Parse PRODCOM files (API or bulk layout) and keep them in the store.

    Each report gives the file's counts (``rows_read = rows_used + rows_ignored +
    rows_rejected``), its rejected rows with line and reason, the years present and the
    ``years`` asked for but absent, and the PRODCOM codes of chapters 20 (chemicals) that the
    PRODCOM ⇄ CN8 correspondence does not cover (their production cannot be set against
    trade). Nothing is dropped silently: a file is kept with its rejected rows.

    Raises
    ------
    ProdcomFormatError
        When a file is not in a PRODCOM layout (nothing of it is kept).
    """
    from critchem.production.prodcom import load_correspondence, parse_prodcom, save_parse

    table = load_correspondence(correspondence)
    known = table.known_prodcom()
    reports = []
    for path in paths:
        parse = parse_prodcom(Path(path))
        save_parse(parse, store_root)
        present = parse.years()
        chemicals = sorted({o.prccode for o in parse.observations if o.prccode.startswith("20")})
        outside = [code for code in chemicals if code not in known]
        reports.append(
            {
                "path": str(path),
                "layout": parse.layout,
                "sha256": parse.sha256,
                "rows_read": parse.rows_read,
                "rows_used": parse.rows_used,
                "rows_ignored": parse.rows_ignored,
                "rows_rejected": len(parse.rejected),
                "reconciles": parse.reconciles(),
                "observations": len(parse.observations),
                "confidential": sum(
                    o.production_value.status == "confidential" for o in parse.observations
                ),
                "years": present,
                "years_missing": [y for y in years if y not in present],
                "codes_outside_correspondence": len(outside),
                "codes_outside_listed": outside[:MAX_LISTED],
                "correspondence": Path(table.path).name,
                "rejected": [
                    {"line": r.line, "reason": r.reason, "raw": r.raw}
                    for r in parse.rejected[:MAX_LISTED]
                ],
            }
        )
    return reports

"""The trade part of every molecule page, computed for all molecules at once, kept by the store.

A molecule page shows the molecule's monthly EU27 series and the extra-EU supplier shares of
its latest years. One molecule at a time, the first view of a page pays for two queries on
the store. :func:`precompute` computes them for every registry molecule in two queries (the
compiled SQL of the indicator pipeline, :mod:`critchem.trade.indicators.sql`, with the whole
mapping) and writes them to ``<store>/pages/trade-<version>.json``, where ``version`` is the
SHA-256 of the store's manifest (its committed files) and of the code that computes them: a
new load (or a new version of critchem) changes it, so a page never shows figures of files
the store no longer has. ``critchem ingest`` (and the
demo) precompute after loading; the server does it at start when the file is missing. A page
whose molecule is not in the file of the store's current version is computed live, as before.

The figures are those of :func:`critchem.services.indicators.trade_series` (``freq="M"``) and
:func:`~critchem.services.indicators.supplier_years`; a test checks them against each other.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from critchem.evidence.codes import GROUP_NOTE
from critchem.services import indicators
from critchem.trade._layout import FLOWS, MANIFEST, committed_files
from critchem.trade.indicators.reference import EU27

PAGES = "pages"
SUPPLIER_YEARS = 6
"""How many of the latest years get supplier shares on a molecule page."""
FORMAT = 1
"""Version of the page files' layout."""


def store_version(store_root: Path) -> str:
    """The SHA-256 of the store's manifest (its committed files) and of the code computing
    the pages (this module, the indicator services and the compiled SQL's key); empty for an
    empty store."""
    try:
        raw = (Path(store_root) / FLOWS / MANIFEST).read_bytes()
    except OSError:
        return ""
    return hashlib.sha256(raw + _code_key().encode()).hexdigest()


@lru_cache(maxsize=1)
def _code_key() -> str:
    from critchem.trade.indicators.sql import code_key

    digest = hashlib.sha256(code_key().encode())
    for module in (__file__, indicators.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def pages_file(store_root: Path, version: str) -> Path:
    """Where the trade of the molecule pages of one store version is kept."""
    return Path(store_root) / PAGES / f"trade-{version[:24]}.json"


def compute(store_root: Path) -> dict[str, dict[str, Any]]:
    """Molecule id → its page's trade (``source``, ``series``, ``suppliers``, ``marker``).

    Molecules without EU27 rows in the store are left out (their page says why, live).
    """
    from critchem.molecules import load_registry
    from critchem.trade.indicators.sql import eu27_indicators, eu27_suppliers_by_label

    files = committed_files(Path(store_root))
    if not files:
        return {}
    targets = {m.id: m for m in load_registry() if m.cn8}
    mapping, weights = indicators.weighted_mapping_rows(
        {mid: list(m.cn8) for mid, m in targets.items()}
    )
    series_rows = eu27_indicators(files, mapping, freq="M", source=None)
    supplier_rows = eu27_suppliers_by_label(files, mapping, source=None)
    by_molecule: dict[str, list[dict[str, Any]]] = {}
    for row in series_rows:
        by_molecule.setdefault(row["molecule_id"], []).append(row)
    suppliers: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in supplier_rows:
        suppliers.setdefault((row["product"], row["year"]), []).append(row)
    out: dict[str, dict[str, Any]] = {}
    for mid, rows in by_molecule.items():
        chosen = indicators.source_of(rows, None)
        kept = [r for r in rows if r["source"] == chosen]
        if not kept:
            continue
        molecule = targets[mid]
        target = indicators.Target(molecule.name, tuple(molecule.cn8), mid)
        records = [
            indicators.flag_record(
                {c: r[c] for c in indicators.SERIES_COLUMNS if c in r}, weights[mid]
            )
            for r in kept
        ]
        years = sorted({int(str(r["period"])[:4]) for r in records})[-SUPPLIER_YEARS:]
        shares = []
        for year in years:
            summary = indicators.supplier_summary(
                mid,
                target,
                suppliers.get((mid, year), []),
                year=year,
                reporter=EU27,
                source=chosen,
                weights=weights[mid],
            )
            if summary is not None:
                shares.append({"year": year, "hhi": summary["hhi"], "shares": summary["shares"]})
        out[mid] = {
            "source": chosen,
            "series": records,
            "suppliers": shares,
            "marker": GROUP_NOTE if records[0].get("group_upper_bound") else "",
        }
    return out


def precompute(store_root: Path) -> Path | None:
    """Compute the pages' trade of the store's current version and write it (atomically).

    Returns the file written, or None for an empty store or a folder that cannot be written.
    Older versions' files are removed.
    """
    version = store_version(store_root)
    if not version:
        return None
    pages = compute(store_root)
    path = pages_file(store_root, version)
    document = {"format": FORMAT, "store_version": version, "molecules": pages}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".trade-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, separators=(",", ":"))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError:
        return None
    for old in path.parent.glob("trade-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int) -> dict[str, dict[str, Any]]:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        return {}
    molecules: dict[str, dict[str, Any]] = document.get("molecules", {})
    return molecules


def molecule_trade(store_root: Path, molecule_id: str) -> dict[str, Any] | None:
    """The precomputed trade of one molecule page for the store's current version, if any."""
    version = store_version(store_root)
    if not version:
        return None
    path = pages_file(store_root, version)
    try:
        stat = path.stat()
    except OSError:
        return None
    try:
        return _read(str(path), stat.st_mtime_ns).get(molecule_id)
    except (OSError, ValueError):
        return None


def ensure(store_root: Path) -> Path | None:
    """The pages' file of the current version, precomputed now if it is missing."""
    version = store_version(store_root)
    if not version:
        return None
    path = pages_file(store_root, version)
    return path if path.exists() else precompute(store_root)

"""Copy the CLP Annex VI entries of the registry molecules into ``clp_annex_vi.tsv``.

The input is ECHA's unofficial Excel export of Annex VI, Table 3, of Regulation (EC)
No 1272/2008 (CLP) as amended up to the 23rd ATP (Delegated Regulation (EU) 2025/1222), sheet
``ATP23``. An entry is kept when one of its CAS numbers, or its EC number, is the CAS or EC
number of a registry molecule. Nothing else is changed: the hazard classes, H-codes, notes,
ATP and CELEX are copied as ECHA wrote them (line breaks become ``; ``).

Run when the registry or the Annex VI export changes::

    python scripts/extract_clp_annex_vi.py annex_vi_clp_table_atp23_en.xlsx
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from datetime import datetime
from pathlib import Path

import openpyxl

from critchem.molecules import load_registry

OUT = Path(__file__).resolve().parents[1] / "src/critchem/molecules/data/clp_annex_vi.tsv"
COLUMNS = [
    "molecule_id",
    "cas",
    "index_no",
    "chemical_name",
    "ec",
    "hazard_classes",
    "h_codes",
    "notes",
    "atp",
    "celex",
    "in_application",
]
_CAS = re.compile(r"\b\d{2,7}-\d{2}-\d\b")
_EC = re.compile(r"\b\d{3}-\d{3}-\d\b")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return "; ".join(p.strip() for p in str(value).splitlines() if p.strip())


def main(path: str) -> None:
    registry = load_registry()
    by_cas = {str(m.cas): m.id for m in registry}
    by_ec = {str(m.ec): m.id for m in registry if m.ec}
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["ATP23"]
    rows = sheet.iter_rows(values_only=True)
    header: list[str] = []
    for row in rows:
        if row and row[0] == "Index No":
            header = [str(c) for c in row]
            break
    col = {name: i for i, name in enumerate(header)}
    out: list[dict[str, str]] = []
    for row in rows:
        if not row or not row[0]:
            continue
        cas_text = str(row[col["CAS No"]] or "")
        ec_text = str(row[col["EC No"]] or "")
        hits = {by_cas[c] for c in _CAS.findall(cas_text) if c in by_cas}
        if not hits:
            hits = {by_ec[e] for e in _EC.findall(ec_text) if e in by_ec}
        for molecule_id in sorted(hits):
            molecule = registry.get(molecule_id)
            out.append(
                {
                    "molecule_id": molecule_id,
                    "cas": str(molecule.cas),
                    "index_no": _cell(row[col["Index No"]]),
                    "chemical_name": _cell(row[col["Chemical Name"]]),
                    "ec": _cell(row[col["EC No"]]),
                    "hazard_classes": _cell(row[col["Hazard Class and Category Code(s)"]]),
                    "h_codes": _cell(row[col["Classification Hazard Statement Code(s)"]]),
                    "notes": _cell(row[col["Notes"]]),
                    "atp": _cell(row[col["ATP"]]),
                    "celex": _cell(row[col["CELEX"]]),
                    "in_application": _cell(row[col["In application"]]),
                }
            )
    out.sort(key=lambda r: (r["molecule_id"], r["index_no"]))
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"input sha256 {digest} (record it in data/SOURCES.md)")
    print(f"{len(out)} entries for {len({r['molecule_id'] for r in out})} molecules -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])

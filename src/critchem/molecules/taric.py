"""TARIC ten-digit codes of registry molecules, where a trade measure uses them.

A CN8 code can cover several substances (valine and glycine share 2922 49 85); a trade measure
then names the TARIC subdivision of the product concerned (2922 49 85 87 for valine). The file
``data/taric_codes.tsv`` lists each such code with the measure, its legal reference, date and
source; the CN8 of a row must be one of the molecule's codes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from critchem.core.errors import ReferenceDataError
from critchem.molecules.mapping import load_mapping
from critchem.nomenclature._files import read_rows

TARIC_FILE = "taric_codes.tsv"


@dataclass(frozen=True, slots=True)
class TaricCode:
    """A TARIC ten-digit code used by a trade measure for one molecule."""

    molecule_id: str
    taric10: str
    cn8: str
    measure: str
    reference: str
    date: str
    source_url: str
    note: str


def parse_taric(row: dict[str, str], where: str, cn8_of: set[str]) -> TaricCode:
    """Validate one row: ten digits, extending a CN8 of the molecule, with reference and source."""
    taric10, cn8 = row.get("taric10", ""), row.get("cn8", "")
    if len(taric10) != 10 or not taric10.isdigit():
        raise ReferenceDataError(f"{where}: TARIC code {taric10!r} must have ten digits")
    if not taric10.startswith(cn8) or cn8 not in cn8_of:
        raise ReferenceDataError(
            f"{where}: {taric10} must extend a CN8 code of {row.get('molecule_id')!r}"
        )
    for key in ("measure", "reference", "date", "source_url"):
        if not (row.get(key) or "").strip():
            raise ReferenceDataError(f"{where}: '{key}' is required on every row")
    return TaricCode(
        molecule_id=row["molecule_id"],
        taric10=taric10,
        cn8=cn8,
        measure=row["measure"],
        reference=row["reference"],
        date=row["date"],
        source_url=row["source_url"],
        note=row.get("note") or "",
    )


@cache
def load_taric() -> dict[str, tuple[TaricCode, ...]]:
    """The shipped TARIC codes, by molecule id (cached)."""
    mapping = load_mapping()
    out: dict[str, list[TaricCode]] = defaultdict(list)
    for i, row in enumerate(read_rows("critchem.molecules", TARIC_FILE, delimiter="\t"), start=2):
        cn8_of = {link.cn8 for link in mapping.for_molecule(row.get("molecule_id", ""))}
        code = parse_taric(row, f"{TARIC_FILE}: row {i}", cn8_of)
        out[code.molecule_id].append(code)
    return {k: tuple(v) for k, v in out.items()}

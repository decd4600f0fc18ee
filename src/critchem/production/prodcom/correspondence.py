"""The PRODCOM ⇄ CN8 correspondence: which PRODCOM codes cover which CN8 codes.

Eurostat publishes each year the correspondence between the PRODCOM list and the Combined
Nomenclature (the CN codes that each PRODCOM heading covers). critchem reads it from a file:

- the shipped ``data/prodcom_cn8.tsv`` (see ``data/SOURCES.md`` for what it holds and how);
- or any correspondence file a user passes, as Eurostat publishes it (CSV, TSV or ``;``),
  whose header names a PRODCOM column (``PRODCOM``, ``PRCCODE``, ``PRODCOM_CODE`` ...) and a
  CN column (``CN``, ``CN8``, ``CN_CODE`` ...). Codes may carry dots or spaces
  (``20.14.11.30``, ``2901 21 00``).

A row whose codes cannot be read is refused with its line; the good rows beside it are kept.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from critchem.exceptions import ProdcomFormatError
from critchem.production.prodcom._files import delimiter_of, open_text, sha256_of
from critchem.production.prodcom.parse import normalise_code
from critchem.production.prodcom.records import Rejected

SHIPPED = "prodcom_cn8.tsv"
_CN8_RE = re.compile(r"^[0-9]{8}$")


@dataclass(frozen=True, slots=True)
class Link:
    """One PRODCOM code covering one CN8 code."""

    prccode: str
    cn8: str
    prodcom_year: int | None
    cn_year: int | None
    source: str
    line: int


@dataclass(frozen=True, slots=True)
class Correspondence:
    """The links of a correspondence file, its rejected rows and its provenance."""

    path: str
    sha256: str
    links: tuple[Link, ...]
    rejected: tuple[Rejected, ...]

    def prodcom_for(self, cn8_codes: Iterable[str]) -> dict[str, list[str]]:
        """PRODCOM code → the given CN8 codes it covers (only the codes in ``cn8_codes``)."""
        wanted = set(cn8_codes)
        out: dict[str, list[str]] = {}
        for link in self.links:
            if link.cn8 in wanted:
                out.setdefault(link.prccode, []).append(link.cn8)
        return {code: sorted(set(cns)) for code, cns in out.items()}

    def cn8_for(self, prccode: str) -> list[str]:
        """All CN8 codes a PRODCOM code covers."""
        return sorted({link.cn8 for link in self.links if link.prccode == prccode})

    def known_prodcom(self) -> set[str]:
        """Every PRODCOM code of the correspondence."""
        return {link.prccode for link in self.links}


def _pick(columns: list[str], names: tuple[str, ...], path: Path, what: str) -> int:
    upper = [c.strip().upper() for c in columns]
    for name in names:
        if name in upper:
            return upper.index(name)
    for i, column in enumerate(upper):
        if any(column.startswith(name) for name in names):
            return i
    raise ProdcomFormatError(
        f"{path}: line 1 (header) has no {what} column (looked for {', '.join(names)};"
        f" got {', '.join(columns)})"
    )


def _int(text: str) -> int | None:
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() and len(stripped) == 4 else None


def read_correspondence(path: Path) -> Correspondence:
    """Read a PRODCOM ⇄ CN8 correspondence file (shipped layout or as Eurostat publishes it).

    Raises
    ------
    ProdcomFormatError
        When the file cannot be read or has no PRODCOM or CN column.
    """
    path = Path(path)
    with open_text(path) as handle:
        lines = (line for line in handle if not line.startswith("#"))
        header = next(lines, "").rstrip("\r\n")
        delimiter = delimiter_of(header)
        columns = next(csv.reader([header], delimiter=delimiter))
        prc = _pick(columns, ("PRCCODE", "PRODCOM_CODE", "PRODCOM", "PRC"), path, "PRODCOM")
        cn = _pick(columns, ("CN8", "CN_CODE", "CN"), path, "CN")
        upper = [c.strip().upper() for c in columns]
        optional: dict[str, int] = {name: upper.index(name) for name in ("PRODCOM_YEAR", "CN_YEAR", "SOURCE")
                    if name in upper}  # fmt: skip
        links: list[Link] = []
        rejected: list[Rejected] = []
        for line, row in enumerate(csv.reader(lines, delimiter=delimiter), start=2):
            if not any(cell.strip() for cell in row):
                continue
            raw = delimiter.join(row)
            if len(row) <= max(prc, cn):
                rejected.append(Rejected(line, raw, "has too few fields"))
                continue
            code = normalise_code(row[prc])
            cn8 = re.sub(r"[.\s]", "", row[cn])
            reasons = []
            if code is None:
                reasons.append(f"PRODCOM code {row[prc]!r} is not an 8-character PRODCOM code")
            if not _CN8_RE.match(cn8):
                reasons.append(f"CN code {row[cn]!r} is not a CN8 code (8 digits)")
            if reasons or code is None:
                rejected.append(Rejected(line, raw, "; ".join(reasons)))
                continue

            def cell(name: str, current: list[str] = row) -> str:
                i = optional.get(name)
                return current[i] if i is not None and i < len(current) else ""

            links.append(
                Link(code, cn8, _int(cell("PRODCOM_YEAR")), _int(cell("CN_YEAR")),
                     cell("SOURCE").strip() or path.name, line)
            )  # fmt: skip
    return Correspondence(str(path), sha256_of(path), tuple(links), tuple(rejected))


def load_correspondence(path: Path | None = None) -> Correspondence:
    """The shipped correspondence, or the file at ``path``."""
    if path is not None:
        return read_correspondence(path)
    from importlib.resources import as_file, files

    with as_file(files("critchem.production") / "data" / SHIPPED) as shipped:
        return read_correspondence(Path(shipped))

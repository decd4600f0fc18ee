"""The PRODCOM ⇄ CN8 correspondence: which PRODCOM codes cover which CN8 codes.

Eurostat publishes each year the correspondence between the PRODCOM list and the Combined
Nomenclature (the CN codes that each PRODCOM heading covers). critchem reads it from a file:

- the shipped ``data/prodcom_cn8.tsv`` (see ``data/SOURCES.md`` for what it holds and how);
- Eurostat's own publication of the correspondence: the JSON-LD export of the XKOS
  correspondence ``CN<year>_PRODCOM<year>`` (EU ShowVoc / data.europa.eu), a set of
  ``xkos:ConceptAssociation`` resources linking a CN concept (``.../cn2024/290121000080``:
  the CN8 code followed by a 4-digit suffix) to a PRODCOM concept (``.../prodcom2024/20141130``);
- or a table (CSV, TSV or ``;``) whose header names a PRODCOM column (``PRODCOM``,
  ``PRCCODE``, ``PRODCOM_CODE`` ...) and a CN column (``CN``, ``CN8``, ``CN_CODE`` ...). Codes
  may carry dots or spaces (``20.14.11.30``, ``2901 21 00``).

A row whose codes cannot be read is refused with its line; the good rows beside it are kept.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from critchem.core.errors import ProdcomFormatError
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

    def headings_for(self, own: Sequence[str]) -> tuple[list[str], list[str]] | str:
        """(PRODCOM codes of a molecule's CN8 codes ``own``, every CN8 code they cover) or why not.

        There are none when ``own`` is empty or when a CN8 code of it has no PRODCOM code.
        """
        if not own:
            return "the molecule has no CN8 code in the mapping"
        heading = self.prodcom_for(own)
        uncovered = [c for c in own if not any(c in cns for cns in heading.values())]
        if uncovered:
            return (
                f"CN8 {', '.join(uncovered)} has no PRODCOM code in the PRODCOM-CN8 correspondence"
                f" ({Path(self.path).name})"
            )
        covered = sorted({c for code in heading for c in self.cn8_for(code)})
        return sorted(heading), covered

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


XKOS = "http://rdf-vocabulary.ddialliance.org/xkos#"
_YEAR_IN_URI = re.compile(r"(?:cn|prodcom)(\d{4})", re.IGNORECASE)


def _ids(node: dict[str, object], name: str) -> list[str]:
    """The ``@id`` values of a JSON-LD property given by full IRI, ``xkos:`` or bare name."""
    for key in (XKOS + name, f"xkos:{name}", name):
        value = node.get(key)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        return [str(i.get("@id", "")) if isinstance(i, dict) else str(i) for i in items]
    return []


def _is_association(node: dict[str, object]) -> bool:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return any(str(k).endswith("ConceptAssociation") for k in kinds)


def _uri_year(uri: str) -> int | None:
    match = _YEAR_IN_URI.search(uri)
    return int(match.group(1)) if match else None


def read_xkos(path: Path) -> Correspondence:
    """Read Eurostat's JSON-LD export of an XKOS ``CN<year>_PRODCOM<year>`` correspondence.

    Each ``xkos:ConceptAssociation`` gives one link; the concept whose IRI names ``prodcom``
    is the PRODCOM code, the other the CN code (its first 8 digits). An association that
    lacks a concept or whose codes cannot be read is refused (``line`` is its position among
    the associations, from 1).

    Raises
    ------
    ProdcomFormatError
        When the file is not JSON or holds no association.
    """
    path = Path(path)
    with open_text(path) as handle:
        try:
            data = json.load(handle)
        except ValueError as error:
            raise ProdcomFormatError(f"{path}: not a JSON-LD file ({error})") from error
    nodes = data if isinstance(data, list) else data.get("@graph", [data])
    associations = [n for n in nodes if isinstance(n, dict) and _is_association(n)]
    if not associations:
        raise ProdcomFormatError(f"{path}: no xkos:ConceptAssociation in the file")
    links: list[Link] = []
    rejected: list[Rejected] = []
    for position, node in enumerate(associations, start=1):
        concepts = _ids(node, "sourceConcept") + _ids(node, "targetConcept")
        prodcom = [c for c in concepts if "prodcom" in c.lower()]
        other = [c for c in concepts if "prodcom" not in c.lower()]
        raw = str(node.get("@id", ""))
        if len(prodcom) != 1 or len(other) != 1:
            rejected.append(Rejected(position, raw, "needs one CN and one PRODCOM concept"))
            continue
        code = normalise_code(prodcom[0].rstrip("/").rsplit("/", 1)[-1])
        cn8 = other[0].rstrip("/").rsplit("/", 1)[-1][:8]
        if code is None or not _CN8_RE.match(cn8):
            rejected.append(Rejected(position, raw, f"codes cannot be read from {concepts}"))
            continue
        links.append(
            Link(code, cn8, _uri_year(prodcom[0]), _uri_year(other[0]), path.name, position)
        )
    return Correspondence(str(path), sha256_of(path), tuple(links), tuple(rejected))


def read_correspondence(path: Path) -> Correspondence:
    """Read a PRODCOM ⇄ CN8 correspondence file (shipped layout or as Eurostat publishes it).

    Raises
    ------
    ProdcomFormatError
        When the file cannot be read or has no PRODCOM or CN column.
    """
    path = Path(path)
    with open_text(path) as handle:
        first = handle.read(1)
    if first and first in "{[":
        return read_xkos(path)
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

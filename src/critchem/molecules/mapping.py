"""The reviewed CAS ⇄ CN8 ⇄ HS6 mapping, many to many.

A row links one molecule (by CAS) to one CN8 code of one nomenclature year with the kind of
relation (``exact``: the code covers this substance only; ``form``: one of its forms, e.g.
anhydrous vs aqueous ammonia; ``group``: the code covers several substances, ``share`` being
this one's estimated share of the code's trade), a confidence and a source. HS6 is the first
six digits of the CN8 code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from critchem.core.errors import CritchemError, InvalidCnCodeError, ReferenceDataError
from critchem.nomenclature._files import read_rows
from critchem.nomenclature.cn import load_cn
from critchem.nomenclature.codes import CasNumber, CnCode
from critchem.nomenclature.correlation import convert_cn

MAPPING_FILE = "cas_cn8.tsv"
RELATIONS = ("exact", "form", "group")
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class CodeLink:
    """One link between a molecule and a CN8 code."""

    cas: str
    molecule_id: str
    cn8: str
    cn_year: int
    relation: str
    share: float | None
    confidence: str
    source: str
    note: str

    @property
    def hs6(self) -> str:
        """The HS6 subheading of the code."""
        return self.cn8[:6]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (with ``hs6``)."""
        return {**asdict(self), "hs6": self.hs6}


class Mapping:
    """Lookups in both directions: molecule → codes, code → molecules."""

    def __init__(self, links: list[CodeLink]) -> None:
        self.links = links
        self._by_molecule: dict[str, list[CodeLink]] = defaultdict(list)
        self._by_cn8: dict[str, list[CodeLink]] = defaultdict(list)
        for link in links:
            self._by_molecule[link.molecule_id].append(link)
            self._by_cn8[link.cn8].append(link)

    def for_molecule(self, molecule_id: str) -> list[CodeLink]:
        """The codes of one molecule."""
        return list(self._by_molecule.get(molecule_id, []))

    def for_cn8(self, cn8: str) -> list[CodeLink]:
        """The molecules under one CN8 code."""
        return list(self._by_cn8.get(cn8, []))

    def for_hs6(self, hs6: str) -> list[CodeLink]:
        """The molecules under one HS6 subheading."""
        return [link for link in self.links if link.cn8.startswith(hs6)]

    def cn8_in_year(self, link: CodeLink, year: int) -> list[str]:
        """The CN8 codes of ``year`` that carry ``link``'s code, through CN continuity."""
        return [c.code for c in convert_cn(link.cn8, source=link.cn_year, target=year)]


def parse_link(row: dict[str, str], where: str) -> CodeLink:
    """Validate one mapping row; errors name the file row and what is wrong."""
    try:
        cas = str(CasNumber(row["cas"]))
        year = int(row["cn_year"])
        code = CnCode(row["cn8"], year).code
        if code not in load_cn(year):  # the index of codes: no entry is built
            raise InvalidCnCodeError(
                f"CN code {code} does not exist in the Combined Nomenclature {year}"
            )
    except (CritchemError, KeyError, ValueError) as exc:
        raise ReferenceDataError(f"{where}: {exc}") from exc
    if row["relation"] not in RELATIONS:
        raise ReferenceDataError(f"{where}: relation {row['relation']!r} not in {RELATIONS}")
    if row["confidence"] not in CONFIDENCES:
        raise ReferenceDataError(f"{where}: confidence {row['confidence']!r} not in {CONFIDENCES}")
    share: float | None = None
    if row.get("share"):
        share = float(row["share"])
        if not 0.0 < share <= 1.0:
            raise ReferenceDataError(f"{where}: share {share} must be in (0, 1]")
    return CodeLink(
        cas=cas,
        molecule_id=row["molecule_id"],
        cn8=code,
        cn_year=year,
        relation=row["relation"],
        share=share,
        confidence=row["confidence"],
        source=row["source"],
        note=row.get("note") or "",
    )


@cache
def load_mapping() -> Mapping:
    """Load and validate the shipped mapping (cached)."""
    rows = read_rows("critchem.molecules", MAPPING_FILE, delimiter="\t")
    links = [parse_link(row, f"{MAPPING_FILE}: row {i}") for i, row in enumerate(rows, start=2)]
    seen: set[tuple[str, str, int]] = set()
    for link in links:
        key = (link.molecule_id, link.cn8, link.cn_year)
        if key in seen:
            raise ReferenceDataError(f"{MAPPING_FILE}: duplicate link {key}")
        seen.add(key)
    return Mapping(links)

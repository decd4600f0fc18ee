"""The molecule registry: the curated list of molecules critchem monitors.

The registry is a versioned data file (``data/molecules.yaml``) validated on load; the customs
codes of each molecule come from the reviewed mapping (``data/cas_cn8.tsv``, see ``mapping``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from critchem.core.errors import CritchemError, ReferenceDataError
from critchem.molecules.mapping import CodeLink, Mapping, load_mapping
from critchem.nomenclature._compiled import compiled
from critchem.nomenclature._files import data_text
from critchem.nomenclature.codes import CasNumber, EcNumber

REGISTRY_FILE = "molecules.yaml"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Molecule:
    """One molecule of the registry with its customs codes."""

    id: str
    name: str
    cas: CasNumber
    ec: EcNumber | None
    formula: str | None
    synonyms: tuple[str, ...]
    value_chain: str
    sectors: tuple[str, ...]
    feedstocks: tuple[str, ...]
    tags: tuple[str, ...]
    codes: tuple[CodeLink, ...]

    @property
    def cn8(self) -> list[str]:
        """The CN8 codes the molecule falls under (in the mapping's nomenclature year)."""
        return sorted({c.cn8 for c in self.codes})

    @property
    def hs6(self) -> list[str]:
        """The HS6 subheadings the molecule falls under."""
        return sorted({c.cn8[:6] for c in self.codes})

    @property
    def names(self) -> tuple[str, ...]:
        """The preferred name and all synonyms."""
        return (self.name, *self.synonyms)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "id": self.id,
            "name": self.name,
            "cas": str(self.cas),
            "ec": str(self.ec) if self.ec else None,
            "formula": self.formula,
            "synonyms": list(self.synonyms),
            "value_chain": self.value_chain,
            "sectors": list(self.sectors),
            "feedstocks": list(self.feedstocks),
            "tags": list(self.tags),
            "cn8": self.cn8,
            "hs6": self.hs6,
            "codes": [c.to_dict() for c in self.codes],
        }


class Registry:
    """The validated registry, looked up by id, CAS, EC number or tag.

    >>> reg = load_registry()
    >>> reg.by_cas("74-85-1").name
    'Ethylene'
    """

    def __init__(
        self,
        molecules: list[Molecule],
        *,
        version: str,
        sectors: tuple[str, ...],
        value_chains: tuple[str, ...],
    ) -> None:
        self.version = version
        self.sectors = sectors
        self.value_chains = value_chains
        self._by_id = {m.id: m for m in molecules}
        self._by_cas = {str(m.cas): m for m in molecules}
        self._by_ec = {str(m.ec): m for m in molecules if m.ec}

    def __iter__(self) -> Iterator[Molecule]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, key: object) -> bool:
        return key in self._by_id

    def get(self, molecule_id: str) -> Molecule:
        """The molecule with this id."""
        return self._by_id[molecule_id]

    def by_cas(self, cas: str) -> Molecule | None:
        """The molecule with this CAS number, if in the registry."""
        return self._by_cas.get(cas.strip())

    def by_ec(self, ec: str) -> Molecule | None:
        """The molecule with this EC number, if in the registry."""
        return self._by_ec.get(ec.strip())

    def tagged(self, tag: str) -> list[Molecule]:
        """The molecules carrying ``tag`` (e.g. ``cca-nonpaper-2025``)."""
        return [m for m in self._by_id.values() if tag in m.tags]

    def products_of(self, molecule_id: str) -> list[Molecule]:
        """The molecules made from ``molecule_id`` (one step down the value chain)."""
        return [m for m in self._by_id.values() if molecule_id in m.feedstocks]


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReferenceDataError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _load_yaml(text: str) -> Any:
    """The YAML document, with libyaml's safe loader when PyYAML was built with it (several
    times faster), else Python's; PyYAML is imported only here, when a registry is parsed."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def parse_registry(text: str, mapping: Mapping, *, source: str = REGISTRY_FILE) -> Registry:
    """Validate and build a registry from the YAML ``text``; errors name the entry and field."""
    return registry_from_document(_load_yaml(text), mapping, source=source)


def registry_from_document(doc: Any, mapping: Mapping, *, source: str = REGISTRY_FILE) -> Registry:
    """Validate and build a registry from the parsed YAML document ``doc``."""
    if not isinstance(doc, dict) or not isinstance(doc.get("molecules"), list):
        raise ReferenceDataError(f"{source}: expected a mapping with a 'molecules' list")
    sectors = tuple(doc.get("sectors") or ())
    chains = tuple(doc.get("value_chains") or ())
    molecules: list[Molecule] = []
    seen_cas: dict[str, str] = {}
    for i, entry in enumerate(doc["molecules"], start=1):
        where = (
            f"{source}: molecule #{i} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
        )
        if not isinstance(entry, dict):
            raise ReferenceDataError(f"{where}: expected a mapping")
        mid = str(entry.get("id", ""))
        if not _ID_RE.match(mid):
            raise ReferenceDataError(f"{where}: id {mid!r} must be a lowercase slug")
        try:
            cas = CasNumber(str(entry.get("cas", "")))
            ec = EcNumber(str(entry["ec"])) if entry.get("ec") else None
        except CritchemError as exc:
            raise ReferenceDataError(f"{where}: {exc}") from exc
        if str(cas) in seen_cas:
            raise ReferenceDataError(f"{where}: CAS {cas} already used by {seen_cas[str(cas)]}")
        seen_cas[str(cas)] = mid
        mol_sectors = _strings(entry, "sectors", where)
        unknown = [s for s in mol_sectors if sectors and s not in sectors]
        if unknown:
            raise ReferenceDataError(f"{where}: unknown sector(s) {unknown}")
        chain = str(entry.get("value_chain", ""))
        if chains and chain not in chains:
            raise ReferenceDataError(f"{where}: unknown value chain {chain!r}")
        codes = tuple(mapping.for_molecule(mid))
        if not codes:
            raise ReferenceDataError(f"{where}: no CN8 code in the mapping")
        if any(c.cas != str(cas) for c in codes):
            raise ReferenceDataError(f"{where}: the mapping gives another CAS than {cas}")
        molecules.append(
            Molecule(
                id=mid,
                name=str(entry.get("name", "")),
                cas=cas,
                ec=ec,
                formula=str(entry["formula"]) if entry.get("formula") else None,
                synonyms=_strings(entry, "synonyms", where),
                value_chain=chain,
                sectors=mol_sectors,
                feedstocks=_strings(entry, "feedstocks", where),
                tags=_strings(entry, "tags", where),
                codes=codes,
            )
        )
    ids = {m.id for m in molecules}
    if len(ids) != len(molecules):
        raise ReferenceDataError(f"{source}: molecule ids are not unique")
    for m in molecules:
        missing = [f for f in m.feedstocks if f not in ids]
        if missing:
            raise ReferenceDataError(f"{source}: {m.id}: unknown feedstock id(s) {missing}")
    return Registry(
        molecules, version=str(doc.get("version", "")), sectors=sectors, value_chains=chains
    )


@cache
def load_registry() -> Registry:
    """Load and validate the shipped registry (cached)."""
    document = compiled(
        "molecules",
        [("critchem.molecules", REGISTRY_FILE)],
        lambda: _load_yaml(data_text("critchem.molecules", REGISTRY_FILE)),
    )
    return registry_from_document(document, load_mapping())

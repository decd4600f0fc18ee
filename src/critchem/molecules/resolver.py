"""Find molecules by name, synonym, CAS, EC number, formula or customs code, offline.

The registry is searched first (exact, then tolerant of typos with ``rapidfuzz``). Outside the
registry, the ``chemicals`` package resolves about 71,000 compounds offline; its answers are
checked before they are trusted, because it returns unrelated compounds for some names (for
"sulphur" it answers hydrogen sulfide).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from critchem.core.errors import InvalidCasError, NotFoundError
from critchem.molecules.mapping import Mapping, load_mapping
from critchem.molecules.registry import Molecule, Registry, load_registry
from critchem.nomenclature.codes import CasNumber, EcNumber, normalise_code

FUZZY_ACCEPT = 90.0
"""Lowest ``rapidfuzz.fuzz.token_sort_ratio`` score at which a fuzzy name match is accepted."""
FUZZY_MIN_LENGTH = 5
"""Names shorter than this (abbreviations such as AN, MDI, NMP) only ever match exactly."""
FUZZY_SUGGEST = 60.0
"""Lowest score at which a name is offered as a suggestion."""

_SPELLINGS = (("sulph", "sulf"), ("aluminium", "aluminum"), ("caesium", "cesium"))
_FORMULA_RE = re.compile(r"^(?:[A-Z][a-z]?\d*)+$")


def normalise_name(text: str) -> str:
    """Fold a chemical name for comparison: case, accents, British spellings, punctuation.

    >>> normalise_name("Sulphuric  Acid")
    'sulfuric acid'
    >>> normalise_name("Buta-1,3-diene")
    'buta 1 3 diene'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    for british, american in _SPELLINGS:
        folded = folded.replace(british, american)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


@dataclass(frozen=True, slots=True)
class ExternalCompound:
    """A compound found outside the registry (in the ``chemicals`` database)."""

    cas: str
    name: str
    formula: str | None
    source: str = "chemicals"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "cas": self.cas,
            "name": self.name,
            "formula": self.formula,
            "cn8": [],
            "hs6": [],
            "in_registry": False,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Match:
    """One search hit: the molecule, what matched and how well (0-100)."""

    molecule: Molecule
    matched_on: str
    score: float


@dataclass(slots=True)
class Resolver:
    """Resolve queries against a registry and its mapping."""

    registry: Registry
    mapping: Mapping
    _names: dict[str, list[tuple[Molecule, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for molecule in self.registry:
            for name in molecule.names:
                self._names.setdefault(normalise_name(name), []).append((molecule, name))

    # -- search -------------------------------------------------------------------------
    def search(self, text: str, *, limit: int = 10) -> list[Match]:
        """Molecules matching ``text`` best first: identifiers exactly, names tolerantly."""
        query = text.strip()
        exact = self._exact(query)
        if exact:
            return exact[:limit]
        return [m for m in self._fuzzy(query, limit=limit) if m.score >= FUZZY_SUGGEST]

    def _exact(self, query: str) -> list[Match]:
        if CasNumber.looks_like(query):
            molecule = self.registry.by_cas(str(CasNumber(query)))  # raises on a bad check digit
            return [Match(molecule, "cas", 100.0)] if molecule else []
        if EcNumber.looks_like(query):
            molecule = self.registry.by_ec(str(EcNumber(query)))
            return [Match(molecule, "ec", 100.0)] if molecule else []
        code = normalise_code(query)
        if code.isdigit() and len(code) in (4, 6, 8):
            links = [link for link in self.mapping.links if link.cn8.startswith(code)]
            seen = dict.fromkeys(link.molecule_id for link in links)
            return [Match(self.registry.get(mid), f"code {code}", 100.0) for mid in seen]
        hits = self._names.get(normalise_name(query), [])
        if hits:
            return [
                Match(m, name, 100.0) for m, name in dict((m.id, (m, n)) for m, n in hits).values()
            ]
        if _FORMULA_RE.match(query):
            return [Match(m, "formula", 100.0) for m in self.registry if m.formula == query]
        return []

    def _fuzzy(self, query: str, *, limit: int) -> list[Match]:
        choices = [name for name in self._names if len(name) >= FUZZY_MIN_LENGTH]
        from rapidfuzz import fuzz, process  # only for a search that is not an exact match

        results = process.extract(
            normalise_name(query), choices, scorer=fuzz.token_sort_ratio, limit=limit * 3
        )
        best: dict[str, Match] = {}
        for key, score, _ in results:
            for molecule, name in self._names[key]:
                if molecule.id not in best or best[molecule.id].score < score:
                    best[molecule.id] = Match(molecule, name, float(score))
        return sorted(best.values(), key=lambda m: -m.score)[:limit]

    # -- resolve ------------------------------------------------------------------------
    def resolve(self, text: str) -> Molecule | ExternalCompound:
        """The one molecule ``text`` denotes, else a checked compound from ``chemicals``.

        Raises ``InvalidCasError`` for a malformed CAS number and ``NotFoundError`` (with the
        closest names as suggestions) when nothing trustworthy matches.
        """
        query = text.strip()
        exact = self._exact(query)
        if exact:
            return exact[0].molecule
        fuzzy = self._fuzzy(query, limit=5)
        if (
            fuzzy
            and fuzzy[0].score >= FUZZY_ACCEPT
            and (len(fuzzy) == 1 or fuzzy[0].score - fuzzy[1].score >= 2.0)
        ):
            return fuzzy[0].molecule
        external = lookup_external(query)
        if external is not None:
            in_registry = self.registry.by_cas(external.cas)
            return in_registry or external
        suggestions = [
            f"{m.molecule.name} ({m.molecule.cas})" for m in fuzzy if m.score >= FUZZY_SUGGEST
        ]
        hint = f"; closest matches: {', '.join(suggestions)}" if suggestions else ""
        raise NotFoundError(f"No molecule matches {query!r}{hint}", suggestions)


def _element_formula(name: str) -> str | None:
    """The symbol of the element called ``name`` (normalised), if it is an element name."""
    from chemicals.elements import periodic_table

    return str(periodic_table[name].symbol) if name in periodic_table else None


def _is_pure_element(formula: str, symbol: str) -> bool:
    return re.fullmatch(rf"{symbol}\d*", formula) is not None


@cache
def lookup_external(query: str) -> ExternalCompound | None:
    """Resolve a name or CAS with ``chemicals``, keeping only answers that pass the checks.

    Checks: for a CAS query, the answer carries that CAS; for a name, the name must be the
    compound's common or IUPAC name or one of its first synonyms, and an element name must
    give that element (``chemicals`` answers H2S for "sulphur").
    """
    from chemicals.identifiers import search_chemical

    try:
        found = search_chemical(query)
    except (ValueError, KeyError):
        return None
    cas = str(found.CASs)
    try:
        CasNumber(cas)
    except InvalidCasError:
        return None
    formula = str(found.formula) if found.formula else None
    if CasNumber.looks_like(query):
        return ExternalCompound(cas, str(found.common_name), formula) if cas == query else None
    wanted = normalise_name(query)
    names = [
        str(found.common_name or ""),
        str(found.iupac_name or ""),
        *list(found.synonyms or [])[:8],
    ]
    if wanted not in {normalise_name(n) for n in names if n}:
        return None
    symbol = _element_formula(wanted)
    if symbol and (formula is None or not _is_pure_element(formula, symbol)):
        return None
    return ExternalCompound(cas, str(found.common_name), formula)


@cache
def default_resolver() -> Resolver:
    """The resolver over the shipped registry and mapping (cached)."""
    return Resolver(load_registry(), load_mapping())

"""Molecule services: search, show and the list of critical-molecule candidates."""

from __future__ import annotations

from critchem.molecules import (
    CodeLink,
    ExternalCompound,
    Molecule,
    default_resolver,
    load_registry,
)
from critchem.nomenclature import load_cn
from critchem.services.hazard import hazard_out, regulatory_out, taric_out
from critchem.services.schemas import CodeLinkOut, MoleculeOut, SearchHit

CANDIDATE_TAG = "cca-nonpaper-2025"
"""Tag of the molecules eight Member States named in their March 2025 non-paper."""


def _link_out(link: CodeLink) -> CodeLinkOut:
    return CodeLinkOut(
        cn8=link.cn8,
        hs6=link.hs6,
        cn_year=link.cn_year,
        relation=link.relation,
        share=link.share,
        confidence=link.confidence,
        source=link.source,
        note=link.note,
        label=load_cn(link.cn_year).get(link.cn8).label,
    )


def molecule_out(molecule: Molecule) -> MoleculeOut:
    """The public view of a registry molecule."""
    registry = load_registry()
    return MoleculeOut(
        id=molecule.id,
        cas=str(molecule.cas),
        name=molecule.name,
        in_registry=True,
        ec=str(molecule.ec) if molecule.ec else None,
        formula=molecule.formula,
        synonyms=list(molecule.synonyms),
        value_chain=molecule.value_chain,
        sectors=list(molecule.sectors),
        feedstocks=list(molecule.feedstocks),
        products=[m.id for m in registry.products_of(molecule.id)],
        tags=list(molecule.tags),
        cn8=molecule.cn8,
        hs6=molecule.hs6,
        codes=[_link_out(c) for c in molecule.codes],
        hazard=hazard_out(molecule.id),
        regulatory=regulatory_out(molecule.id),
        taric=taric_out(molecule.id),
    )


def _external_out(compound: ExternalCompound) -> MoleculeOut:
    return MoleculeOut(
        id=None,
        cas=compound.cas,
        name=compound.name,
        in_registry=False,
        formula=compound.formula,
        source=compound.source,
    )


def search_molecules(text: str, *, limit: int = 10) -> list[SearchHit]:
    """Registry molecules matching ``text`` (identifiers exactly, names tolerant of typos)."""
    return [
        SearchHit(
            id=m.molecule.id,
            cas=str(m.molecule.cas),
            name=m.molecule.name,
            matched_on=m.matched_on,
            score=round(m.score, 1),
            cn8=m.molecule.cn8,
        )
        for m in default_resolver().search(text, limit=limit)
    ]


def show_molecule(query: str) -> MoleculeOut:
    """The molecule ``query`` denotes (name, synonym, CAS, EC, formula or code).

    Outside the registry, a compound checked in the ``chemicals`` database is returned with
    ``in_registry`` false and no codes.
    """
    found = default_resolver().resolve(query)
    if isinstance(found, ExternalCompound):
        return _external_out(found)
    return molecule_out(found)


def list_molecules(*, tag: str | None = None, sector: str | None = None) -> list[MoleculeOut]:
    """All registry molecules, optionally only those with a tag or serving a sector."""
    out = []
    for molecule in load_registry():
        if tag and tag not in molecule.tags:
            continue
        if sector and sector not in molecule.sectors:
            continue
        out.append(molecule_out(molecule))
    return out


def critical_candidates() -> list[MoleculeOut]:
    """The critical-molecule candidates: the 18 molecules of the March 2025 non-paper."""
    return list_molecules(tag=CANDIDATE_TAG)

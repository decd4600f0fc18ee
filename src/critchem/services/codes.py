"""Code services: a CN8 or HS code with its label, parents, correspondences and molecules."""

from __future__ import annotations

from critchem.core.errors import InvalidCodeError, NotFoundError
from critchem.molecules import CodeLink, load_mapping, load_registry
from critchem.nomenclature import (
    CN_YEARS,
    HS_EDITIONS,
    cn_changes,
    convert_cn,
    convert_hs,
    load_cn,
    load_hs,
    normalise_code,
)
from critchem.services.schemas import (
    CodeCorrespondence,
    CodeMolecule,
    CodeOut,
    CodeParent,
)

DEFAULT_CN_YEAR = 2025


def _molecules(links: list[CodeLink]) -> list[CodeMolecule]:
    registry = load_registry()
    return [
        CodeMolecule(
            id=link.molecule_id,
            cas=link.cas,
            name=registry.get(link.molecule_id).name,
            cn8=link.cn8,
            relation=link.relation,
            share=link.share,
            confidence=link.confidence,
        )
        for link in links
        if link.molecule_id in registry
    ]


def _hs_parents(code: str) -> list[CodeParent]:
    hs = load_hs()
    levels = {2: "HS chapter", 4: "HS heading", 6: "HS subheading"}
    chain = [*hs.ancestors(code), hs.get(code)] if code in hs else []
    return [
        CodeParent(level=levels[e.level], code=e.code, description=e.description) for e in chain
    ]


def _cn_code(code: str, year: int, lang: str = "en") -> CodeOut:
    from critchem.nomenclature.translations import label_in

    entry = load_cn(year).get(code)
    translated = label_in(entry, lang)
    parents = _hs_parents(entry.hs6)
    if entry.subheading and entry.subheading_name:
        parents.append(
            CodeParent(
                level="CN subheading", code=entry.subheading, description=entry.subheading_name
            )
        )
    correspondences = [
        CodeCorrespondence(nomenclature="HS2022", code=entry.hs6, relationship="n:1")
    ]
    for other in CN_YEARS:
        if other == year:
            continue
        for link in convert_cn(code, source=year, target=other):
            correspondences.append(
                CodeCorrespondence(
                    nomenclature=f"CN{other}", code=link.code, relationship=link.relationship
                )
            )
    for edition in HS_EDITIONS:
        if edition == 2022:
            continue
        for hs_link in convert_hs(entry.hs6, source=2022, target=edition):
            correspondences.append(
                CodeCorrespondence(
                    nomenclature=f"HS{edition}",
                    code=hs_link.code,
                    relationship=hs_link.relationship,
                )
            )
    mapping = load_mapping()
    links = [link for link in mapping.links if code in mapping.cn8_in_year(link, year)]
    return CodeOut(
        code=entry.code,
        kind="CN8",
        nomenclature=f"CN{year}",
        label=translated.label,
        label_language=translated.language,
        label_fallback=translated.fallback,
        description=entry.name,
        supplementary_unit=entry.supplementary_unit,
        parents=parents,
        correspondences=correspondences,
        molecules=_molecules(links),
    )


def _hs_code(code: str, year: int) -> CodeOut:
    hs = load_hs()
    entry = hs.get(code)
    children = (
        [e.code for e in load_cn(year).with_prefix(code)]
        if len(code) == 6
        else [e.code for e in hs.subheadings(len(code) + 2) if e.parent == code]
    )
    correspondences: list[CodeCorrespondence] = []
    if len(code) == 6:
        for edition in HS_EDITIONS:
            if edition != 2022:
                for link in convert_hs(code, source=2022, target=edition):
                    correspondences.append(
                        CodeCorrespondence(
                            nomenclature=f"HS{edition}",
                            code=link.code,
                            relationship=link.relationship,
                        )
                    )
    links = [link for link in load_mapping().links if link.cn8.startswith(code)]
    return CodeOut(
        code=entry.code,
        kind={2: "HS2", 4: "HS4", 6: "HS6"}[entry.level],
        nomenclature="HS2022",
        label=entry.description,
        description=entry.description,
        parents=_hs_parents(code)[:-1],
        children=children,
        correspondences=correspondences,
        molecules=_molecules(links),
    )


def show_code(code: str, *, year: int = DEFAULT_CN_YEAR, lang: str = "en") -> CodeOut:
    """A CN8 code of ``year`` or an HS 2022 code (2, 4 or 6 digits), fully described.

    ``lang`` (``en``, ``fr``, ``de``) picks the language of a CN8 label; where the Combined
    Nomenclature's text in it cannot be sourced the label stays English, marked as a fallback.

    Raises
    ------
    InvalidCodeError
        ``code`` is not 2, 4, 6 or 8 digits (spaces and dots aside).
    NotFoundError
        A well-formed code that the nomenclature of ``year`` (or HS 2022) does not have.
    """
    key = normalise_code(code)
    if not (key.isascii() and key.isdigit()) or len(key) not in (2, 4, 6, 8):
        raise InvalidCodeError(
            f"Code {code!r} is not a customs code: expected 8 digits (CN) or 2, 4 or 6 digits (HS)"
        )
    if len(key) == 8:
        if key not in load_cn(year):
            raise NotFoundError(f"CN code {key} does not exist in the Combined Nomenclature {year}")
        return _cn_code(key, year, lang)
    if key not in load_hs():
        raise NotFoundError(f"HS code {key} does not exist in HS 2022")
    return _hs_code(key, year)


def changed_codes(source: int, target: int) -> dict[str, list[str]]:
    """CN codes of ``source`` that changed by ``target`` (consecutive years) and their successors."""
    return {k: [link.code for link in v] for k, v in cn_changes(source, target).items()}

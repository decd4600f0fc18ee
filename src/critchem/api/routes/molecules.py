"""``/molecules``: search and list the registry, show one molecule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from critchem.api.schemas import MAX_PAGE, Page
from critchem.services import molecules
from critchem.services.schemas import MoleculeOut

router = APIRouter(prefix="/molecules", tags=["molecules"])

SEARCH_DEPTH = 200
"""How many search hits ``q`` considers before the tag and sector filters."""


def _find(q: str | None, tag: str | None, sector: str | None) -> list[MoleculeOut]:
    listed = molecules.list_molecules(tag=tag, sector=sector)
    if not q:
        return listed
    by_id = {m.id: m for m in listed}
    hits = molecules.search_molecules(q, limit=SEARCH_DEPTH)
    return [by_id[h.id] for h in hits if h.id in by_id]


@router.get("", response_model=Page[MoleculeOut], summary="Search or list molecules")
def list_molecules(
    q: Annotated[
        str | None,
        Query(max_length=200, description="Name, synonym, CAS, EC, formula or code (fuzzy)."),
    ] = None,
    tag: Annotated[str | None, Query(max_length=100, description="Only with this tag.")] = None,
    sector: Annotated[
        str | None, Query(max_length=100, description="Only serving this sector.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[MoleculeOut]:
    """Registry molecules, best match first when ``q`` is given, else in registry order."""
    found = _find(q, tag, sector)
    return Page[MoleculeOut](
        items=found[offset : offset + limit], total=len(found), limit=limit, offset=offset
    )


@router.get("/{query}", response_model=MoleculeOut, summary="Show one molecule")
def show_molecule(
    query: Annotated[
        str, Path(max_length=200, description="Registry id, name, synonym, CAS, EC or code.")
    ],
) -> MoleculeOut:
    """The molecule ``query`` denotes; a compound outside the registry has ``in_registry`` false.

    A malformed CAS or EC number is a 422 naming the failed check; no match is a 404 with
    the closest names as ``suggestions``.
    """
    return molecules.show_molecule(query)

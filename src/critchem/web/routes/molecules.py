"""``/molecules/{id}``: trade, origins, alerts, criticality and EU sites of one molecule."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from critchem.api.deps import AlertStoreDep, StoreRootDep
from critchem.api.security import AccountsDep, client_ip
from critchem.web import fragments
from critchem.web.pages import dashboard
from critchem.web.render import page, twin
from critchem.web.session import page_principal

router = APIRouter(include_in_schema=False)

MoleculeId = Annotated[str, Path(max_length=200, description="Registry id, name or CAS.")]


@router.get("/molecules")
def molecule_search(q: Annotated[str, Query(min_length=1, max_length=200)]) -> RedirectResponse:
    """The search box of every page: go to the molecule page of ``q``."""
    return RedirectResponse(f"/molecules/{quote(q.strip(), safe='')}", status_code=303)


@router.get("/molecules/{query}.json")
def molecule_json(
    query: MoleculeId,
    request: Request,
    store_root: StoreRootDep,
    store: AlertStoreDep,
    accounts: AccountsDep,
) -> JSONResponse:
    """The molecule page's data (capacities as the signed-in user may see them)."""
    data = dashboard.molecule_page(
        query,
        store_root=store_root,
        store=store,
        principal=page_principal(request),
        accounts=accounts,
        ip=client_ip(request),
    )
    return twin(data)


@router.get("/molecules/{query}", response_class=HTMLResponse)
def molecule_page(
    query: MoleculeId,
    request: Request,
    store_root: StoreRootDep,
    store: AlertStoreDep,
    accounts: AccountsDep,
) -> HTMLResponse:
    """The molecule page: its content as rendered for this version, under this viewer's header."""
    version = dashboard.molecule_page_version(store_root, store)
    data = dashboard.molecule_page(
        query,
        store_root=store_root,
        store=store,
        principal=page_principal(request),
        accounts=accounts,
        ip=client_ip(request),
        at=version,
    )
    ident = data.molecule.id or query
    return page(
        request,
        "molecule.html.j2",
        title=data.molecule.name,
        twin=f"/molecules/{ident}.json",
        body=fragments.molecule_body(data, version),
    )

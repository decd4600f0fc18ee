"""``/methodology/{name}``: the methodology documents shipped with the package."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse

from critchem.web import docs
from critchem.web.render import page, twin

router = APIRouter(include_in_schema=False)

Name = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9-]+$")]


@router.get("/methodology.json")
def methodology_index_json() -> JSONResponse:
    """The shipped documents."""
    return twin({"documents": [d.model_dump() for d in docs.index()]})


@router.get("/methodology", response_class=HTMLResponse)
def methodology_index(request: Request) -> HTMLResponse:
    """The list of the shipped documents."""
    return page(
        request,
        "methodology_index.html.j2",
        title="Methodology",
        twin="/methodology.json",
        documents=docs.index(),
    )


@router.get("/methodology/{name}.json")
def methodology_json(name: Name) -> JSONResponse:
    """One document as Markdown."""
    return twin(docs.document(name))


@router.get("/methodology/{name}", response_class=HTMLResponse)
def methodology_page(name: Name, request: Request) -> HTMLResponse:
    """One document, rendered."""
    document = docs.document(name)
    return page(
        request,
        "methodology.html.j2",
        title=document.title,
        twin=f"/methodology/{name}.json",
        document=document,
        body=docs.html(name),
    )

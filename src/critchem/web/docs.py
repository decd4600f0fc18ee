"""The methodology documents shipped in ``web/data/methodology`` (copies of ``docs/methodology``).

They are rendered from Markdown (CommonMark with tables) on first request and kept.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from pydantic import BaseModel, ConfigDict

from critchem.core.errors import NotFoundError

FOLDER = ("data", "methodology")


class Document(BaseModel):
    """A methodology document: its name, title (first heading) and Markdown text."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    markdown: str


def _folder() -> Traversable:
    return resources.files("critchem.web").joinpath(*FOLDER)


def names() -> list[str]:
    """The shipped documents' names (file names without ``.md``), sorted.

    >>> "cca" in names()
    True
    """
    return sorted(f.name[:-3] for f in _folder().iterdir() if f.name.endswith(".md"))


@cache
def document(name: str) -> Document:
    """The document ``name``; ``NotFoundError`` listing the shipped names otherwise."""
    if name not in names():
        raise NotFoundError(
            f"No methodology document {name!r}: shipped are {', '.join(names())}",
            suggestions=names(),
        )
    text = _folder().joinpath(f"{name}.md").read_text(encoding="utf-8")
    first = next((line for line in text.splitlines() if line.startswith("# ")), name)
    return Document(name=name, title=first.lstrip("# ").replace("`", ""), markdown=text)


def index() -> list[Document]:
    """Every shipped document."""
    return [document(n) for n in names()]


@cache
def html(name: str) -> str:
    """The document rendered as HTML (raw HTML in the Markdown is escaped)."""
    from markdown_it import MarkdownIt  # on the first document shown, not at start-up

    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    rendered: str = renderer.render(document(name).markdown)
    return rendered

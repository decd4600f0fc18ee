"""``render``: fill one of the report templates (``critchem/reports/templates``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("critchem.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """The HTML of ``template`` filled with ``context`` (autoescaped)."""
    return _environment().get_template(template).render(**context)

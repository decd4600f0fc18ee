"""Parts of pages that are the same for every viewer, rendered once and kept while valid.

A molecule page is a few hundred kilobytes of SVG and tables drawn from data that change only
when the trade store is loaded or an alert changes; what depends on the viewer is the header
(the signed-in user, the CSRF token of the sign-out form) and, through the page's data, the
capacities the viewer may see. So the content below the header is rendered once per molecule,
per version of the store and alerts (``dashboard.molecule_page_version``) and per production
section as the viewer sees it, and the header is rendered per request around it.
"""

from __future__ import annotations

from collections.abc import Hashable

from markupsafe import Markup

from critchem.surveillance.alerts.memo import Memo
from critchem.web import figures
from critchem.web.pages.dashboard import MoleculePageOut
from critchem.web.render import environment

MOLECULE_BODIES = 256
"""How many rendered molecule contents are kept (each a few hundred kilobytes)."""

_bodies = Memo(size=MOLECULE_BODIES)


def viewer_key(data: MoleculePageOut) -> Hashable:
    """The key of ``data``'s content within one version of the store and alerts.

    The molecule, and its production section as this viewer sees it (the capacities are the
    one part of the content that differs between viewers).

    >>> from critchem.services.schemas import MoleculeOut
    >>> from critchem.web.pages.dashboard import TradeOut
    >>> molecule = MoleculeOut(id=None, cas="50-00-0", name="formaldehyde", in_registry=False)
    >>> page = MoleculePageOut(molecule=molecule, trade=TradeOut(), alerts=[],
    ...     criticality=None, criticality_methodology="cca", production=None)
    >>> viewer_key(page)
    (None, '50-00-0', 'formaldehyde', None, None)
    """
    made = data.production
    return (
        data.molecule.id,
        data.molecule.cas,
        data.molecule.name,
        made.model_dump_json() if made is not None else None,
        data.production_message,
    )


def render_molecule_body(data: MoleculePageOut) -> Markup:
    """The molecule page's content (charts, maps, tables) for ``data``."""
    charts = figures.molecule_charts(data)
    html = environment().get_template("_molecule_body.html.j2").render(data=data, charts=charts)
    return Markup(html)  # rendered by the autoescaping environment


def molecule_body(data: MoleculePageOut, version: Hashable) -> Markup:
    """The content of ``data``'s page: rendered, or as rendered before under ``version``.

    ``version`` must have been read before ``data`` was gathered (see
    ``dashboard.molecule_page_version``), so that a change landing in between makes the next
    request render again.
    """
    return _bodies.get(viewer_key(data), version, lambda: render_molecule_body(data))


def clear() -> None:
    """Forget every rendered content (tests; a changed template)."""
    _bodies.clear()

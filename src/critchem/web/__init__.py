"""The web dashboard: server-rendered pages over the same services as the API and the CLI.

Pages (each with a JSON twin at ``<page>.json``, linked from the page): the overview ``/``,
``/molecules/{id}``, ``/alerts``, ``/assessments/{methodology}``, ``/methodology/{name}``, the
investment pages ``/projects``, ``/projects/{id}``, ``/funding`` and ``/capacity``, and
``/login``. Charts and maps are inline SVG drawn on the server; the stylesheet is served from
the package (``/static``); nothing comes from the internet.
"""

from critchem.web.mount import install

__all__ = ["install"]

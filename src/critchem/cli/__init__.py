"""The ``critchem`` command line (``critchem.cli.main``)."""

from __future__ import annotations

import sys


def run() -> None:
    """Entry point of the ``critchem`` script; ``--version`` alone answers before Typer loads."""
    if sys.argv[1:] == ["--version"]:
        from importlib.metadata import version

        sys.stdout.write(f"critchem {version('critchem')}\n")
        return
    from critchem.cli.main import run as run_app

    run_app()

"""The demo input set shipped in ``data/demo`` (rounded published values, see its SOURCES.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from critchem.criticality.base import InputFiles


def demo_dir() -> Path:
    """The folder of the shipped demo files."""
    return Path(str(resources.files("critchem.criticality").joinpath("data/demo")))


def demo_files() -> InputFiles:
    """The demo inputs of the ``eu-crm`` methodology.

    >>> files = demo_files()
    >>> files.inputs.name, files.value_added.name if files.value_added else None
    ('inputs.csv', 'value_added.csv')
    """
    folder = demo_dir()
    return InputFiles(
        inputs=folder / "inputs.csv",
        end_uses=folder / "end_uses.csv",
        value_added=folder / "value_added.csv",
    )

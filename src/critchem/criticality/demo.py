"""The demo input sets shipped in ``data/demo`` (see its SOURCES.md).

``eu-crm``: rounded published values of the EU studies; ``cca``: illustrative placeholders.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from critchem.core.errors import NotFoundError
from critchem.criticality.base import InputFiles

DEMO_METHODOLOGIES = ("cca", "eu-crm")
"""The methodologies with a shipped demo input set."""


ILLUSTRATIVE_FILES = frozenset({"cca_inputs.csv"})
"""The shipped demo files that hold illustrative placeholders, not measurements."""


def is_illustrative(path: Path) -> bool:
    """Whether ``path`` is one of the shipped illustrative demo files.

    >>> is_illustrative(demo_files("cca").inputs), is_illustrative(demo_files().inputs)
    (True, False)
    """
    try:
        return path.resolve().parent == demo_dir().resolve() and path.name in ILLUSTRATIVE_FILES
    except OSError:
        return False


def demo_dir() -> Path:
    """The folder of the shipped demo files."""
    return Path(str(resources.files("critchem.criticality").joinpath("data/demo")))


def demo_files(methodology: str = "eu-crm") -> InputFiles:
    """The demo inputs of ``methodology`` (``eu-crm`` or ``cca``).

    Raises
    ------
    NotFoundError
        No demo input set is shipped for ``methodology``.

    Examples
    --------
    >>> files = demo_files()
    >>> files.inputs.name, files.value_added.name if files.value_added else None
    ('inputs.csv', 'value_added.csv')
    >>> demo_files("cca").inputs.name
    'cca_inputs.csv'
    """
    folder = demo_dir()
    if methodology == "cca":
        return InputFiles(inputs=folder / "cca_inputs.csv")
    if methodology == "eu-crm":
        return InputFiles(
            inputs=folder / "inputs.csv",
            end_uses=folder / "end_uses.csv",
            value_added=folder / "value_added.csv",
        )
    raise NotFoundError(
        f"No demo inputs for methodology {methodology!r} "
        f"(shipped for: {', '.join(DEMO_METHODOLOGIES)})"
    )

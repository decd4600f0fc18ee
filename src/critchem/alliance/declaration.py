"""The Alliance's declaration of membership: versioned texts shipped as data, in several languages.

Each version is a Markdown file ``data/declaration/v<N>.<lang>.md``; a signature records the
version, the language and the SHA-256 of the exact text signed, so that what was signed can be
proven later even if a newer version is published.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from critchem.core.errors import AllianceError

CURRENT_VERSION = "1"
_NAME = re.compile(r"^v(?P<version>\d+)\.(?P<lang>[a-z]{2})\.md$")


@dataclass(frozen=True)
class Declaration:
    """One version of the declaration in one language."""

    version: str
    language: str
    text: str

    @property
    def sha256(self) -> str:
        """SHA-256 (hex) of the UTF-8 text: what a signature records."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@cache
def _texts() -> dict[tuple[str, str], str]:
    folder = resources.files("critchem.alliance").joinpath("data", "declaration")
    texts: dict[tuple[str, str], str] = {}
    for entry in folder.iterdir():
        found = _NAME.match(entry.name)
        if found:
            texts[(found["version"], found["lang"])] = entry.read_text(encoding="utf-8")
    return texts


def languages(version: str = CURRENT_VERSION) -> list[str]:
    """The languages the declaration ``version`` is available in."""
    return sorted(lang for v, lang in _texts() if v == version)


def declaration(language: str = "en", version: str = CURRENT_VERSION) -> Declaration:
    """The declaration ``version`` in ``language`` (English when that language has none).

    >>> declaration("fr").text.startswith("# Déclaration")
    True
    """
    texts = _texts()
    if (version, "en") not in texts:
        raise AllianceError(
            f"no declaration version {version!r}: the current one is {CURRENT_VERSION}"
        )
    lang = language if (version, language) in texts else "en"
    return Declaration(version=version, language=lang, text=texts[(version, lang)])

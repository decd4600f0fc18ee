"""Compiled copies of the shipped reference tables, built at first use and keyed by file hash.

Parsing the gzip-compressed CSV files of the Combined Nomenclature, the HS and the CAS ⇄ CN
mapping (and validating every row) costs tenths of a second each time a command starts. The
result of that work is written once as a plain JSON document (no pickle: reading a cache file
never runs code) under the cache folder::

    <cache>/reference/<name>-<key>.json

``key`` is the SHA-256 of the source files' bytes, the compiled format's version and the
name, so a changed source file (a new release of the package) is compiled again and an
outdated copy is never read. Each document carries its provenance: the source files, their
SHA-256 and the format version. The cache folder is ``$CRITCHEM_CACHE_DIR``, else
``$XDG_CACHE_HOME/critchem``, else ``~/.cache/critchem``; when it cannot be written the
tables are built in memory as before, and a damaged copy is built again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")

COMPILED_FORMAT = 1
_PARTS = "_parts"
"""The part listing the parts of a table compiled in parts (written last)."""
"""Version of the compiled documents; raising it compiles every table again."""


def cache_dir() -> Path:
    """The folder of compiled reference tables (see the module docstring)."""
    explicit = os.environ.get("CRITCHEM_CACHE_DIR")
    if explicit:
        return Path(explicit) / "reference"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "critchem" / "reference"


def source_hashes(sources: Sequence[tuple[str, str]]) -> dict[str, str]:
    """``package/data/name`` → SHA-256 of each shipped source file (hashed once a process)."""
    return {f"{package}/data/{name}": _file_hash(package, name) for package, name in sources}


@lru_cache(maxsize=64)
def _file_hash(package: str, name: str) -> str:
    raw = resources.files(package).joinpath("data", name).read_bytes()
    return hashlib.sha256(raw).hexdigest()


def compiled(
    name: str,
    sources: Sequence[tuple[str, str]],
    build: Callable[[], Any],
    *,
    version: int = 1,
    key: str = "",
) -> Any:
    """The JSON-ready value ``build()`` returns for ``sources``, read from the cache if there.

    Parameters
    ----------
    name
        The table's name (part of the file name), e.g. ``"cn2025"``.
    sources
        ``(package, file name)`` of every shipped file ``build`` reads: their bytes key the
        compiled copy.
    build
        Parses and validates the sources; returns lists, dicts, strings and numbers only.
    version
        The table's own format version, raised when ``build``'s output changes shape.
    key
        Anything else the result depends on (e.g. a hash of the code that builds it).
    """
    hashes = source_hashes(sources)
    digest = hashlib.sha256(
        json.dumps([name, COMPILED_FORMAT, version, key, hashes], sort_keys=True).encode()
    ).hexdigest()[:24]
    path = cache_dir() / f"{name}-{digest}.json"
    try:
        document = json.loads(path.read_bytes())
        if document.get("sources") == hashes and document.get("key") == key:
            return document["data"]
    except (OSError, ValueError, AttributeError):
        pass
    data = build()
    document = {"name": name, "format": [COMPILED_FORMAT, version], "key": key, "sources": hashes}
    _write(path, {**document, "data": data})
    return data


def compiled_part(
    name: str,
    sources: Sequence[tuple[str, str]],
    build: Callable[[], dict[str, Any]],
    part: str,
    *,
    version: int = 1,
) -> Any:
    """One part of a table compiled in parts, e.g. one chapter of a nomenclature.

    ``build`` returns every part (part name → JSON-ready value); they are written as one
    document each under ``<cache>/reference/<name>-<key>/``, so that a look-up reads the
    small part it needs. Keyed, checked and rebuilt like :func:`compiled`. A part that
    ``build`` does not return is ``None``.
    """
    hashes = source_hashes(sources)
    digest = hashlib.sha256(
        json.dumps([name, COMPILED_FORMAT, version, "parts", hashes], sort_keys=True).encode()
    ).hexdigest()[:24]
    folder = cache_dir() / f"{name}-{digest}"
    for wanted in (part, _PARTS):
        try:
            document = json.loads((folder / f"{wanted}.json").read_bytes())
            if document.get("sources") == hashes:
                if wanted == part:
                    return document["data"]
                if part not in document["data"]:  # the table has no such part
                    return None
        except (OSError, ValueError, AttributeError, TypeError):
            pass
    parts = build()
    head = {"name": name, "format": [COMPILED_FORMAT, version], "sources": hashes}
    for key, value in parts.items():
        _write(folder / f"{key}.json", {**head, "part": key, "data": value})
    _write(folder / f"{_PARTS}.json", {**head, "part": _PARTS, "data": sorted(parts)})
    return parts.get(part)


def _write(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` atomically; a folder that cannot be written is left alone."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


class LazyRows(Mapping[str, T], Generic[T]):
    """A read-only mapping code → object that builds each object from its row on first use.

    >>> rows = LazyRows({"29": ["29", "Organic chemicals"]}, lambda row: tuple(row))
    >>> "29" in rows, rows["29"], len(rows)
    (True, ('29', 'Organic chemicals'), 1)
    """

    def __init__(self, rows: dict[str, list[Any]], make: Callable[[list[Any]], T]) -> None:
        self._rows = rows
        self._make = make
        self._built: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        built = self._built.get(key)
        if built is None:
            built = self._make(self._rows[key])
            self._built[key] = built
        return built

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

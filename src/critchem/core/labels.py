"""The SYNTHETIC / ILLUSTRATIVE labels: which records are not measurements, and their words.

Synthetic data (the seeded trade generator) and illustrative data (placeholder inputs,
fictitious companies) say so in their own field: ``source`` (or ``data_source``, ``label``,
``status``) is ``synthetic`` or ``illustrative``, a flag ``synthetic``/``illustrative`` is
true, or a list ``synthetic_inputs`` names the inputs computed from synthetic data.
:func:`data_labels` finds these fields in any JSON-like result, so that every surface that
shows the result (CLI table, CSV/Excel export, page) can put the visible label beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SYNTHETIC = "SYNTHETIC"
ILLUSTRATIVE = "ILLUSTRATIVE"
LABEL_WORDS: dict[str, str] = {"synthetic": SYNTHETIC, "illustrative": ILLUSTRATIVE}
"""The value of a source field, and the visible label it calls for."""

EXPLANATIONS: dict[str, str] = {
    SYNTHETIC: "SYNTHETIC data: generated figures, not official statistics",
    ILLUSTRATIVE: "ILLUSTRATIVE data: placeholders or fictitious examples, not measurements",
}
"""The sentence shown beside a table of labelled data."""

SOURCE_KEYS = frozenset({"source", "label", "status", "data_label", "origin"})
"""Fields whose value ``synthetic`` / ``illustrative`` labels the record (and every field
whose name ends in ``_source``: ``data_source``, ``project_source`` ...)."""

_MAX_DEPTH = 8


def data_labels(data: Any) -> tuple[str, ...]:
    """The labels (``SYNTHETIC``, ``ILLUSTRATIVE``) that ``data`` calls for, in that order.

    ``data`` is a JSON-like value (dicts, lists, scalars); a field counts when its key is
    one of :data:`SOURCE_KEYS` (or ends in ``_source``) and its value is ``synthetic`` or
    ``illustrative`` (any case), when a key ``synthetic``/``illustrative`` is true, or
    when ``synthetic_inputs`` is a non-empty list.

    >>> data_labels([{"source": "comext_bulk"}, {"source": "synthetic", "value": 1.0}])
    ('SYNTHETIC',)
    >>> data_labels({"rows": [{"illustrative": True}], "label": "SYNTHETIC"})
    ('SYNTHETIC', 'ILLUSTRATIVE')
    >>> data_labels({"source": "Eurostat, synthetic data excluded"})
    ()
    >>> data_labels({"data_label": "SYNTHETIC ILLUSTRATIVE"})
    ('SYNTHETIC', 'ILLUSTRATIVE')
    """
    found: set[str] = set()
    _walk(data, found, 0)
    return tuple(label for label in (SYNTHETIC, ILLUSTRATIVE) if label in found)


def _walk(value: Any, found: set[str], depth: int) -> None:
    if depth > _MAX_DEPTH or len(found) == len(LABEL_WORDS):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key).lower()
            if isinstance(item, str) and (name in SOURCE_KEYS or name.endswith("_source")):
                words = item.replace(",", " ").lower().split()
                if words and all(w in LABEL_WORDS for w in words):
                    found.update(LABEL_WORDS[w] for w in words)
            elif item is True and name in LABEL_WORDS:
                found.add(LABEL_WORDS[name])
            elif name == "synthetic_inputs" and isinstance(item, list | tuple) and item:
                found.add(SYNTHETIC)
            elif isinstance(item, Mapping | list | tuple):
                _walk(item, found, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, found, depth + 1)


def status_label(statuses: Any) -> str:
    """The label words of the statuses present (``synthetic``, ``illustrative``), or empty.

    >>> status_label(["computed", "synthetic"]), status_label({"missing": 3})
    ('SYNTHETIC', '')
    """
    present = {str(s).lower() for s in statuses}
    return " ".join(label for word, label in LABEL_WORDS.items() if word in present)


def data_source_of(provenance: Mapping[str, Any] | None) -> str:
    """``synthetic`` when a provenance's ``sources`` (or ``source``) name synthetic data.

    An alert's provenance lists the sources of the loads its monitor run read, so an alert
    of a run over real and synthetic loads together is labelled synthetic (never the other
    way round).

    >>> data_source_of({"sources": ["comext_sdmx", "synthetic"]}), data_source_of({})
    ('synthetic', 'real')
    """
    raw = (provenance or {}).get("sources") or [(provenance or {}).get("source")]
    synthetic = any("synthetic" in str(s).lower() for s in raw if s)
    return "synthetic" if synthetic else "real"


def label_line(labels: tuple[str, ...]) -> str:
    """The visible sentence for ``labels`` (empty when there is none).

    >>> label_line(("SYNTHETIC",))
    'SYNTHETIC data: generated figures, not official statistics'
    """
    return "; ".join(EXPLANATIONS[label] for label in labels)

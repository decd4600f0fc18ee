"""Economic importance from data: value added of the NACE sectors a molecule serves.

Two versioned files (``data/value_added/``, provenance in ``data/SOURCES.md``):

- ``sbs_value_added_nace.csv``: EU value added at factor cost by NACE Rev. 2 division
  (Eurostat structural business statistics), one row per division and year, each with its
  dataset, URL, licence and how the figure was obtained (published, or derived from
  published figures: share × total);
- ``end_use_splits.csv``: a molecule's end-use split over NACE divisions (share of its EU
  use), one row per molecule and division, each with its source URL. A molecule without a
  sourced split has no downstream value added: it is missing, never guessed.

The downstream value added of a molecule is ``Σ_s A_s · Q_s`` (:func:`downstream_value_added`)
over the divisions of its split. Propagation along the value-chain graph (a feedstock inherits
the importance of its products) is the ``cca`` rule's (``EI = max(EI_own, δ · max EI_p)``), not
done here, so that a product's value added is never counted twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from critchem.core.errors import ReferenceDataError

SBS_FILE = "sbs_value_added_nace.csv"
END_USE_FILE = "end_use_splits.csv"
SHARE_TOLERANCE = 1e-6


def downstream_value_added(shares: Mapping[str, float], value_added: Mapping[str, float]) -> float:
    """Downstream value added ``Σ_s A_s · Q_s`` in the unit of ``value_added`` (M€).

    ``A_s`` is the share of the molecule's EU use going to NACE division ``s`` and ``Q_s``
    the division's value added at factor cost. Source: European Commission (2017),
    *Methodology for establishing the EU list of critical raw materials - Guidelines*
    (ISBN 978-92-79-68051-9), economic importance ``EI = Σ_s (A_s · Q_s)`` (without the
    substitution index, as declared in ``cca.yaml``).

    Raises ``KeyError`` when a division of ``shares`` has no value added.

    >>> downstream_value_added({"C20": 0.5, "C29": 0.25}, {"C20": 100.0, "C29": 200.0})
    100.0
    """
    return sum(share * value_added[nace] for nace, share in shares.items())


@dataclass(frozen=True, slots=True)
class SectorValueAdded:
    """Value added of one NACE division in one year, with its source."""

    nace: str
    label: str
    year: int
    value_added_meur: float
    method: str
    dataset: str
    source_url: str
    licence: str


@dataclass(frozen=True, slots=True)
class EndUse:
    """One share of a molecule's end use, with its source."""

    molecule: str
    nace: str
    share: float
    year: int
    source_url: str
    note: str


def _rows(name: str) -> list[tuple[int, dict[str, str]]]:
    text = (files("critchem.criticality") / "data" / "value_added" / name).read_text("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return [(line, row) for line, row in enumerate(reader, start=2)]


@cache
def load_value_added() -> dict[str, SectorValueAdded]:
    """The newest value added per NACE division (rows without a source URL are refused)."""
    out: dict[str, SectorValueAdded] = {}
    for line, row in _rows(SBS_FILE):
        where = f"{SBS_FILE}: line {line}"
        if not row.get("source_url", "").startswith("http"):
            raise ReferenceDataError(f"{where}: the row has no source URL")
        try:
            item = SectorValueAdded(
                row["nace"], row["label"], int(row["year"]), float(row["value_added_meur"]),
                row["method"], row["dataset"], row["source_url"], row["licence"],
            )  # fmt: skip
        except (KeyError, ValueError) as error:
            raise ReferenceDataError(f"{where}: {error}") from error
        if item.nace not in out or item.year > out[item.nace].year:
            out[item.nace] = item
    return out


@cache
def load_end_uses() -> dict[str, tuple[EndUse, ...]]:
    """The sourced end-use splits per molecule (shares of one molecule sum to at most 1)."""
    out: dict[str, list[EndUse]] = {}
    for line, row in _rows(END_USE_FILE):
        where = f"{END_USE_FILE}: line {line}"
        if not row.get("source_url", "").startswith("http"):
            raise ReferenceDataError(f"{where}: the row has no source URL")
        try:
            use = EndUse(row["molecule"], row["nace"], float(row["share"]), int(row["year"]),
                         row["source_url"], row.get("note", ""))  # fmt: skip
        except (KeyError, ValueError) as error:
            raise ReferenceDataError(f"{where}: {error}") from error
        if not 0 < use.share <= 1:
            raise ReferenceDataError(f"{where}: share {use.share} is not in (0, 1]")
        out.setdefault(use.molecule, []).append(use)
    for molecule, uses in out.items():
        if sum(u.share for u in uses) > 1 + SHARE_TOLERANCE:
            raise ReferenceDataError(
                f"{END_USE_FILE}: the shares of {molecule} add up to more than 1"
            )
    return {m: tuple(u) for m, u in out.items()}

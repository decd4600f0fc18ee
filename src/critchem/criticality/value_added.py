"""Economic importance from data: value added of the NACE sectors a molecule serves.

Two versioned files (``data/value_added/``, provenance in ``data/SOURCES.md``):

- ``sbs_value_added_nace.csv``: EU value added at factor cost by NACE Rev. 2 division
  (Eurostat structural business statistics), one row per division and year, each with its
  dataset, URL, licence and how the figure was obtained (published, or derived from
  published figures: share × total);
- ``end_use_splits.csv``: a molecule's end-use split over NACE divisions (share of its EU
  use), one row per molecule and application (several applications may fall in one
  division), each with its source URL. When the source prints the division's value added
  beside the share (the EU critical raw materials study's ``A_s`` and ``Q_s`` tables), the row
  keeps it in ``value_added_meur`` and that figure is used with the share, so that ``A_s`` and
  ``Q_s`` come from one table. A molecule without a sourced split has no downstream value
  added: it is missing, never guessed.

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
    application: str = ""
    value_added_meur: float | None = None
    """The division's value added printed beside the share by the same source, if any."""
    checked: str = ""


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
            va = (row.get("value_added_meur") or "").strip()
            use = EndUse(row["molecule"], row["nace"], float(row["share"]), int(row["year"]),
                         row["source_url"], row.get("note") or "",
                         (row.get("application") or "").strip(), float(va) if va else None,
                         (row.get("checked") or "").strip())  # fmt: skip
        except (KeyError, ValueError) as error:
            raise ReferenceDataError(f"{where}: {error}") from error
        if not 0 < use.share <= 1:
            raise ReferenceDataError(f"{where}: share {use.share} is not in (0, 1]")
        if use.value_added_meur is not None and use.value_added_meur <= 0:
            raise ReferenceDataError(f"{where}: value_added_meur {use.value_added_meur} is not > 0")
        out.setdefault(use.molecule, []).append(use)
    for molecule, uses in out.items():
        printed: dict[str, set[float]] = {}
        for u in uses:
            if u.value_added_meur is not None:
                printed.setdefault(u.nace, set()).add(u.value_added_meur)
        clash = sorted(n for n, values in printed.items() if len(values) > 1)
        if clash:
            raise ReferenceDataError(
                f"{END_USE_FILE}: {molecule}: different value added printed for {', '.join(clash)}"
            )
        if sum(u.share for u in uses) > 1 + SHARE_TOLERANCE:
            raise ReferenceDataError(
                f"{END_USE_FILE}: the shares of {molecule} add up to more than 1"
            )
    return {m: tuple(u) for m, u in out.items()}


COVERAGE_MIN = 0.98
"""A split whose shares add up to less than this is partial: its downstream value added
would be a lower bound only, so it is not computed (published percentages are rounded to
whole points, hence the two points of slack)."""


@dataclass(frozen=True, slots=True)
class SplitValueAdded:
    """The downstream value added of one molecule's split, division by division."""

    value_meur: float
    shares: dict[str, float]
    """Share of use per NACE division (applications of one division summed)."""
    value_added: dict[str, float]
    """``Q_s`` per division used with the share."""
    printed: frozenset[str]
    """Divisions whose ``Q_s`` is the one the split's source prints beside the share."""
    coverage: float


def split_value_added(
    uses: tuple[EndUse, ...], sbs: Mapping[str, SectorValueAdded]
) -> SplitValueAdded | str:
    """``Σ_s A_s · Q_s`` of a sourced split, or the reason it cannot be computed.

    ``A_s`` sums the applications of division ``s``; ``Q_s`` is the figure printed beside the
    share by the split's own source when there is one, else the structural business
    statistics row of ``sbs``. A split covering less than :data:`COVERAGE_MIN` of the use, or
    naming a division with no ``Q_s`` from either, gives the reason instead.

    >>> u = [EndUse("x", "C20", 0.54, 2023, "https://e", "", "a", 132361.0),
    ...      EndUse("x", "C26", 0.02, 2023, "https://e", "", "b", 77000.0),
    ...      EndUse("x", "C26", 0.44, 2023, "https://e", "", "c", 77000.0)]
    >>> round(split_value_added(tuple(u), {}).value_meur, 2)  # 0.54·132361 + 0.46·77000
    106894.94
    >>> split_value_added(tuple(u[:2]), {})
    'the sourced split covers 56% of the use (applications a, b): a partial split gives a lower bound only'
    """
    shares: dict[str, float] = {}
    printed: dict[str, float] = {}
    for use in uses:
        shares[use.nace] = shares.get(use.nace, 0.0) + use.share
        if use.value_added_meur is not None:
            printed[use.nace] = use.value_added_meur
    coverage = sum(shares.values())
    if coverage < COVERAGE_MIN:
        named = ", ".join(u.application or u.nace for u in uses)
        return (
            f"the sourced split covers {coverage:.0%} of the use (applications {named}): "
            "a partial split gives a lower bound only"
        )
    unknown = sorted(n for n in shares if n not in printed and n not in sbs)
    if unknown:
        return "no sourced value added for NACE " + ", ".join(unknown)
    q = {n: printed[n] if n in printed else sbs[n].value_added_meur for n in shares}
    return SplitValueAdded(
        downstream_value_added(shares, q), shares, q, frozenset(printed), coverage
    )

"""The evidence plug-in family: one evidence value, the build context, the family base class.

An indicator family computes some of the indicators a methodology needs (trade concentration,
PRODCOM import reliance, site capacities ...) for a list of registry molecules and one year,
and returns one :class:`EvidenceValue` per molecule and indicator, each carrying its
provenance. Families are registered in an explicit dict by the :func:`register` decorator;
the builder imports the modules listed in :data:`critchem.evidence.families.MODULES`.

A value that cannot be computed is returned with ``value=None`` and status ``missing`` (or
``confidential``) and a note saying why: it is never zero and never invented.
"""

from __future__ import annotations

import collections.abc
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from critchem.core.errors import EvidenceError
from critchem.core.registry import Registry as PluginRegistry

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from critchem.core.settings import Settings
    from critchem.evidence.store_reader import FilesOpener
    from critchem.molecules.mapping import Mapping
    from critchem.molecules.registry import Registry

METHOD_VERSION = "evidence-0.1"
"""Version of the evidence methods; bumped when a family's computation changes."""

COMPUTED = "computed"
GROUP_UPPER_BOUND = "group_upper_bound"
CONFIDENTIAL = "confidential"
MISSING = "missing"
SYNTHETIC = "synthetic"
ILLUSTRATIVE = "illustrative"
STATUSES = (COMPUTED, GROUP_UPPER_BOUND, CONFIDENTIAL, MISSING, SYNTHETIC, ILLUSTRATIVE)
"""Status of an evidence value: how far it can be trusted as a figure for the molecule."""

WITHOUT_VALUE = frozenset({CONFIDENTIAL, MISSING})
"""Statuses that carry no value (the figure is unknown or may not be shown)."""

Value = float | str | None
"""An indicator value: a number, a label (e.g. the top supplier's country code) or none."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a value comes from: dataset, store loads, file hashes and method version."""

    dataset: str
    load_ids: tuple[str, ...] = ()
    file_hashes: tuple[str, ...] = ()
    method_version: str = METHOD_VERSION

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "dataset": self.dataset,
            "load_ids": list(self.load_ids),
            "file_hashes": list(self.file_hashes),
            "method_version": self.method_version,
        }


@dataclass(frozen=True, slots=True)
class EvidenceValue:
    """One indicator of one molecule in one year, with its status and provenance.

    >>> v = EvidenceValue("ethylene", "hhi_extra_eu", 2024, 0.31, COMPUTED,
    ...                   source="comext_bulk", years=(2024,), codes=("29012100",),
    ...                   provenance=Provenance("comext_bulk"))
    >>> v.to_dict()["value"], v.to_dict()["status"]
    (0.31, 'computed')
    >>> EvidenceValue("urea", "hhi_extra_eu", 2024, 0.0, MISSING, source="comext_bulk")
    Traceback (most recent call last):
    ...
    critchem.core.errors.EvidenceError: urea/hhi_extra_eu/2024: a missing value carries no figure (got 0.0)
    """

    molecule: str
    indicator: str
    year: int
    value: Value
    status: str
    source: str
    years: tuple[int, ...] = ()
    codes: tuple[str, ...] = ()
    note: str = ""
    provenance: Provenance = field(default_factory=lambda: Provenance(""))

    def __post_init__(self) -> None:
        where = f"{self.molecule}/{self.indicator}/{self.year}"
        if self.status not in STATUSES:
            raise EvidenceError(f"{where}: status {self.status!r} not in {STATUSES}")
        if self.status in WITHOUT_VALUE and self.value is not None:
            raise EvidenceError(
                f"{where}: a {self.status} value carries no figure (got {self.value})"
            )
        if self.status not in WITHOUT_VALUE and self.value is None:
            raise EvidenceError(f"{where}: status {self.status} needs a value (use missing)")
        if self.status in WITHOUT_VALUE and not self.note:
            raise EvidenceError(f"{where}: a {self.status} value needs a note saying why")

    @property
    def has_value(self) -> bool:
        """Whether the value can be used as a figure (possibly an upper bound)."""
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "molecule": self.molecule,
            "indicator": self.indicator,
            "year": self.year,
            "value": self.value,
            "status": self.status,
            "source": self.source,
            "years": list(self.years),
            "codes": list(self.codes),
            "note": self.note,
            "provenance": self.provenance.to_dict(),
        }


def missing(
    molecule: str,
    indicator: str,
    year: int,
    reason: str,
    *,
    source: str = "",
    codes: Sequence[str] = (),
) -> EvidenceValue:
    """A ``missing`` value with the reason (never a zero)."""
    return EvidenceValue(
        molecule,
        indicator,
        year,
        None,
        MISSING,
        source=source,
        codes=tuple(codes),
        note=reason,
        provenance=Provenance(source),
    )


class EvidenceContext:
    """What a family may use: the settings, the trade store, the registry and the mapping.

    Everything is opened lazily, on first use, and kept for the rest of the build.
    ``source`` restricts the trade families to one trade source (``comext_bulk``, ``baci`` ...);
    ``None`` lets each family pick the preferred source present in the store.
    ``backend`` is where the trade families read the store: ``duckdb`` (the default) or
    ``pyspark`` at ``spark_master`` (``local[N]``, default ``local[2]``, or a standalone
    cluster ``spark://host:port``).
    """

    def __init__(
        self,
        *,
        settings: Settings,
        store_root: Path | None = None,
        source: str | None = None,
        backend: str = "duckdb",
        spark_master: str | None = None,
    ) -> None:
        self.settings = settings
        self.store_root = Path(store_root) if store_root is not None else settings.store
        self.source = source
        self.backend = backend
        self.spark_master = spark_master

    @cached_property
    def open_files(self) -> FilesOpener:
        """Opens Parquet files of the store as one Ibis table on the context's backend."""
        from critchem.evidence.store_reader import files_opener

        return files_opener(self.backend, self.spark_master)

    @cached_property
    def flows(self) -> ir.Table:
        """The store's flows as an Ibis table (DuckDB)."""
        from critchem.trade._layout import committed_files
        from critchem.trade.indicators import connect

        files = [str(f) for f in committed_files(self.store_root)]
        return connect("duckdb").read_parquet(files)

    @cached_property
    def registry(self) -> Registry:
        """The molecule registry."""
        from critchem.molecules import load_registry

        return load_registry()

    @cached_property
    def mapping(self) -> Mapping:
        """The reviewed CAS ⇄ CN8 mapping."""
        from critchem.molecules import load_mapping

        return load_mapping()


class IndicatorFamily(ABC):
    """A family of indicators computed together from one kind of data.

    Subclasses set ``name`` and ``indicators`` (the indicator ids they return) and implement
    :meth:`compute`. Configuration goes in keyword-only ``__init__`` arguments with defaults:
    the builder instantiates each family without arguments.
    """

    name: ClassVar[str]
    indicators: ClassVar[tuple[str, ...]]

    @abstractmethod
    def compute(
        self, context: EvidenceContext, molecules: Sequence[str], year: int
    ) -> list[EvidenceValue]:
        """One value per molecule of ``molecules`` and indicator of ``indicators`` in ``year``.

        A value that cannot be computed is returned as :func:`missing` with the reason.
        """


def _check_indicators(
    cls: type[IndicatorFamily], others: collections.abc.Mapping[str, type[IndicatorFamily]]
) -> None:
    """Refuse a family that provides an indicator another family already provides."""
    taken = {ind: fam for fam, c in others.items() if c is not cls for ind in c.indicators}
    for indicator in cls.indicators:
        if indicator in taken:
            raise EvidenceError(
                f"Indicator {indicator!r} of family {cls.name!r} is already provided by {taken[indicator]!r}"
            )


def _builtins() -> tuple[type[IndicatorFamily], ...]:
    """Import the declared family modules (``families.MODULES``); each registers its family."""
    import importlib

    from critchem.evidence.families import MODULES

    for module in MODULES:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise EvidenceError(
                f"Indicator family module {module!r} cannot be imported: {exc}"
            ) from exc
    return ()


FAMILIES: PluginRegistry[type[IndicatorFamily]] = PluginRegistry(
    "indicator family", builtins=_builtins, check=_check_indicators, duplicate=EvidenceError
)
"""The registered indicator families, by name (the shipped ones registered on first use)."""


def register(cls: type[IndicatorFamily]) -> type[IndicatorFamily]:
    """Register an indicator family under its ``name`` (usable as a decorator)."""
    return FAMILIES.register(cls)


def load_families() -> dict[str, type[IndicatorFamily]]:
    """The registered indicator families by name, the shipped ones (``families.MODULES``) included."""
    return dict(FAMILIES)


__all__ = [
    "COMPUTED",
    "CONFIDENTIAL",
    "FAMILIES",
    "GROUP_UPPER_BOUND",
    "ILLUSTRATIVE",
    "METHOD_VERSION",
    "MISSING",
    "STATUSES",
    "SYNTHETIC",
    "EvidenceContext",
    "EvidenceValue",
    "IndicatorFamily",
    "Provenance",
    "load_families",
    "missing",
    "register",
]

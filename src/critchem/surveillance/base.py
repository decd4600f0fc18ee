"""The detector plug-in protocol and the event a detector raises.

A detector is configured in ``__init__`` (keyword-only, fixed documented defaults), fitted on
one series with ``fit(series)`` and asked for events with ``detect()``. Detectors are
registered by name in an explicit registry (:data:`critchem.surveillance.registry.DETECTORS`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal, Self

import numpy as np
import numpy.typing as npt

Severity = Literal["info", "amber", "red"]
Family = Literal["volume", "price", "concentration", "policy"]
SEVERITIES: tuple[Severity, ...] = ("info", "amber", "red")
FAMILIES: tuple[Family, ...] = ("volume", "price", "concentration", "policy")


@dataclass(frozen=True, slots=True)
class Series:
    """One monitored monthly series: its key, its periods and values (NaN = no data).

    ``key`` names what the series is, e.g. ``{"product": "29012100", "reporter": "EU27",
    "flow": "1", "partner": "CN", "measure": "net_mass_kg", "source": "comext_bulk"}``.
    ``extra`` carries aligned side series a detector may need (e.g. ``"value"`` next to
    ``"net_mass_kg"``, or supplier shares), each an array of the same length.
    """

    key: dict[str, str]
    periods: tuple[date, ...]
    values: npt.NDArray[np.float64]
    extra: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.periods) != len(self.values):
            raise ValueError(
                f"series {self.key}: {len(self.periods)} periods but {len(self.values)} values"
            )


@dataclass(frozen=True, slots=True)
class Event:
    """What a detector found: when, how strong, against which threshold, and the evidence."""

    detector: str
    detector_version: str
    family: Family
    key: dict[str, str]
    period: date
    statistic: float
    threshold: float
    severity: Severity
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    """The evidence series and the baseline (JSON-ready lists and numbers)."""


class Detector(ABC):
    """A detector: ``name``, ``version``, ``family``; ``fit`` then ``detect``."""

    name: ClassVar[str]
    version: ClassVar[str]
    family: ClassVar[Family]
    frequencies: ClassVar[tuple[str, ...]] = ("M",)
    """The series frequencies the detector is built for: ``M`` monthly, ``W`` weekly, ``D``
    daily. Detectors that compare a month with the same month of earlier years, or whose
    windows and thresholds are counted in months, declare ``("M",)`` only."""

    @abstractmethod
    def fit(self, series: Series) -> Self:
        """Learn what the detector needs from ``series``; returns ``self``."""

    @abstractmethod
    def detect(self) -> list[Event]:
        """The events in the fitted series, oldest first."""

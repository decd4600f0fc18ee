"""The registry of detectors: the built-in ones are registered on first use (nothing at import)."""

from __future__ import annotations

from critchem.core.registry import Registry
from critchem.surveillance.base import Detector


def _builtins() -> tuple[type[Detector], ...]:
    from critchem.surveillance.detectors.bocpd import BocpdDetector
    from critchem.surveillance.detectors.breaks import StructuralBreakDetector
    from critchem.surveillance.detectors.concentration import ConcentrationShiftDetector
    from critchem.surveillance.detectors.cusum import CusumDetector
    from critchem.surveillance.detectors.diversion import TradeDiversionDetector
    from critchem.surveillance.detectors.exports import ExportShiftDetector
    from critchem.surveillance.detectors.quota import QuotaExhaustionDetector
    from critchem.surveillance.detectors.seasonal import SeasonalAnomalyDetector
    from critchem.surveillance.detectors.surge import ImportSurgeDetector
    from critchem.surveillance.detectors.unit_value import UnitValueOutlierDetector

    return (
        ImportSurgeDetector,
        SeasonalAnomalyDetector,
        CusumDetector,
        StructuralBreakDetector,
        BocpdDetector,
        UnitValueOutlierDetector,
        ConcentrationShiftDetector,
        QuotaExhaustionDetector,
        ExportShiftDetector,
        TradeDiversionDetector,
    )


DETECTORS: Registry[type[Detector]] = Registry("detector", builtins=_builtins)
"""The detector classes by name; ``DETECTORS.register(cls)`` adds one."""


def builtin_detectors() -> dict[str, type[Detector]]:
    """The registered detector classes by name (the built-in ones included).

    >>> sorted(builtin_detectors())[:3]
    ['bocpd', 'concentration_shift', 'cusum']
    """
    return dict(DETECTORS)


def get_detector(name: str) -> type[Detector]:
    """The detector class registered as ``name`` (``NotFoundError`` listing the known ones)."""
    return DETECTORS.lookup(name)


def detectors_for(freq: str) -> dict[str, type[Detector]]:
    """The registered detectors that declare frequency ``freq`` (``M``, ``W`` or ``D``).

    >>> sorted(detectors_for("W"))
    ['structural_break']
    """
    return {n: c for n, c in DETECTORS.items() if freq in c.frequencies}

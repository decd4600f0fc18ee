"""The built-in detectors, registered by an explicit call (no import-time side effects)."""

from __future__ import annotations

from critchem.surveillance.base import Detector, detectors, register

_DONE: list[bool] = []


def builtin_detectors() -> dict[str, type[Detector]]:
    """Register every built-in detector (once) and return the registry by name.

    >>> sorted(builtin_detectors())[:3]
    ['bocpd', 'concentration_shift', 'cusum']
    """
    if not _DONE:
        from critchem.surveillance.detectors.bocpd import BocpdDetector
        from critchem.surveillance.detectors.breaks import StructuralBreakDetector
        from critchem.surveillance.detectors.concentration import ConcentrationShiftDetector
        from critchem.surveillance.detectors.cusum import CusumDetector
        from critchem.surveillance.detectors.exports import ExportShiftDetector
        from critchem.surveillance.detectors.quota import QuotaExhaustionDetector
        from critchem.surveillance.detectors.seasonal import SeasonalAnomalyDetector
        from critchem.surveillance.detectors.surge import ImportSurgeDetector
        from critchem.surveillance.detectors.unit_value import UnitValueOutlierDetector

        for cls in (
            ImportSurgeDetector,
            SeasonalAnomalyDetector,
            CusumDetector,
            StructuralBreakDetector,
            BocpdDetector,
            UnitValueOutlierDetector,
            ConcentrationShiftDetector,
            QuotaExhaustionDetector,
            ExportShiftDetector,
        ):
            register(cls)
        _DONE.append(True)
    return detectors()


def detectors_for(freq: str) -> dict[str, type[Detector]]:
    """The built-in detectors that declare frequency ``freq`` (``M``, ``W`` or ``D``).

    >>> sorted(detectors_for("W"))
    ['structural_break']
    """
    return {n: c for n, c in builtin_detectors().items() if freq in c.frequencies}

"""Early warning: detectors, alerts and their lifecycle."""

from critchem.surveillance.breaks_api import detect_breaks

__all__ = ["detect_breaks"]

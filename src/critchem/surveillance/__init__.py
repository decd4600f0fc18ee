"""Early warning: detectors, alerts and their lifecycle."""

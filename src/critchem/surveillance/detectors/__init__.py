"""The built-in detectors, one module each; registered by :mod:`critchem.surveillance.registry`."""

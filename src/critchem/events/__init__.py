"""Registers of real trade events: EU trade defence, third-country export controls, EU surveillance.

Every row carries a source URL and a date; the registers are versioned CSV files in ``data/``.
"""

from critchem.events.registers import KINDS, RegisterEvent, events_for, load_events

__all__ = ["KINDS", "RegisterEvent", "events_for", "load_events"]

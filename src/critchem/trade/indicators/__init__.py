"""Trade indicators written once with Ibis, run on DuckDB or PySpark.

The formulas are pure functions in :mod:`~critchem.trade.indicators.formulas`; the same
quantities over whole tables are Ibis expressions (:mod:`~critchem.trade.indicators.expressions`)
assembled by :func:`compute_indicators`, :func:`supplier_shares` and :func:`mirror_gaps`.
:func:`connect` opens a backend to run them on.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from critchem.core.errors import BackendUnavailableError
    from critchem.trade.indicators.backends import connect, spark_session, spark_table
    from critchem.trade.indicators.compute import (
        INDICATOR_COLUMNS,
        compute_indicators,
        supplier_shares,
    )
    from critchem.trade.indicators.formulas import (
        governance_weighted_hhi,
        hhi,
        hhi_points,
        mirror_gap,
        ratio,
        shares,
        unit_value,
    )
    from critchem.trade.indicators.mirror import mirror_gaps
    from critchem.trade.indicators.reference import EU27, PartnerReference, partner_reference

_WHERE = {
    "BackendUnavailableError": "critchem.core.errors",
    "connect": "critchem.trade.indicators.backends",
    "spark_session": "critchem.trade.indicators.backends",
    "spark_table": "critchem.trade.indicators.backends",
    "INDICATOR_COLUMNS": "critchem.trade.indicators.compute",
    "compute_indicators": "critchem.trade.indicators.compute",
    "supplier_shares": "critchem.trade.indicators.compute",
    "governance_weighted_hhi": "critchem.trade.indicators.formulas",
    "hhi": "critchem.trade.indicators.formulas",
    "hhi_points": "critchem.trade.indicators.formulas",
    "mirror_gap": "critchem.trade.indicators.formulas",
    "ratio": "critchem.trade.indicators.formulas",
    "shares": "critchem.trade.indicators.formulas",
    "unit_value": "critchem.trade.indicators.formulas",
    "mirror_gaps": "critchem.trade.indicators.mirror",
    "EU27": "critchem.trade.indicators.reference",
    "PartnerReference": "critchem.trade.indicators.reference",
    "partner_reference": "critchem.trade.indicators.reference",
}
"""Where each public name lives: imported on first use, so that the pure formulas and the
partner reference do not pull Ibis in (about 1.5 s) for callers that never build an
expression."""


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_WHERE[name]), name)


__all__ = [
    "EU27",
    "INDICATOR_COLUMNS",
    "BackendUnavailableError",
    "PartnerReference",
    "compute_indicators",
    "connect",
    "governance_weighted_hhi",
    "hhi",
    "hhi_points",
    "mirror_gap",
    "mirror_gaps",
    "partner_reference",
    "ratio",
    "shares",
    "spark_session",
    "spark_table",
    "supplier_shares",
    "unit_value",
]

"""Mirror statistics: what a reporter declares against what its partners declare.

For imports, the EU reporter's imports from a partner ``X`` (e.g. Comext, in EUR, CIF) are
compared with ``X``'s exports to the reporter (e.g. BACI or Comtrade, in USD, FOB); for
exports, the reporter's exports with ``X``'s imports. Only the pairs that both sides report
are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from critchem.trade.indicators.expressions import (
    check_freq,
    filter_flows,
    member_rows,
    only_eu27,
    reporter_list,
    roll_up,
    select_period,
)
from critchem.trade.indicators.reference import (
    EU27,
    EXTRA,
    INTRA,
    PartnerReference,
    partner_reference,
)
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT, FREQ_ANNUAL

Rate: TypeAlias = float | ir.Table | pa.Table | None

_KEYS = ["reporter", "partner", "product", "freq", "period", "year"]


def _product_key(rows: ir.Table, digits: int | None) -> ir.Table:
    if digits is None:
        return rows
    if not 2 <= digits <= 10:
        raise ValueError(f"product_digits must be between 2 and 10 (or None), got {digits!r}")
    return rows.mutate(product=rows["product"].substr(0, digits))


def _converted(rows: ir.Table, currency: str, rate: Rate) -> ir.Table:
    """``value`` in ``currency``: rows in another currency are multiplied by ``rate``."""
    if rate is None:
        factor: ir.Value = ibis.null("float64")
    elif isinstance(rate, int | float):
        factor = ibis.literal(float(rate), "float64")
    else:
        rates = ibis.memtable(rate) if isinstance(rate, pa.Table) else rate
        missing = {"year", "rate"} - set(rates.columns)
        if missing:
            raise ValueError(f"The rate table lacks the column(s) {sorted(missing)}")
        rates = rates.select(rate_year=rates.year.cast("int32"), rate=rates.rate.cast("float64"))
        rows = rows.left_join(rates, rows.year.cast("int32") == rates.rate_year).select(
            *rows.columns, "rate"
        )
        factor = rows["rate"]
    return rows.mutate(
        value=ibis.cases((rows.currency == currency, rows.value), else_=rows.value * factor),
        currency=ibis.literal(currency),
    )


def _side(
    rows: ir.Table,
    *,
    flow: int,
    reporters: list[str],
    freq: str,
    digits: int | None,
    ref: PartnerReference,
    swap: bool,
) -> ir.Table:
    """One side summed per reporter (the EU side), partner, product and period."""
    rows = select_period(rows, freq, lambda t: t.filter(t.flow == flow))
    if swap:  # the mirror's partner is the reporter of the comparison
        rows = rows.mutate(reporter=rows.partner, partner=rows.reporter)
    else:
        category = ref.category(rows.partner, rows.partner_kind)
        rows = rows.filter(category.isin((INTRA, EXTRA)))
    rows = _product_key(only_eu27(member_rows(rows, reporters, ref), reporters), digits)
    summed = rows.group_by([*_KEYS, "source"]).aggregate(value=rows.value.sum())
    return roll_up(summed, reporters, ref, ("value",))


def mirror_gaps(
    reported: ir.Table,
    mirror: ir.Table,
    *,
    reporter: str | Sequence[str] = EU27,
    flow: Literal["import", "export"] = "import",
    freq: str = FREQ_ANNUAL,
    currency: str = "EUR",
    rate: Rate = None,
    product_digits: int | None = 6,
    years: Sequence[int] | None = None,
) -> ir.Table:
    """The mirror gap ``(mirror − reported) / reported`` per reporter, partner, product, period.

    Parameters
    ----------
    reported
        The EU side in ``FLOW_SCHEMA`` (e.g. Comext); only its rows in ``currency`` are used.
    mirror
        The partners' side in ``FLOW_SCHEMA`` (e.g. BACI), whose partner column names the EU
        Member States.
    reporter
        ``"EU27"`` (Member States summed on both sides), a Member State, or a list of these.
    flow
        ``"import"``: the reporter's imports against the partners' exports; ``"export"``: the
        reporter's exports against the partners' imports.
    freq
        ``"A"`` or ``"M"``, with the annual/monthly rule of :func:`compute_indicators`.
    currency
        The currency of the comparison.
    rate
        How mirror values in another currency are converted: a scalar (units of ``currency``
        per unit of the mirror's currency, e.g. EUR per USD), or a table ``(year, rate)`` of
        such rates (e.g. the ECB annual average). ``None``: no conversion, and a mirror value
        in another currency gives a null mirror value and gap, never an unconverted one.
    product_digits
        Compare on the first digits of the product codes (6: HS subheadings, as CN8 and HS6
        share them); ``None`` compares the codes as they are. The caller makes sure the
        nomenclature editions of both sides are comparable.

    Returns
    -------
    ibis.Table
        ``reporter, partner, product, freq, period, year, flow, reported_source,
        mirror_source, currency, reported_value, mirror_value, mirror_gap``.

    Notes
    -----
    Imports are valued CIF and exports FOB, so for imports a gap of a few percent below zero
    is normal; large gaps point at misclassification, re-exports or confidential flows.
    """
    if flow not in ("import", "export"):
        raise ValueError(f"flow must be 'import' or 'export', got {flow!r}")
    check_freq(freq)
    ref = partner_reference()
    reporters = reporter_list(reporter, ref)
    own, other = (FLOW_IMPORT, FLOW_EXPORT) if flow == "import" else (FLOW_EXPORT, FLOW_IMPORT)
    reported_rows = filter_flows(reported, years=years)
    reported_rows = reported_rows.filter(reported_rows.currency == currency)
    left = _side(
        reported_rows,
        flow=own,
        reporters=reporters,
        freq=freq,
        digits=product_digits,
        ref=ref,
        swap=False,
    )
    right = _side(
        _converted(filter_flows(mirror, years=years), currency, rate),
        flow=other,
        reporters=reporters,
        freq=freq,
        digits=product_digits,
        ref=ref,
        swap=True,
    )
    joined = left.inner_join(right, _KEYS)
    return joined.select(
        *[left[k] for k in _KEYS],
        flow=ibis.literal(flow),
        reported_source=left.source,
        mirror_source=right.source,
        currency=ibis.literal(currency),
        reported_value=left.value,
        mirror_value=right.value,
        mirror_gap=(right.value - left.value) / left.value.nullif(0.0),
    ).order_by(_KEYS)

"""The building blocks of the indicators as backend-neutral Ibis expressions.

Each function takes and returns an Ibis table expression; nothing runs until the caller
executes the final expression on the backend that holds the flows (DuckDB, PySpark ...).
The pipeline is::

    filter_flows → member_rows → select_period → only_eu27 → attach_item
        → partner_flows → roll_up → classify ┬→ flow_totals
                                             ├→ suppliers → concentration
                                             └→ coverage ← months_used (annual periods)

``partner_flows`` (and, for annual periods, ``months_used`` on a second, narrow read of the
rows) are the only steps that read the raw rows; ``roll_up`` makes the EU27 from the Member
States' small results and every later step works on those. The two reads share no
intermediate table on purpose: a backend would have to hold a shared one in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ibis
import ibis.expr.types as ir

from critchem.trade.indicators.reference import (
    EU27,
    EXTRA,
    EXTRA_UNSPECIFIED,
    INTRA,
    INTRA_UNSPECIFIED,
    PartnerReference,
)
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT, FREQ_ANNUAL, FREQ_MONTHLY

FREQUENCIES: tuple[str, ...] = (FREQ_ANNUAL, FREQ_MONTHLY)
"""The frequencies the indicators are computed for."""

BASIS_ANNUAL = "A"
BASIS_MONTHLY = "M"
BASIS_MIXED = "A+M"

_BASE_KEYS: tuple[str, ...] = ("source", "currency", "reporter")
_PERIOD_KEYS: tuple[str, ...] = ("freq", "period", "year")
ROW_COLUMNS: tuple[str, ...] = (
    "source",
    "currency",
    "reporter",
    "partner",
    "partner_kind",
    "product",
    "flow",
    "freq",
    "period",
    "year",
    "value",
    "net_mass_kg",
)
"""The columns of the stored flows that the indicators read."""

_INTRA_CATEGORIES = (INTRA, INTRA_UNSPECIFIED)
_EXTRA_CATEGORIES = (EXTRA, EXTRA_UNSPECIFIED)


def group_keys(item: str) -> list[str]:
    """The columns one indicator row is keyed by, with ``item`` the product or molecule column.

    >>> group_keys("product")
    ['source', 'currency', 'reporter', 'product', 'freq', 'period', 'year']
    """
    return [*_BASE_KEYS, item, *_PERIOD_KEYS]


def check_freq(freq: str) -> str:
    """``freq`` when it is ``"A"`` or ``"M"``; a ``ValueError`` naming the choices otherwise."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be 'A' (annual) or 'M' (monthly), got {freq!r}")
    return freq


def reporter_list(reporter: str | Sequence[str], ref: PartnerReference) -> list[str]:
    """The requested reporters, each ``"EU27"`` or a Member State code, checked."""
    wanted = [reporter] if isinstance(reporter, str) else list(reporter)
    if not wanted:
        raise ValueError("Give at least one reporter: 'EU27' or a Member State code")
    for code in wanted:
        if code != EU27 and code not in ref.eu27:
            raise ValueError(
                f"Reporter {code!r} is neither 'EU27' nor an EU27_2020 Member State "
                f"({', '.join(ref.eu27)})"
            )
    return list(dict.fromkeys(wanted))


def filter_flows(
    flows: ir.Table,
    *,
    source: str | None = None,
    products: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> ir.Table:
    """The rows of one source, some product codes and some years (``None``: all)."""
    if source is not None:
        flows = flows.filter(flows.source == source)
    if products is not None:
        flows = flows.filter(flows["product"].isin(list(products)))
    if years is not None:
        flows = flows.filter(flows.year.isin([int(y) for y in years]))
    return flows


def member_rows(flows: ir.Table, reporters: Sequence[str], ref: PartnerReference) -> ir.Table:
    """The rows of the Member State reporters that ``reporters`` need (all 27 for ``"EU27"``).

    A published ``EU27_2020`` reporter row is never used: the EU27 figure is always the sum
    over the Member State reporters (:func:`roll_up`), so that it is consistent with them.
    """
    needed = ref.eu27 if EU27 in reporters else tuple(reporters)
    return flows.filter(flows.reporter.isin(needed))


def select_period(
    flows: ir.Table,
    freq: str,
    keep: Callable[[ir.Table], ir.Table] | None = None,
    columns: Sequence[str] = ROW_COLUMNS,
) -> ir.Table:
    """The rows that make the periods of frequency ``freq``, never mixing frequencies.

    Monthly (``"M"``) uses the monthly rows only. Annual (``"A"``) uses the annual rows of a
    (source, reporter, product, year) when there are any, and the sum of its monthly rows
    otherwise; the ``basis`` column says which (``"A"`` or ``"M"``) and ``source_period``
    keeps the original period so that the months can be counted.

    ``keep`` filters the rows (sources, reporters, products ...) and ``columns`` are the
    columns kept. Both are applied to the annual and to the monthly rows separately, so that
    each reads the stored flows on its own: a filtered table shared by two steps would have
    to be held in memory by the backend.
    """
    check_freq(freq)
    keep = keep or (lambda table: table)

    def rows(code: str) -> ir.Table:
        stored = flows.select(*columns)
        return keep(stored.filter(stored.freq == code))

    if freq == FREQ_MONTHLY:
        monthly = rows(FREQ_MONTHLY)
        return monthly.mutate(basis=ibis.literal(BASIS_MONTHLY), source_period=monthly.period)
    cell = ["source", "reporter", "product", "year"]
    annual = rows(FREQ_ANNUAL)
    monthly = rows(FREQ_MONTHLY).anti_join(annual.select(*cell).distinct(), cell)
    parts = [
        t.mutate(
            basis=ibis.literal(basis),
            source_period=t.period,
            period=t.year.cast("string"),
            freq=ibis.literal(FREQ_ANNUAL),
        )
        for t, basis in ((annual, BASIS_ANNUAL), (monthly, BASIS_MONTHLY))
    ]
    return _union(parts)


def _union(parts: Sequence[ir.Table]) -> ir.Table:
    """``UNION ALL`` of tables with the same columns, whatever their nullability."""
    if len(parts) == 1:
        return parts[0]
    columns = parts[0].columns
    return ibis.union(*[_nullable(p.select(*columns)) for p in parts], distinct=False)


def _nullable(table: ir.Table) -> ir.Table:
    """The table with every column nullable, so that set operations see equal schemas."""
    return table.cast({name: dtype.copy(nullable=True) for name, dtype in table.schema().items()})


def attach_item(flows: ir.Table, item: str, mapping: ir.Table | None) -> ir.Table:
    """Add the column ``item`` from ``mapping``, e.g. the molecules mapped to each product.

    ``mapping`` has the columns ``(item, product)``, e.g. ``(molecule_id, product)``, and an
    optional ``weight``: the item's share of the product's trade (a group code shared by
    several substances), by which value, mass and supplementary quantity are multiplied.
    Without ``weight`` a product mapped to several items counts in full for each of them;
    a product mapped to none is left out. Without a mapping the item is the product itself.
    """
    if mapping is None:
        return flows
    if "weight" not in mapping.columns:
        pairs = mapping.select(item, "product").distinct()
        return flows.inner_join(pairs, "product")
    weighted = mapping.select(item, "product", "weight").distinct()
    joined = flows.inner_join(weighted, "product")
    scaled = {
        c: joined[c] * joined.weight
        for c in ("value", "net_mass_kg", "suppl_quantity")
        if c in flows.columns
    }
    return joined.mutate(**scaled).drop("weight")


def only_eu27(rows: ir.Table, reporters: Sequence[str]) -> ir.Table:
    """Label the rows ``"EU27"`` at once when the EU27 is the only reporter asked for.

    Aggregating the 27 Member States in the first pass over the rows is cheaper than summing
    their separate results; :func:`roll_up` then has nothing left to do.
    """
    if list(reporters) != [EU27]:
        return rows
    return rows.mutate(reporter=ibis.literal(EU27))


def partner_flows(rows: ir.Table, keys: Sequence[str]) -> ir.Table:
    """Value and mass per key, basis, partner and flow: the one aggregation of the raw rows.

    ``value_paired`` and ``mass_paired`` sum only the rows that have both a value and a
    positive mass: the unit values divide these, so that a row without mass never inflates
    a unit value.
    """
    paired = rows.value.notnull() & (rows.net_mass_kg > 0)
    return rows.group_by([*keys, "basis", "partner", "partner_kind", "flow"]).aggregate(
        value=rows.value.sum(),
        net_mass_kg=rows.net_mass_kg.sum(),
        value_paired=rows.value.sum(where=paired),
        mass_paired=rows.net_mass_kg.sum(where=paired),
    )


PARTNER_SUMS: tuple[str, ...] = ("value", "net_mass_kg", "value_paired", "mass_paired")
"""The additive columns of :func:`partner_flows`."""

MONTH_COLUMNS: tuple[str, ...] = (
    "source",
    "currency",
    "reporter",
    "product",
    "freq",
    "period",
    "year",
)
"""The columns of the stored flows that :func:`months_used` reads."""


def months_used(rows: ir.Table, keys: Sequence[str]) -> ir.Table:
    """The distinct (key, basis, source period) of rows read with :data:`MONTH_COLUMNS`."""
    return rows.select(*keys, "basis", "source_period").distinct()


def roll_up(
    table: ir.Table, reporters: Sequence[str], ref: PartnerReference, sums: Sequence[str]
) -> ir.Table:
    """The Member State rows of ``table`` for each requested reporter, ``"EU27"`` summed.

    ``table`` holds one row per Member State reporter and key; the EU27 rows add up the
    ``sums`` columns over the 27 (or keep the distinct keys when there are no ``sums``).
    Working on aggregated rows, the EU27 and any Member States cost one pass over the data.
    A table that :func:`only_eu27` labelled already is returned as it is.
    """
    if list(reporters) == [EU27]:
        return table
    parts = []
    if EU27 in reporters:
        eu = table.filter(table.reporter.isin(ref.eu27)).mutate(reporter=ibis.literal(EU27))
        keys = [c for c in eu.columns if c not in sums]
        if sums:
            parts.append(eu.group_by(keys).aggregate(**{c: eu[c].sum() for c in sums}))
        else:
            parts.append(eu.distinct())
    members = [code for code in reporters if code != EU27]
    if members:
        parts.append(table.filter(table.reporter.isin(members)))
    return _union(parts)


def classify(partners: ir.Table, ref: PartnerReference) -> ir.Table:
    """Add each partner's ``category``; aggregates are dropped."""
    partners = partners.mutate(category=ref.category(partners.partner, partners.partner_kind))
    return partners.filter(partners.category.isin((*_INTRA_CATEGORIES, *_EXTRA_CATEGORIES)))


def coverage(partners: ir.Table, keys: Sequence[str], months: ir.Table | None) -> ir.Table:
    """Per key, what the period is built from: ``basis`` and ``n_months``.

    ``basis`` is ``"A"`` (annual rows), ``"M"`` (monthly rows) or ``"A+M"`` (some reporters
    of an EU27 sum one, some the other). ``n_months`` counts the distinct months summed, from
    :func:`months_used` (null when only annual rows were used); without ``months`` (monthly
    periods) it is 1.
    """
    low, high = partners.basis.min(), partners.basis.max()
    basis = partners.group_by(list(keys)).aggregate(
        basis=ibis.cases((low == high, low), else_=BASIS_MIXED)
    )
    if months is None:
        return basis.mutate(n_months=ibis.literal(1, "int64"))
    count = months.source_period.nunique(where=months.basis == BASIS_MONTHLY)
    counted = months.group_by(list(keys)).aggregate(n_months=count.nullif(0).cast("int64"))
    return basis.left_join(counted, list(keys)).select(*keys, "basis", "n_months")


def _unit_value(value: ir.FloatingValue, mass: ir.FloatingValue) -> ir.FloatingValue:
    return value / mass.nullif(0.0)


def flow_totals(partners: ir.Table, keys: Sequence[str]) -> ir.Table:
    """Import and export totals, intra/extra split and unit values per key."""
    t = partners
    imp = t.flow == FLOW_IMPORT
    exp = t.flow == FLOW_EXPORT
    extra = t.category.isin(_EXTRA_CATEGORIES)
    intra = t.category.isin(_INTRA_CATEGORIES)
    return t.group_by(list(keys)).aggregate(
        import_value=t.value.sum(where=imp),
        import_net_mass_kg=t.net_mass_kg.sum(where=imp),
        import_unit_value=_unit_value(t.value_paired.sum(where=imp), t.mass_paired.sum(where=imp)),
        export_value=t.value.sum(where=exp),
        export_net_mass_kg=t.net_mass_kg.sum(where=exp),
        export_unit_value=_unit_value(t.value_paired.sum(where=exp), t.mass_paired.sum(where=exp)),
        intra_import_value=t.value.sum(where=imp & intra),
        extra_import_value=t.value.sum(where=imp & extra),
        extra_import_net_mass_kg=t.net_mass_kg.sum(where=imp & extra),
        extra_import_unit_value=_unit_value(
            t.value_paired.sum(where=imp & extra), t.mass_paired.sum(where=imp & extra)
        ),
        unspecified_import_value=t.value.sum(where=imp & (t.category == EXTRA_UNSPECIFIED)),
        intra_export_value=t.value.sum(where=exp & intra),
        extra_export_value=t.value.sum(where=exp & extra),
        extra_export_net_mass_kg=t.net_mass_kg.sum(where=exp & extra),
    )


def suppliers(partners: ir.Table, keys: Sequence[str], ref: PartnerReference) -> ir.Table:
    """One row per key and extra-EU partner of the imports, with shares and governance.

    ``share`` is the partner's share of the extra-EU imports from known origins (the EU
    criticality practice: confidential and unspecified origins are left out of the
    denominator and get a null share); ``share_of_extra`` is its share of all extra-EU
    imports, unspecified origins included. ``rank`` orders the known origins by value (ties
    by partner code), 1 the largest. ``wgi`` is the scaled WGI, the median of all countries
    when ``wgi_imputed``; both are null for unspecified origins.
    """
    t = partners.filter((partners.flow == FLOW_IMPORT) & partners.category.isin(_EXTRA_CATEGORIES))
    paired_value = t.value_paired.sum()
    paired_mass = t.mass_paired.sum()
    t = t.group_by([*keys, "partner", "category"]).aggregate(
        value=t.value.sum(),
        net_mass_kg=t.net_mass_kg.sum(),
        unit_value=_unit_value(paired_value, paired_mass),
    )
    t = t.mutate(known_origin=(t.category == EXTRA) & (t.value > 0))
    wgi = ref.wgi_table()
    t = t.left_join(wgi, t.partner == wgi.wgi_partner).select(
        *t.columns,
        wgi=ibis.cases((t.known_origin, wgi.wgi_known.fill_null(ref.wgi_median)), else_=None),
        wgi_imputed=ibis.cases((t.known_origin, wgi.wgi_known.isnull()), else_=None),
    )
    by_key = ibis.window(group_by=list(keys))
    known_total = t.known_origin.ifelse(t.value, 0.0).sum().over(by_key)
    rank = ibis.row_number().over(
        group_by=[*keys, "known_origin"], order_by=[ibis.desc("value"), "partner"]
    )
    return t.mutate(
        share=ibis.cases((t.known_origin, t.value / known_total.nullif(0.0)), else_=None),
        share_of_extra=t.value / t.value.sum().over(by_key).nullif(0.0),
        rank=ibis.cases((t.known_origin, rank + 1), else_=None),
    )


def concentration(supplier_rows: ir.Table, keys: Sequence[str]) -> ir.Table:
    """HHI, governance-weighted HHI and the top supplier per key, from :func:`suppliers`."""
    t = supplier_rows.filter(supplier_rows.known_origin)
    square = t.share * t.share
    top = t["rank"] == 1
    return t.group_by(list(keys)).aggregate(
        n_suppliers=t.partner.count(),
        hhi=square.sum(),
        gov_hhi=(square * t.wgi).sum(),
        wgi_imputed_share=t.wgi_imputed.ifelse(t.share, 0.0).sum(),
        top_supplier=t.partner.max(where=top),
        top_supplier_share=t.share.max(where=top),
    )

"""The high-level indicator API: one call per table of indicators, on any Ibis backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from critchem.trade.indicators.expressions import (
    MONTH_COLUMNS,
    PARTNER_SUMS,
    ROW_COLUMNS,
    attach_item,
    check_freq,
    classify,
    concentration,
    coverage,
    filter_flows,
    flow_totals,
    group_keys,
    member_rows,
    months_used,
    only_eu27,
    partner_flows,
    reporter_list,
    roll_up,
    select_period,
    suppliers,
)
from critchem.trade.indicators.formulas import HHI_POINTS_SCALE
from critchem.trade.indicators.reference import EU27, PartnerReference, partner_reference
from critchem.trade.schema import FREQ_ANNUAL

Level = Literal["product", "molecule"]

ITEM_COLUMNS: dict[str, str] = {"product": "product", "molecule": "molecule_id"}
"""The name of the item column of each level."""

INDICATOR_COLUMNS: dict[str, str] = {
    "basis": "'A' annual rows, 'M' summed from monthly rows, 'A+M' both among the reporters",
    "n_months": "distinct months with rows (1 for monthly periods, null if only annual rows)",
    "import_value": "imports from all partners (intra + extra, aggregates excluded)",
    "import_net_mass_kg": "net mass of those imports, kg",
    "import_unit_value": "import value / net mass, over the rows that have both",
    "export_value": "exports to all partners",
    "export_net_mass_kg": "net mass of those exports, kg",
    "export_unit_value": "export value / net mass, over the rows that have both",
    "intra_import_value": "imports from Member States (and intra-EU unspecified codes)",
    "extra_import_value": "imports from outside the EU, unspecified origins included",
    "extra_import_net_mass_kg": "net mass of the extra-EU imports, kg",
    "extra_import_unit_value": "extra-EU import value / net mass",
    "unspecified_import_value": "extra-EU imports of confidential or unspecified origin",
    "extra_import_share": "extra-EU imports / (intra-EU + extra-EU imports)",
    "extra_export_value": "exports to outside the EU",
    "extra_export_net_mass_kg": "net mass of the extra-EU exports, kg",
    "intra_export_value": "exports to Member States",
    "extra_import_export_ratio": "extra-EU imports / extra-EU exports",
    "n_suppliers": "known extra-EU origins with a positive import value",
    "hhi": "Σ s_i² over known extra-EU origins, shares as fractions (0..1)",
    "hhi_points": "10,000 · hhi (shares in percent, 0..10,000)",
    "gov_hhi": "Σ s_i² · WGI_i, WGI scaled 0..10 with 10 the worst (0..10)",
    "wgi_imputed_share": "share of known-origin imports whose WGI is the imputed median",
    "top_supplier": "the largest known extra-EU origin (ties: first partner code)",
    "top_supplier_share": "its share of the known-origin extra-EU imports",
}
"""Every indicator column after the keys, with its meaning."""

_FLOAT_COLUMNS = {
    name
    for name in INDICATOR_COLUMNS
    if name not in {"basis", "n_months", "n_suppliers", "top_supplier"}
}


def _mapping_table(mapping: ir.Table | pa.Table | None, level: Level) -> ir.Table | None:
    if level == "product":
        if mapping is not None:
            raise ValueError("A mapping is only used with level='molecule'")
        return None
    if mapping is None:
        raise ValueError("level='molecule' needs a mapping table (molecule_id, product)")
    table = ibis.memtable(mapping) if isinstance(mapping, pa.Table) else mapping
    missing = {"molecule_id", "product"} - set(table.columns)
    if missing:
        raise ValueError(f"The mapping table lacks the column(s) {sorted(missing)}")
    return table


def _read(
    flows: ir.Table,
    *,
    item: str,
    mapping: ir.Table | None,
    reporters: Sequence[str],
    freq: str,
    source: str | None,
    products: Sequence[str] | None,
    years: Sequence[int] | None,
    ref: PartnerReference,
) -> tuple[ir.Table, ir.Table]:
    """The partner flows and the coverage per key (see :mod:`.expressions`)."""
    check_freq(freq)
    keys = group_keys(item)

    def keep(rows: ir.Table) -> ir.Table:
        rows = filter_flows(rows, source=source, products=products, years=years)
        return member_rows(rows, reporters, ref)

    def rows(columns: Sequence[str]) -> ir.Table:
        selected = only_eu27(select_period(flows, freq, keep, columns), reporters)
        return attach_item(selected, item, mapping)

    partners = roll_up(partner_flows(rows(ROW_COLUMNS), keys), reporters, ref, PARTNER_SUMS)
    partners = classify(partners, ref)
    months = None
    if freq == FREQ_ANNUAL:
        months = roll_up(months_used(rows(MONTH_COLUMNS), keys), reporters, ref, ())
    return partners, coverage(partners, keys, months)


def compute_indicators(
    flows: ir.Table,
    *,
    level: Level = "product",
    mapping: ir.Table | pa.Table | None = None,
    reporter: str | Sequence[str] = EU27,
    freq: str = FREQ_ANNUAL,
    source: str | None = None,
    products: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    wgi: Mapping[str, float] | None = None,
) -> ir.Table:
    """All trade indicators per item, reporter and period, as one lazy Ibis table.

    Parameters
    ----------
    flows
        Rows in the canonical ``FLOW_SCHEMA``, on any Ibis backend.
    level
        ``"product"`` (one row per product code) or ``"molecule"`` (codes summed through
        ``mapping``).
    mapping
        For ``level="molecule"``: a table ``(molecule_id, product)``.
    reporter
        ``"EU27"`` (the sum over the 27 Member State reporters), a Member State code, or a
        list of these (one set of rows each).
    freq
        ``"A"`` (annual: the annual rows, or the monthly rows summed when a year has no annual
        rows, see the ``basis`` column) or ``"M"`` (monthly rows only).
    source, products, years
        Optional filters; ``None`` keeps everything.
    wgi
        Scaled WGI per partner code (0..10, 10 the worst); default the shipped WGI 2020.

    Returns
    -------
    ibis.Table
        The keys ``source, currency, reporter, product|molecule_id, freq, period, year``,
        then the columns of :data:`INDICATOR_COLUMNS`, ordered by the keys. Source and
        currency are keys so that different sources or currencies are never added up.
        Execute it with the backend's ``to_pyarrow`` (or ``to_parquet`` ...).
    """
    item = ITEM_COLUMNS[level]
    ref = partner_reference(wgi)
    keys = group_keys(item)
    partners, cover = _read(
        flows,
        item=item,
        mapping=_mapping_table(mapping, level),
        reporters=reporter_list(reporter, ref),
        freq=freq,
        source=source,
        products=products,
        years=years,
        ref=ref,
    )
    totals = flow_totals(partners, keys)
    conc = concentration(suppliers(partners, keys, ref), keys)
    joined = totals.inner_join(cover, keys).left_join(conc, keys)
    values: dict[str, ir.Value] = {
        "basis": cover.basis,
        "n_months": cover.n_months,
        "import_value": totals.import_value,
        "import_net_mass_kg": totals.import_net_mass_kg,
        "import_unit_value": totals.import_unit_value,
        "export_value": totals.export_value,
        "export_net_mass_kg": totals.export_net_mass_kg,
        "export_unit_value": totals.export_unit_value,
        "intra_import_value": totals.intra_import_value,
        "extra_import_value": totals.extra_import_value,
        "extra_import_net_mass_kg": totals.extra_import_net_mass_kg,
        "extra_import_unit_value": totals.extra_import_unit_value,
        "unspecified_import_value": totals.unspecified_import_value,
        "extra_import_share": totals.extra_import_value / totals.import_value.nullif(0.0),
        "extra_export_value": totals.extra_export_value,
        "extra_export_net_mass_kg": totals.extra_export_net_mass_kg,
        "intra_export_value": totals.intra_export_value,
        "extra_import_export_ratio": totals.extra_import_value
        / totals.extra_export_value.nullif(0.0),
        "n_suppliers": conc.n_suppliers.fill_null(0).cast("int64"),
        "hhi": conc.hhi,
        "hhi_points": conc.hhi * HHI_POINTS_SCALE,
        "gov_hhi": conc.gov_hhi,
        "wgi_imputed_share": conc.wgi_imputed_share,
        "top_supplier": conc.top_supplier,
        "top_supplier_share": conc.top_supplier_share,
    }
    out = joined.select(
        *[totals[k] for k in keys],
        **{
            name: value.cast("float64") if name in _FLOAT_COLUMNS else value
            for name, value in values.items()
        },
    )
    return out.order_by(keys)


def supplier_shares(
    flows: ir.Table,
    *,
    product_or_codes: str | Sequence[str],
    year: int,
    reporter: str | Sequence[str] = EU27,
    source: str | None = None,
    wgi: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
) -> ir.Table:
    """The extra-EU origins of one product (or several codes summed) in one year.

    ``weights`` gives a factor per code (a molecule's sourced share of a group code, see
    :mod:`critchem.evidence.codes`) by which the code's value and mass are multiplied before
    the codes are summed; a code without one counts in full.

    One row per source, currency and extra-EU partner, unspecified origins (Q-codes)
    included as their own rows with a null ``share``. The year is built from the annual
    rows, or from the monthly rows when the year has no annual rows (``basis`` and
    ``n_months`` say which, as in :func:`compute_indicators`).

    Returns
    -------
    ibis.Table
        ``source, currency, reporter, product, year, basis, n_months, partner, category,
        known_origin, value, net_mass_kg, unit_value, share, share_of_extra, rank, wgi,
        wgi_imputed``, known origins first by value; ``product`` is the code, or the codes
        joined by ``+``. See :func:`~critchem.trade.indicators.expressions.suppliers`.
    """
    codes = [product_or_codes] if isinstance(product_or_codes, str) else list(product_or_codes)
    if not codes:
        raise ValueError("Give at least one product code")
    label = "+".join(codes)
    columns_in: dict[str, list[str] | list[float]] = {
        "product_label": [label] * len(codes),
        "product": codes,
    }
    if weights is not None:
        columns_in["weight"] = [float(weights.get(code, 1.0)) for code in codes]
    mapping = ibis.memtable(pa.table(columns_in))
    return supplier_rows(
        flows,
        mapping=mapping,
        reporter=reporter,
        source=source,
        products=codes,
        years=[year],
        wgi=wgi,
    )


def supplier_rows(
    flows: ir.Table,
    *,
    mapping: ir.Table,
    reporter: str | Sequence[str] = EU27,
    source: str | None = None,
    products: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    wgi: Mapping[str, float] | None = None,
) -> ir.Table:
    """The extra-EU origins of each ``product_label`` of ``mapping``.

    ``mapping`` has the columns ``(product_label, product)`` and an optional ``weight`` (see
    :func:`supplier_shares`). The rows of :func:`supplier_shares` for every year in ``years``
    (``None``: all): each year is computed on its own rows only, so one call for several
    years gives each year's rows of a call for that year.
    """
    ref = partner_reference(wgi)
    partners, cover = _read(
        flows,
        item="product_label",
        mapping=mapping,
        reporters=reporter_list(reporter, ref),
        freq=FREQ_ANNUAL,
        source=source,
        products=products,
        years=years,
        ref=ref,
    )
    keys = group_keys("product_label")
    table = suppliers(partners, keys, ref).inner_join(cover, keys)
    table = table.rename(product="product_label")
    columns = [
        "source",
        "currency",
        "reporter",
        "product",
        "year",
        "basis",
        "n_months",
        "partner",
        "category",
        "known_origin",
        "value",
        "net_mass_kg",
        "unit_value",
        "share",
        "share_of_extra",
        "rank",
        "wgi",
        "wgi_imputed",
    ]
    return table.select(*columns).order_by(
        ["source", "currency", "year", ibis.desc("known_origin"), ibis.desc("value"), "partner"]
    )

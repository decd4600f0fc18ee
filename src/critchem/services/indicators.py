"""Trade indicator services: series and supplier shares of a code or a molecule from the store.

The store's Parquet files are read through Ibis (DuckDB by default, Spark on request), and the
indicators are the ones of :mod:`critchem.trade.indicators`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from critchem.core.errors import BackendUnavailableError, NotFoundError, QueryError
from critchem.evidence.codes import GROUP_NOTE, CodeWeights, code_weights
from critchem.molecules import ExternalCompound, default_resolver
from critchem.nomenclature import normalise_code
from critchem.trade._layout import committed_files
from critchem.trade.indicators.formulas import governance_weighted_hhi, hhi
from critchem.trade.indicators.reference import EU27
from critchem.trade.schema import FREQ_ANNUAL, FREQ_MONTHLY

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

# Ibis is imported inside the functions that build expressions: the EU27 series of
# ``trade series`` run the compiled SQL (critchem.trade.indicators.sql) without it.

SOURCE_PREFERENCE = (
    "comext_bulk",
    "comext_sdmx",
    "comext_extract",
    "surveillance",
    "comtrade",
    "baci",
    "synthetic",
)
"""When several sources hold a code, the one shown by default (official statistics first)."""

SERIES_COLUMNS = (
    "source",
    "reporter",
    "period",
    "import_value",
    "import_net_mass_kg",
    "import_unit_value",
    "extra_import_value",
    "extra_import_share",
    "export_value",
    "extra_import_export_ratio",
    "hhi",
    "gov_hhi",
    "top_supplier",
    "top_supplier_share",
)


@dataclass(frozen=True, slots=True)
class Target:
    """What a query names: one code, or a molecule and its CN8 codes."""

    label: str
    codes: tuple[str, ...]
    molecule_id: str | None


def check_query(*, freq: str = FREQ_ANNUAL, reporter: str = EU27) -> None:
    """Refuse a frequency other than ``A``/``M`` or a reporter other than ``EU27`` or a Member
    State, naming the accepted values (a ``QueryError``: exit 2 in the CLI, 400 in the API)."""
    if freq not in (FREQ_ANNUAL, FREQ_MONTHLY):
        raise QueryError(f"freq must be 'A' (annual) or 'M' (monthly), got {freq!r}")
    if reporter != EU27:
        from critchem.trade.indicators.reference import partner_reference

        members = partner_reference().eu27
        if reporter not in members:
            raise QueryError(
                f"Reporter {reporter!r} is neither 'EU27' nor an EU27_2020 Member State "
                f"({', '.join(members)})"
            )


def _require_flows(store_root: Path) -> None:
    """A ``NotFoundError`` for a store without committed files (nothing to compute on)."""
    if not committed_files(Path(store_root)):
        raise NotFoundError(f"The trade store {store_root} is empty: run `critchem ingest` first")


def resolve_target(query: str) -> Target:
    """A CN8/HS6 code as given, or the registry molecule the query names with its codes."""
    code = normalise_code(query)
    if code.isdigit() and len(code) in (6, 8):
        return Target(code, (code,), None)
    found = default_resolver().resolve(query)
    if isinstance(found, ExternalCompound):
        raise NotFoundError(
            f"{found.name} ({found.cas}) is not in the registry: it has no mapped customs code"
        )
    return Target(found.name, tuple(found.cn8), found.id)


def open_flows(
    store_root: Path, *, backend: str = "duckdb", spark_master: str | None = None
) -> ir.Table:
    """The store's flows as an Ibis table on ``backend`` (``duckdb`` or ``pyspark``).

    ``spark_master`` is where Spark runs (default ``local[2]``; a standalone cluster is
    ``spark://host:port``); it is refused with DuckDB, which has no master.
    """
    if spark_master is not None and backend != "pyspark":
        raise BackendUnavailableError("--spark-master needs --backend pyspark")
    files = committed_files(Path(store_root))
    if not files:
        raise NotFoundError(f"The trade store {store_root} is empty: run `critchem ingest` first")
    from critchem.trade.indicators.backends import connect, spark_table

    if backend == "pyspark":
        return spark_table([str(f) for f in files], master=spark_master or "local[2]")
    con = connect("duckdb")
    return con.read_parquet([str(f) for f in files])


MappingRow = tuple[str, str, float]
"""One ``(molecule_id, product, weight)`` row of a mapping table."""


def weighted_mapping_rows(
    molecules: dict[str, list[str]],
) -> tuple[list[MappingRow], dict[str, CodeWeights]]:
    """The (molecule_id, product, weight) rows of molecules' codes, and each one's weights.

    A group code counts at its sourced share, or in full as an upper bound (see
    :mod:`critchem.evidence.codes`); a code given but not in the mapping counts in full.
    """
    from critchem.molecules import load_mapping

    mapping = load_mapping()
    weights = {mid: code_weights(mapping.for_molecule(mid)) for mid in molecules}
    rows = [
        (mid, code, weights[mid].weights.get(code, 1.0))
        for mid, codes in molecules.items()
        for code in codes
    ]
    return rows, weights


def mapping_table(rows: Sequence[MappingRow]) -> pa.Table:
    """The mapping rows as an Arrow table ``(molecule_id, product, weight)``."""
    import pyarrow as pa

    return pa.table(
        {
            "molecule_id": pa.array([r[0] for r in rows], pa.string()),
            "product": pa.array([r[1] for r in rows], pa.string()),
            "weight": pa.array([r[2] for r in rows], pa.float64()),
        }
    )


def weighted_mapping(molecules: dict[str, list[str]]) -> tuple[pa.Table, dict[str, CodeWeights]]:
    """:func:`weighted_mapping_rows` as an Arrow table, and each molecule's weights."""
    rows, weights = weighted_mapping_rows(molecules)
    return mapping_table(rows), weights


def flag_record(record: dict[str, Any], weights: CodeWeights | None) -> dict[str, Any]:
    """Mark a molecule record built on group codes (upper bound, or counted at a share)."""
    if weights is not None:
        record["group_upper_bound"] = weights.upper_bound
        record["codes_note"] = weights.note
    return record


def group_fields(codes: Sequence[str], weights: CodeWeights | None) -> dict[str, Any]:
    """How the codes counted: ``code_weights`` per code, ``group_upper_bound``, ``marker``.

    ``marker`` is :data:`~critchem.evidence.codes.GROUP_NOTE` on an upper bound, else empty;
    ``codes_note`` names the codes counted in full or at their share (empty for exact codes).
    """
    if weights is None:
        return {
            "code_weights": {code: 1.0 for code in codes},
            "group_upper_bound": False,
            "marker": "",
            "codes_note": "",
        }
    return {
        "code_weights": {code: weights.weights.get(code, 1.0) for code in codes},
        "group_upper_bound": weights.upper_bound,
        "marker": GROUP_NOTE if weights.upper_bound else "",
        "codes_note": weights.note,
    }


def _records(table: pa.Table, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    names = [c for c in columns if c in table.column_names]
    return table.select(names).to_pylist()  # type: ignore[no-any-return]


def _eu27_series(
    store_root: Path, mapping: Sequence[MappingRow], *, freq: str, source: str | None
) -> list[dict[str, Any]]:
    """The EU27 indicators through the compiled SQL on DuckDB (see :mod:`.sql`), no Ibis."""
    from critchem.trade.indicators.sql import eu27_indicators

    files = committed_files(Path(store_root))
    if not files:
        raise NotFoundError(f"The trade store {store_root} is empty: run `critchem ingest` first")
    return eu27_indicators(files, mapping, freq=freq, source=source)


def _ibis_series(
    target: Target,
    store_root: Path,
    mapping: Sequence[MappingRow],
    *,
    reporter: str,
    freq: str,
    source: str | None,
    backend: str,
    spark_master: str | None,
) -> list[dict[str, Any]]:
    """The indicators through the Ibis pipeline on ``backend`` (any reporter)."""
    from critchem.trade.indicators.compute import compute_indicators

    flows = open_flows(store_root, backend=backend, spark_master=spark_master)
    if target.molecule_id is None:
        expr = compute_indicators(
            flows, reporter=reporter, freq=freq, source=source, products=list(target.codes)
        )
    else:
        expr = compute_indicators(
            flows,
            level="molecule",
            mapping=mapping_table(mapping),
            reporter=reporter,
            freq=freq,
            source=source,
        )
    return expr.to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def source_of(rows: list[dict[str, Any]], source: str | None) -> str | None:
    """The source asked for, else the first of ``SOURCE_PREFERENCE`` the rows hold."""
    if source or not rows:
        return source
    present = {r["source"] for r in rows}
    for name in SOURCE_PREFERENCE:
        if name in present:
            return name
    return str(sorted(present)[0])


def trade_series(
    query: str,
    *,
    store_root: Path,
    reporter: str = "EU27",
    freq: str = FREQ_MONTHLY,
    source: str | None = None,
    backend: str = "duckdb",
    spark_master: str | None = None,
) -> list[dict[str, Any]]:
    """Period by period indicators of a code or molecule (one source; see ``SOURCE_PREFERENCE``).

    The EU27 on DuckDB runs the compiled SQL of the indicator pipeline
    (:mod:`critchem.trade.indicators.sql`); other reporters and Spark run the pipeline itself
    (``backend="pyspark"`` at ``spark_master``, see :func:`open_flows`).
    """
    if spark_master is not None and backend != "pyspark":
        raise BackendUnavailableError("--spark-master needs --backend pyspark")
    target = resolve_target(query)
    _require_flows(store_root)
    check_query(freq=freq, reporter=reporter)
    weights: dict[str, CodeWeights] = {}
    if target.molecule_id is None:
        mapping: list[MappingRow] = [(code, code, 1.0) for code in target.codes]
    else:
        mapping, weights = weighted_mapping_rows({target.molecule_id: list(target.codes)})
    if backend == "duckdb" and reporter == EU27:
        rows = _eu27_series(store_root, mapping, freq=freq, source=source)
    else:
        rows = _ibis_series(
            target,
            store_root,
            mapping,
            reporter=reporter,
            freq=freq,
            source=source,
            backend=backend,
            spark_master=spark_master,
        )
    chosen = source_of(rows, source)
    rows = [r for r in rows if r["source"] == chosen]
    if not rows and backend == "duckdb":
        from critchem.services.aggregate_series import aggregate_series

        fallback = aggregate_series(
            store_root, list(target.codes), reporter=reporter, freq=freq, source=source
        )
        if fallback:
            return fallback
    if not rows:
        raise NotFoundError(f"No {freq} trade data for {target.label} ({', '.join(target.codes)})")
    molecule_weights = weights.get(target.molecule_id) if target.molecule_id else None
    return [
        flag_record({c: r[c] for c in SERIES_COLUMNS if c in r}, molecule_weights) for r in rows
    ]


def trade_suppliers(
    query: str,
    *,
    store_root: Path,
    year: int,
    reporter: str = "EU27",
    source: str | None = None,
    backend: str = "duckdb",
    spark_master: str | None = None,
) -> dict[str, Any]:
    """Extra-EU supplier shares of a code or molecule in one year, with HHI and governance HHI.

    ``shares`` maps each known extra-EU origin to its share of the known-origin extra-EU
    imports by value (fractions summing to 1); confidential origins are listed in
    ``suppliers`` with a null share.

    For a molecule, each code counts with its weight (:func:`critchem.evidence.codes.
    code_weights`): a group code at its sourced share, or in full as an upper bound, and then
    ``group_upper_bound`` is true and ``marker`` says "group code, upper bound". A code asked
    for by itself counts in full (it is that code's trade).
    """
    if spark_master is not None and backend != "pyspark":
        raise BackendUnavailableError("--spark-master needs --backend pyspark")
    target = resolve_target(query)
    _require_flows(store_root)
    check_query(reporter=reporter)
    weights = _target_weights(target)
    if backend == "duckdb" and reporter == EU27:
        found = _eu27_supplier_rows(store_root, target, source, weights)
        rows = [r for r in found if r["year"] == year]
    else:
        from critchem.trade.indicators.compute import supplier_shares

        flows = open_flows(store_root, backend=backend, spark_master=spark_master)
        expr = supplier_shares(
            flows,
            product_or_codes=list(target.codes),
            year=year,
            reporter=reporter,
            source=source,
            weights=weights.weights if weights is not None else None,
        )
        rows = expr.to_pyarrow().to_pylist()
    summary = supplier_summary(
        query, target, rows, year=year, reporter=reporter, source=source, weights=weights
    )
    if summary is None:
        raise NotFoundError(
            f"No extra-EU imports of {target.label} ({', '.join(target.codes)}) in {year}"
        )
    return summary


def supplier_years(
    query: str, *, store_root: Path, years: Sequence[int], source: str | None = None
) -> dict[int, dict[str, Any]]:
    """:func:`trade_suppliers` of the EU27 for several years at once (one query on DuckDB).

    Years without extra-EU imports are left out.
    """
    target = resolve_target(query)
    weights = _target_weights(target)
    rows = _eu27_supplier_rows(store_root, target, source, weights)
    out = {}
    for year in years:
        summary = supplier_summary(
            query,
            target,
            [r for r in rows if r["year"] == year],
            year=year,
            reporter=EU27,
            source=source,
            weights=weights,
        )
        if summary is not None:
            out[year] = summary
    return out


def _target_weights(target: Target) -> CodeWeights | None:
    """A molecule's code weights (group codes at their share); ``None`` for a code."""
    if target.molecule_id is None:
        return None
    from critchem.molecules import load_mapping

    return code_weights(load_mapping().for_molecule(target.molecule_id))


def _eu27_supplier_rows(
    store_root: Path, target: Target, source: str | None, weights: CodeWeights | None
) -> list[dict[str, Any]]:
    """The EU27 supplier rows of every year, through the compiled SQL (no Ibis)."""
    from critchem.trade.indicators.sql import eu27_suppliers

    files = committed_files(Path(store_root))
    if not files:
        raise NotFoundError(f"The trade store {store_root} is empty: run `critchem ingest` first")
    factors = weights.weights if weights is not None else {}
    return eu27_suppliers(files, list(target.codes), source=source, weights=factors)


def supplier_summary(
    query: str,
    target: Target,
    rows: list[dict[str, Any]],
    *,
    year: int,
    reporter: str,
    source: str | None,
    weights: CodeWeights | None,
) -> dict[str, Any] | None:
    """Shares, HHI and governance HHI from one year's supplier rows (``None``: no rows)."""
    chosen = source_of(rows, source)
    rows = [r for r in rows if r["source"] == chosen]
    if not rows:
        return None
    known = [r for r in rows if r["share"] is not None]
    shares = {r["partner"]: r["share"] for r in known}
    weighted = [r for r in known if r["wgi"] is not None]
    gov_hhi = governance_weighted_hhi([r["share"] for r in weighted], [r["wgi"] for r in weighted])
    top = max(known, key=lambda r: r["share"]) if known else None
    return {
        "query": query,
        "target": target.label,
        "codes": list(target.codes),
        "source": chosen,
        "reporter": reporter,
        "year": year,
        "basis": rows[0].get("basis"),
        "hhi": hhi(list(shares.values())),
        "gov_hhi": gov_hhi,
        "top_supplier": top["partner"] if top else None,
        "top_supplier_share": top["share"] if top else None,
        **group_fields(target.codes, weights),
        "shares": shares,
        "suppliers": [
            {
                k: r.get(k)
                for k in (
                    "partner",
                    "category",
                    "value",
                    "net_mass_kg",
                    "unit_value",
                    "share",
                    "wgi",
                    "wgi_imputed",
                )
            }
            for r in rows
        ],
    }


def indicator_table(
    store_root: Path,
    *,
    molecules: dict[str, list[str]],
    year: int,
    source: str,
    reporter: str = "EU27",
) -> list[dict[str, Any]]:
    """Annual indicators of several molecules (id → CN8 codes) in one year from one source."""
    from critchem.trade.indicators.compute import compute_indicators

    flows = open_flows(store_root)
    mapping, weights = weighted_mapping(molecules)
    table = compute_indicators(
        flows,
        level="molecule",
        mapping=mapping,
        reporter=reporter,
        freq=FREQ_ANNUAL,
        source=source,
        years=[year],
    ).to_pyarrow()
    records = _records(table, ("molecule_id", *SERIES_COLUMNS[3:]))
    return [flag_record(r, weights.get(r["molecule_id"])) for r in records]


def world_export_hhi(
    store_root: Path, years: Sequence[int], products: Sequence[str]
) -> dict[tuple[int, str], float]:
    """``HHI_world = Σ_e s_e²`` of every HS6 product and year, from the BACI flows in the store.

    Only years whose BACI flows cover the world (at least ``MIN_EXPORTERS`` exporters) count;
    an empty result means no such year (the fourth criterion is then left out).
    """
    from critchem.trade.indicators.formulas import hhi

    out: dict[tuple[int, str], float] = {}
    for year, by_product in _world_exports(store_root, years, products).items():
        for product, by_exporter in by_product.items():
            total = sum(v for v in by_exporter.values() if v > 0)
            if total > 0:
                out[(year, product)] = hhi(v / total for v in by_exporter.values() if v > 0)
    return out


def world_export_hhi_molecules(
    store_root: Path, years: Sequence[int], molecules: Sequence[str]
) -> dict[tuple[int, str], float]:
    """``HHI_world`` of every molecule and year: exporters' shares of the molecule's HS6 exports.

    A molecule's world exports by exporter e are ``Σ_k w_k · X_{e,k}`` over the HS6 codes k of
    its CN8 codes, ``w_k`` the code's sourced share for a group code (1 otherwise; the same
    weights as the ``world_exports`` evidence family, :mod:`critchem.evidence.codes`); the
    HHI (Herfindahl 1950, Hirschman 1945) is taken over those sums. Only years whose BACI
    flows cover the world count, as in :func:`world_export_hhi`.
    """
    from critchem.evidence.codes import code_weights
    from critchem.molecules import load_mapping
    from critchem.trade.indicators.formulas import hhi

    mapping = load_mapping()
    weights = {m: code_weights(mapping.for_molecule(m), digits=6) for m in molecules}
    codes = sorted({c for w in weights.values() for c in w.weights})
    out: dict[tuple[int, str], float] = {}
    if not codes:
        return out
    for year, by_product in _world_exports(store_root, years, codes).items():
        for molecule, w in weights.items():
            totals: dict[str, float] = defaultdict(float)
            for code, weight in w.weights.items():
                for exporter, value in by_product.get(code, {}).items():
                    totals[exporter] += value * weight
            total = sum(v for v in totals.values() if v > 0)
            if total > 0:
                out[(year, molecule)] = hhi(v / total for v in totals.values() if v > 0)
    return out


def _world_exports(
    store_root: Path, years: Sequence[int], products: Sequence[str]
) -> dict[int, dict[str, dict[str, float]]]:
    """BACI export values by year, HS6 product and exporter, for years that cover the world."""
    from critchem.evidence.families.world_exports import MIN_EXPORTERS, SOURCE
    from critchem.evidence.store_reader import distinct_reporters, partition_files, partner_values
    from critchem.trade.schema import FLOW_EXPORT

    out: dict[int, dict[str, dict[str, float]]] = {}
    for year in years:
        files = partition_files(store_root, SOURCE, [year])
        if not files or distinct_reporters(files) < MIN_EXPORTERS:
            continue
        totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for row in partner_values(
            files, flow=FLOW_EXPORT, products=products, reporters=None, digits=6, by="reporter"
        ):
            if row.value:
                totals[row.product][row.partner] += row.value
        out[year] = {k: dict(v) for k, v in totals.items()}
    return out


def dependency_screen(
    store_root: Path,
    *,
    last_year: int,
    source: str,
    window: int = 3,
    min_years: int = 2,
    molecules: bool = False,
) -> list[dict[str, Any]]:
    """The ``eu-dependency`` screen of every product (or registry molecule) of one source.

    The three criteria of :mod:`critchem.criticality.dependency` on the EU27's annual
    indicators of the ``window`` years ending in ``last_year``.
    """
    from critchem.criticality.dependency import CRITERIA, WORLD_CRITERION, screen
    from critchem.molecules import load_mapping
    from critchem.trade.indicators.compute import compute_indicators

    years = list(range(last_year - window + 1, last_year + 1))
    flows = open_flows(store_root)
    if molecules:
        by_molecule: dict[str, list[str]] = {}
        for lk in load_mapping().links:
            by_molecule.setdefault(lk.molecule_id, []).append(lk.cn8)
        mapping, weights = weighted_mapping(by_molecule)
        expr = compute_indicators(
            flows, level="molecule", mapping=mapping, freq=FREQ_ANNUAL, source=source, years=years
        )
        item = "molecule_id"
    else:
        expr = compute_indicators(flows, freq=FREQ_ANNUAL, source=source, years=years)
        item = "product"
    rows = expr.to_pyarrow().to_pylist()
    if not rows:
        raise NotFoundError(f"No annual EU27 trade data from {source!r} for {years[0]}-{years[-1]}")
    criteria: tuple[str, ...] = CRITERIA
    digits = None if molecules else 6  # a molecule's own HHI; a product's HS6
    if molecules:
        world = world_export_hhi_molecules(store_root, years, sorted({str(r[item]) for r in rows}))
    else:
        world = world_export_hhi(store_root, years, sorted({str(r["product"])[:6] for r in rows}))
    if world:
        criteria = (*CRITERIA, WORLD_CRITERION)
        seen = set()
        for row in rows:
            row[WORLD_CRITERION] = world.get((int(row["year"]), str(row[item])[:digits]))
            seen.add((int(row["year"]), str(row[item])))
        # a year with world exports but no EU trade row still counts for the fourth criterion
        items = {str(r[item]) for r in rows}
        rows += [
            {item: name, "year": year, WORLD_CRITERION: world[(year, name[:digits])]}
            for name in sorted(items)
            for year in years
            if (year, name) not in seen and (year, name[:digits]) in world
        ]
    found = screen(rows, years=years, item=item, min_years=min_years, criteria=criteria)
    if not molecules:
        return [{**r.to_dict(), "source": source} for r in found]
    return [{**flag_record(r.to_dict(), weights.get(r.item)), "source": source} for r in found]

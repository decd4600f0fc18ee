"""The Python API for notebooks and scripts, exposed at the top of the package.

>>> import critchem
>>> store = critchem.open_store()                       # doctest: +SKIP
>>> critchem.series("ethylene", freq="A").to_pandas()   # doctest: +SKIP

Every function returns a :class:`Table`: an Arrow table with the provenance of the answer,
``.to_pandas()``, ``.to_polars()`` and ``.to_pylist()``. Nothing heavy is imported before a
function is called, so ``import critchem`` stays cheap. The functions call the same services
as the command line and the REST API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

    from critchem.core.settings import Settings

FLOWS = {"import": 1, "export": 2, 1: 1, 2: 2}


@dataclass(frozen=True)
class Store:
    """Where the data live: the trade store folder and the alert database."""

    root: Path
    database_url: str | None = None
    settings: Settings | None = field(default=None, repr=False, compare=False)


def open_store(path: str | Path | None = None, *, database_url: str | None = None) -> Store:
    """The trade store at ``path`` (default: the settings' store, e.g. after ``critchem demo``).

    Raises
    ------
    NotFoundError
        When the folder holds no trade data yet (run ``critchem ingest`` or ``critchem demo``).
    """
    from critchem.core.errors import NotFoundError
    from critchem.core.settings import Settings

    settings = Settings()
    root = Path(path) if path is not None else settings.store
    if not any(root.glob("**/*.parquet")):
        raise NotFoundError(
            f"The trade store {root} is empty: run `critchem demo` or `critchem ingest` first"
        )
    return Store(root=root, database_url=database_url, settings=settings)


class Table:
    """An Arrow-backed result with its provenance.

    Attributes
    ----------
    arrow
        The ``pyarrow.Table``.
    provenance
        What the answer was computed from (store, source, query, code version ...).
    """

    def __init__(self, arrow: pyarrow.Table, *, provenance: dict[str, Any]) -> None:
        self.arrow = arrow
        self.provenance = provenance

    @classmethod
    def from_rows(
        cls,
        rows: list[dict[str, Any]],
        *,
        provenance: dict[str, Any],
        columns: list[str] | None = None,
    ) -> Table:
        """A table of ``rows`` (dicts); a column of mixed types is kept as text."""
        from critchem.services.exports import to_arrow

        return cls(to_arrow(rows, columns), provenance=provenance)

    @property
    def columns(self) -> list[str]:
        """The column names."""
        return list(self.arrow.column_names)

    def __len__(self) -> int:
        return int(self.arrow.num_rows)

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame (provenance in ``DataFrame.attrs``)."""
        frame = self.arrow.to_pandas()
        frame.attrs["provenance"] = dict(self.provenance)
        return frame

    def to_polars(self) -> polars.DataFrame:
        """A Polars DataFrame (needs ``pip install polars`` or the ``notebook`` extra)."""
        try:
            import polars as pl
        except ImportError as exc:
            from critchem.core.errors import CritchemError

            raise CritchemError(
                "to_polars needs Polars: pip install polars (or critchem[notebook])"
            ) from exc
        frame = pl.from_arrow(self.arrow)
        assert isinstance(frame, pl.DataFrame)
        return frame

    def to_pylist(self) -> list[dict[str, Any]]:
        """The rows as dicts."""
        rows: list[dict[str, Any]] = self.arrow.to_pylist()
        return rows

    def __repr__(self) -> str:
        shown = ", ".join(self.columns[:6]) + (", ..." if len(self.columns) > 6 else "")
        return f"<critchem.Table {len(self)} rows: {shown}>"


def _store(store: Store | str | Path | None) -> Store:
    return store if isinstance(store, Store) else open_store(store)


def series(
    molecule_or_code: str,
    *,
    freq: str = "A",
    reporter: str = "EU27",
    partner: str | None = None,
    flow: str | int | None = None,
    source: str | None = None,
    store: Store | str | Path | None = None,
) -> Table:
    """Trade of a molecule (name, CAS ...) or a CN8/HS6 code, period by period.

    Without ``partner`` and ``flow``: the indicators of ``critchem trade series`` (values,
    masses, unit values, extra-EU share, HHI ...). With either: the value and net mass per
    period, flow and partner, summed over the molecule's codes.
    """
    from critchem.services import indicators

    where = _store(store)
    provenance: dict[str, Any] = {
        "query": molecule_or_code,
        "freq": freq,
        "reporter": reporter,
        "store": str(where.root),
        "critchem": _version(),
    }
    if partner is None and flow is None:
        rows = indicators.trade_series(
            molecule_or_code, store_root=where.root, reporter=reporter, freq=freq, source=source
        )
        provenance["source"] = rows[0]["source"] if rows else source
        return Table.from_rows(rows, provenance=provenance)
    return _flows(molecule_or_code, where, freq, reporter, partner, flow, source, provenance)


def _flows(
    query: str,
    where: Store,
    freq: str,
    reporter: str,
    partner: str | None,
    flow: str | int | None,
    source: str | None,
    provenance: dict[str, Any],
) -> Table:
    import itertools

    import duckdb

    from critchem.core.errors import CritchemError, NotFoundError
    from critchem.services.indicators import resolve_target
    from critchem.trade.indicators.reference import EU27, partner_reference

    target = resolve_target(query)
    if flow is not None and flow not in FLOWS:
        raise CritchemError(f"Unknown flow {flow!r}: use 'import' or 'export'")
    filters = " WHERE product IN (SELECT unnest($codes))"
    params: dict[str, Any] = {
        "files": str(where.root / "**" / "*.parquet"),
        "codes": list(target.codes),
        "reporter": reporter,
    }
    for column, value in (("partner", partner), ("flow", FLOWS.get(flow or 0)), ("source", source)):
        if value is not None:
            filters += f" AND {column} = ${column}"
            params[column] = value
    reporters = ["reporter = $reporter"]
    if reporter == EU27:
        # No EU27 rows stored: the sum of the Member States' trade with non-members.
        params["members"] = list(partner_reference().eu27)
        reporters.append(
            "reporter IN (SELECT unnest($members)) AND partner NOT IN (SELECT unnest($members))"
        )
    periods = [(freq, "period")] + ([("M", "CAST(year AS VARCHAR)")] if freq == "A" else [])
    con = duckdb.connect()
    for (stored, period), who in itertools.product(periods, reporters):
        sql = (
            "SELECT source, $reporter AS reporter, partner,"
            " CASE flow WHEN 1 THEN 'import' ELSE 'export' END AS flow,"
            f" {period} AS period, sum(value) AS value, any_value(currency) AS currency,"
            " sum(net_mass_kg) AS net_mass_kg"
            " FROM read_parquet($files, hive_partitioning = false, union_by_name = true)"
            f"{filters} AND ({who}) AND freq = '{stored}'"
            " GROUP BY ALL ORDER BY source, flow, partner, period"
        )
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        arrow = con.sql(sql, params=used).to_arrow_table()
        if arrow.num_rows:
            provenance["annual_from_monthly"] = stored != freq
            provenance["eu27_from_member_states"] = who != reporters[0]
            break
    else:
        raise NotFoundError(f"No {freq} trade of {target.label} matches these filters")
    provenance.update(partner=partner, flow=flow, codes=list(target.codes))
    return Table(arrow, provenance=provenance)


def indicators(
    molecules: list[str] | None = None,
    *,
    year: int,
    source: str = "comext_bulk",
    reporter: str = "EU27",
    store: Store | str | Path | None = None,
) -> Table:
    """Annual trade indicators of several molecules in one year (default: every candidate)."""
    from critchem.services import indicators as service
    from critchem.services.molecules import list_molecules

    where = _store(store)
    chosen = {
        m.id: list(m.cn8)
        for m in list_molecules()
        if m.id is not None and (molecules is None or m.id in molecules)
    }
    rows = service.indicator_table(
        where.root, molecules=chosen, year=year, source=source, reporter=reporter
    )
    provenance = {"year": year, "source": source, "store": str(where.root), "critchem": _version()}
    return Table.from_rows(rows, provenance=provenance)


def alerts(
    *,
    severity: str | None = None,
    molecule: str | None = None,
    state: str | None = None,
    limit: int = 1000,
    store: Store | None = None,
) -> Table:
    """The early-warning alerts (latest period first) of the alert database."""
    from critchem.services import alerts as service

    database = service.open_store(store.database_url if store else None)
    rows = service.list_alerts(
        database, severity=severity, molecule=molecule, state=state, limit=limit
    )
    provenance = {"severity": severity, "molecule": molecule, "critchem": _version()}
    return Table.from_rows([r.model_dump() for r in rows], provenance=provenance)


def assess(methodology: str = "eu-crm", inputs: str | Path | None = None, **options: Any) -> Table:
    """Assess materials with ``methodology`` (``eu-crm``, ``cca``); one row per material.

    Without ``inputs`` the methodology's shipped demo inputs are used (illustrative for
    ``cca``). ``options``: ``end_uses``, ``value_added``, ``supply_shares``,
    ``sensitivity_draws``, ``seed`` as in :func:`critchem.services.criticality.assess`.
    """
    from critchem.services import criticality

    if inputs is None:
        out = criticality.assess_demo(methodology, **options)
    else:
        out = criticality.assess(methodology, Path(inputs), **options)
    provenance = {
        "methodology": methodology,
        "inputs": str(inputs or "demo"),
        "critchem": _version(),
    }
    return Table.from_rows(out.rows(), provenance=provenance, columns=out.columns())


def evidence_table(molecule: str, *, year: int, store: Store | str | Path | None = None) -> Table:
    """The evidence of one molecule (every criticality input with its source, or why missing).

    Named ``evidence_table`` because ``critchem.evidence`` is the evidence package.

    Needs an evidence build (``critchem evidence build --year YEAR``).
    """
    from critchem.core.settings import Settings
    from critchem.services import evidence as service

    where = _store(store)
    out = service.show(where.settings or Settings(), molecule, year=year, store_root=where.root)
    rows = [{"indicator": name, **record} for name, record in out["inputs"].items()]
    rows += [
        {"indicator": g["indicator"], "status": g["status"], "note": g["reason"]}
        for g in out["missing"]
    ]
    provenance = {"molecule": out["molecule"], "year": year, "critchem": _version()}
    return Table.from_rows(rows, provenance=provenance)


def _version() -> str:
    from importlib.metadata import version

    return version("critchem")

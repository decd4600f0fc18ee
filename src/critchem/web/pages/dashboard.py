"""Page models of the dashboard: what the web pages show, gathered from the services.

Each function returns one public schema (its JSON is the page's JSON twin) and never raises
for an empty store or database: a missing part comes back empty with a ``message`` saying
why and what to run. The web routes only call these.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from critchem.accounts import Accounts, Principal
from critchem.core.errors import NotFoundError
from critchem.criticality.schemas import AssessmentOut, MaterialOut
from critchem.evidence.codes import GROUP_NOTE
from critchem.evidence.schemas import EvidenceVerdictOut, MoleculeEvidenceOut
from critchem.services import (
    alerts,
    criticality,
    indicators,
    molecules,
    production,
    trade_pages,
)
from critchem.services.alerts import AlertOut
from critchem.services.production import MoleculeProductionOut
from critchem.services.schemas import MoleculeOut
from critchem.services.trade_pages import SUPPLIER_YEARS
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.alerts.memo import Memo

OVERVIEW_METHODOLOGY = "cca"
ILLUSTRATIVE_DEMO_INPUTS = frozenset({"cca"})
"""Methodologies whose shipped demo inputs are illustrative placeholders (see
``criticality/data/demo/SOURCES.md``); their verdicts carry the ILLUSTRATIVE label."""
"""The methodology of the overview's critical list."""
NEWEST_ALERTS = 10
MOLECULE_ALERTS = 50


class _Page(BaseModel):
    model_config = ConfigDict(frozen=True)


class CriticalRow(_Page):
    """One material of the critical list."""

    material: str
    critical: bool | None
    rank: int | None
    score: float | None
    sr: float | None
    ei: float | None
    explanation: str


class OverviewOut(_Page):
    """The overview: the critical list of the demo assessment and the newest alerts."""

    methodology: str
    methodology_version: str
    thresholds: dict[str, float]
    materials: list[CriticalRow]
    alerts: list[AlertOut]
    alert_total: int
    alerts_message: str | None = None
    inputs_source: str = ""
    """``illustrative`` when the demo inputs of the methodology are placeholders."""


class TradePeriod(_Page):
    """One period of a molecule's EU27 imports."""

    period: str
    import_value: float | None
    extra_import_value: float | None
    import_unit_value: float | None
    hhi: float | None
    top_supplier: str | None
    top_supplier_share: float | None


class SupplierYear(_Page):
    """The extra-EU supplier shares of one year (fractions summing to 1)."""

    year: int
    hhi: float | None
    shares: dict[str, float]


class TradeOut(_Page):
    """A molecule's trade: monthly series and yearly supplier shares, or why there is none."""

    source: str | None = None
    series: list[TradePeriod] = []
    suppliers: list[SupplierYear] = []
    message: str | None = None
    marker: str = ""
    """'group code, upper bound' when a code of the molecule also covers other substances."""


class MoleculePageOut(_Page):
    """Everything the molecule page shows."""

    molecule: MoleculeOut
    trade: TradeOut
    alerts: list[AlertOut]
    criticality: MaterialOut | None
    criticality_methodology: str
    production: MoleculeProductionOut | None
    production_message: str | None = None
    criticality_source: str = "illustrative"
    """The demo verdict's inputs are ILLUSTRATIVE placeholders, not measurements."""
    evidence: MoleculeEvidenceOut | None = None
    """The newest evidence of the molecule (each input with its source), if one was built."""
    evidence_verdict: EvidenceVerdictOut | None = None
    """The ``cca`` verdict from that evidence, with the reasons when undetermined."""


class AlertsPageOut(_Page):
    """The alerts page: the filters applied and the matching alerts."""

    filters: dict[str, str | None]
    alerts: list[AlertOut]
    total: int
    limit: int
    offset: int
    message: str | None = None


@cache
def demo_assessment(methodology: str) -> AssessmentOut:
    """The assessment of the shipped demo inputs with ``methodology`` (computed once)."""
    return criticality.assess_demo(methodology)


def _criterion(material: MaterialOut, name: str) -> float | None:
    crit = material.criteria.get(name)
    return crit.value if crit else None


def overview(store: AlertStore) -> OverviewOut:
    """The critical list of the ``cca`` demo assessment and the newest alerts."""
    assessment = demo_assessment(OVERVIEW_METHODOLOGY)
    rows = [
        CriticalRow(
            material=m.material,
            critical=m.critical,
            rank=m.rank,
            score=m.score,
            sr=_criterion(m, "sr"),
            ei=_criterion(m, "ei"),
            explanation=m.explanation,
        )
        for m in assessment.materials
    ]
    newest = alerts.list_alerts(store, limit=NEWEST_ALERTS)
    total = alerts.count_alerts(store)
    return OverviewOut(
        methodology=assessment.methodology,
        methodology_version=assessment.methodology_version,
        thresholds=assessment.thresholds,
        materials=rows,
        alerts=newest,
        alert_total=total,
        alerts_message=None if total else "No alerts yet: run `critchem monitor` (or the demo).",
        inputs_source=demo_inputs_source(assessment.methodology),
    )


def demo_inputs_source(methodology: str) -> str:
    """``illustrative`` for a methodology whose demo inputs are placeholders, else empty."""
    return "illustrative" if methodology in ILLUSTRATIVE_DEMO_INPUTS else ""


def _store_fingerprint(store_root: Path) -> tuple[str, int, int]:
    catalogue = Path(store_root) / "catalogue.duckdb"
    try:
        stat = catalogue.stat()
    except OSError:
        return (str(store_root), 0, 0)
    return (str(store_root), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=128)
def _trade(molecule_id: str, fingerprint: tuple[str, int, int]) -> TradeOut:
    store_root = Path(fingerprint[0])
    precomputed = trade_pages.molecule_trade(store_root, molecule_id)
    if precomputed is not None:
        return TradeOut.model_validate(precomputed)
    return live_trade(molecule_id, store_root)


def live_trade(molecule_id: str, store_root: Path) -> TradeOut:
    """A molecule's trade computed now from the store (what ``critchem.services.trade_pages`` precomputes)."""
    try:
        rows = indicators.trade_series(molecule_id, store_root=store_root, freq="M")
    except NotFoundError as exc:
        return TradeOut(message=str(exc))
    series = [TradePeriod.model_validate(row) for row in rows]
    source = str(rows[0]["source"])
    years = sorted({int(p.period[:4]) for p in series})[-SUPPLIER_YEARS:]
    marker = GROUP_NOTE if rows[0].get("group_upper_bound") else ""
    by_year = indicators.supplier_years(
        molecule_id, store_root=store_root, years=years, source=source
    )
    suppliers = [
        SupplierYear(year=year, hhi=out["hhi"], shares=out["shares"])
        for year, out in by_year.items()
    ]
    return TradeOut(source=source, series=series, suppliers=suppliers, marker=marker)


_trades = Memo(size=128)
_computing: dict[str, threading.Lock] = {}


def _trade_at(molecule_id: str, fingerprint: tuple[str, int, int]) -> TradeOut:
    """``_trade``, computed by one thread while the others asking for it wait.

    The first requests for a molecule arrive together; each computing its series (half a
    second of DuckDB and Ibis) made all of them wait many seconds.
    """

    def compute() -> TradeOut:
        with _computing.setdefault(molecule_id, threading.Lock()):
            return _trade(molecule_id, fingerprint)  # the waiting threads: from its cache

    return _trades.get((molecule_id, fingerprint[0]), fingerprint, compute)


class PageVersion(NamedTuple):
    """The state of the trade store and of the alerts a molecule page is gathered from."""

    store: tuple[str, int, int]
    """The trade store's folder, and its catalogue's modification time and size."""
    alerts: tuple[str, Hashable]
    """The alert database's URL and ``AlertStore.version()``."""
    evidence: str = ""
    """The newest evidence build of the store (empty without one)."""


def molecule_page_version(store_root: Path, store: AlertStore) -> PageVersion:
    """A token that changes when the trade store or the alerts change.

    Read it *before* ``molecule_page`` and pass it on (``at``): what is remembered under it
    is then never older than the data it stands for (see
    :class:`critchem.surveillance.alerts.memo.Memo`), and the store is looked at once.
    """
    from critchem.evidence.table import latest_build

    build = latest_build(store_root)
    return PageVersion(
        _store_fingerprint(store_root),
        (store.url, store.version()),
        f"{build[0]}/{build[1]}" if build else "",
    )


def molecule_alerts(store: AlertStore, molecule: MoleculeOut) -> list[AlertOut]:
    """The alerts on the molecule or on any of its CN8 codes, latest period first.

    Remembered by the store until an alert changes (one look at its version, not one per code).
    """
    key = ("molecule_alerts", molecule.id, tuple(molecule.cn8))
    return list(store.memo.get(key, store.version(), lambda: _molecule_alerts(store, molecule)))


def _molecule_alerts(store: AlertStore, molecule: MoleculeOut) -> list[AlertOut]:
    found: dict[int, AlertOut] = {}
    if molecule.id:
        for alert in alerts.list_alerts(store, molecule=molecule.id, limit=MOLECULE_ALERTS):
            found[alert.id] = alert
    for code in molecule.cn8:
        for alert in alerts.list_alerts(store, product=code, limit=MOLECULE_ALERTS):
            found[alert.id] = alert
    ordered = sorted(found.values(), key=lambda a: (a.last_seen_period, a.id), reverse=True)
    return ordered[:MOLECULE_ALERTS]


def molecule_page(
    query: str,
    *,
    store_root: Path,
    store: AlertStore,
    principal: Principal,
    accounts: Accounts | None = None,
    ip: str | None = None,
    at: PageVersion | None = None,
) -> MoleculePageOut:
    """The molecule ``query`` names, its trade, alerts, criticality and EU production sites.

    When the page shows confidential capacities, the read is written to the audit log of
    ``accounts`` (action ``read_confidential``), as the API does. ``at``, read just before
    (``molecule_page_version``), saves a second look at the store.

    Raises
    ------
    NotFoundError
        Nothing in the registry (or the ``chemicals`` database) matches ``query``.
    """
    molecule = molecules.show_molecule(query)
    if molecule.id is None:
        trade = TradeOut(message=f"{molecule.name} is not in the registry: no customs code.")
    else:
        fingerprint = at.store if at is not None else _store_fingerprint(store_root)
        trade = _trade_at(molecule.id, fingerprint)
    assessment = demo_assessment(OVERVIEW_METHODOLOGY)
    try:
        material = assessment.material(molecule.id or molecule.name)
    except KeyError:
        material = None
    made: MoleculeProductionOut | None = None
    message = None
    if molecule.id is not None:
        made = production.molecule_production(molecule.id, principal)
        if made.disclosed and accounts is not None:
            detail = {"capacities": made.disclosed}
            accounts.read_confidential(principal, f"molecules/{molecule.id}", detail, ip=ip)
        if not made.sites:
            message = f"No EU production site of {molecule.name} is recorded."
    found = None
    if molecule.id is not None:
        from critchem.services.evidence import molecule_evidence

        found = molecule_evidence(store_root, molecule.id)
    return MoleculePageOut(
        molecule=molecule,
        trade=trade,
        alerts=molecule_alerts(store, molecule),
        criticality=material,
        criticality_methodology=assessment.methodology,
        criticality_source=demo_inputs_source(assessment.methodology),
        production=made,
        production_message=message,
        evidence=MoleculeEvidenceOut.model_validate(found["record"]) if found else None,
        evidence_verdict=EvidenceVerdictOut.model_validate(found["verdict"]) if found else None,
    )


def alerts_page(
    store: AlertStore,
    *,
    severity: str | None = None,
    state: str | None = None,
    molecule: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> AlertsPageOut:
    """The alerts matching the filters; ``molecule`` is a registry id, name or CAS."""
    products: list[str | None] = [None]
    molecule_id = None
    if molecule:
        found = molecules.show_molecule(molecule)
        molecule_id = found.id
        products = list(found.cn8) or [None]
    matched: dict[int, AlertOut] = {}
    total = 0
    for product in products:
        total += alerts.count_alerts(store, severity=severity, state=state, product=product)
        for alert in alerts.list_alerts(
            store, severity=severity, state=state, product=product, limit=offset + limit
        ):
            matched[alert.id] = alert
    ordered = sorted(matched.values(), key=lambda a: (a.last_seen_period, a.id), reverse=True)
    message = None
    if not total:
        message = (
            "No alert matches these filters."
            if severity or state or molecule
            else "No alerts yet: run `critchem monitor` (or the demo)."
        )
    return AlertsPageOut(
        filters={"severity": severity, "state": state, "molecule": molecule_id or molecule},
        alerts=ordered[offset : offset + limit],
        total=total,
        limit=limit,
        offset=offset,
        message=message,
    )

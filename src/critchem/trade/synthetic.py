"""A seeded generator of SYNTHETIC monthly bilateral trade, with known injected events.

The data are invented: they only look like Comext monthly data, so that the indicators and
the surveillance detectors can be developed, demonstrated and tested against a known truth.
Every row says ``source = "synthetic"``.

How a product's trade is made. All draws come from ``numpy.random.default_rng([seed, code])``,
so a product's data do not depend on the other codes asked for:

* a price level (0.5-50 EUR/kg), a yearly volume of extra-EU imports (2,000-200,000 t), a
  trend (about +2 % a year), a seasonal wave with the August and December dips of EU
  industry, and a common price index that wanders (a random walk of 2 % a month);
* 15 extra-EU suppliers, one of them dominant (40-65 % of the imports, drawn among CN, US, IN,
  KR, JP, TR, RU, SA), the others sharing the rest unevenly; each origin has its own price
  level; a few reporters also import from the confidential code ``QZ``;
* each reporter's size is fixed for all products; it imports from six Member States and
  exports to the 15 partners and to six Member States;
* every reporter, partner and month has log-normal noise (18 % on volumes, 4 % on prices);
  a small flow is absent in some months, as a cell that Comext does not publish.

The events, all on the imports of every reporter from one origin, and the ``ground_truth``
that describes them:

``import_surge``
    the volume from the product's dominant supplier times ``magnitude`` for three months;
``price_collapse``
    the unit value from the second supplier times ``magnitude`` for six months;
``supplier_exit``
    the third supplier sells nothing from ``start`` on (``magnitude`` 0);
``concentration_shift``
    the fourth supplier gains ``magnitude`` (a fraction, e.g. 0.20 = 20 points) of the
    known-origin import share over the three months ``start``-``end`` at the expense of the
    other suppliers, and keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from critchem.core.errors import InvalidCnCodeError
from critchem.nomenclature import load_countries
from critchem.trade.schema import FLOW_EXPORT, FLOW_IMPORT, FLOW_SCHEMA, FREQ_MONTHLY

SOURCE = "synthetic"
DEFAULT_SEED = 20_250_101
EU27 = "EU27"

EXTRA_EU_PARTNERS: tuple[str, ...] = (
    "CN",
    "US",
    "IN",
    "KR",
    "JP",
    "TR",
    "RU",
    "SA",
    "CH",
    "GB",
    "NO",
    "BR",
    "MY",
    "TW",
    "ZA",
)
"""The extra-EU partners of every synthetic product."""

DOMINANT_CANDIDATES: tuple[str, ...] = ("CN", "US", "IN", "KR", "JP", "TR", "RU", "SA")
"""The partners a product's dominant supplier is drawn among."""

CONFIDENTIAL_PARTNER = "QZ"
INTRA_PARTNERS_PER_REPORTER = 6
MIN_MONTHS = 24

EventType = Literal["import_surge", "price_collapse", "supplier_exit", "concentration_shift"]

_VOLUME_NOISE = 0.18
_PRICE_NOISE = 0.04
_PRICE_WALK = 0.02
_HOLIDAY_DIP = {8: 0.85, 12: 0.93}
EventPlan = tuple[EventType, float, int, int | None, float]
"""One planned event: type, position in the period (a fraction), supplier rank, months
(``None``: to the end), magnitude."""

EVENT_PLAN: tuple[EventPlan, ...] = (
    ("price_collapse", 0.40, 2, 6, 0.5),
    ("concentration_shift", 0.55, 4, 3, 0.20),
    ("import_surge", 0.70, 1, 3, 3.0),
    ("supplier_exit", 0.82, 3, None, 0.0),
)


@dataclass(frozen=True, slots=True)
class Event:
    """One injected event: what, where and when, and how strong (see the module docstring).

    ``reporter`` is ``"EU27"`` when every reporter of the dataset is affected; ``start`` and
    ``end`` are months (``"2023-04"``), both included.
    """

    event_type: EventType
    product: str
    reporter: str
    partner: str
    start: str
    end: str
    magnitude: float
    description: str


@dataclass(frozen=True)
class SyntheticDataset:
    """The synthetic flows (``FLOW_SCHEMA``) and the events injected in them."""

    table: pa.Table
    events: list[Event]
    seed: int
    codes: tuple[str, ...]
    start: str
    end: str
    reporters: tuple[str, ...]


@dataclass
class _Cells:
    """The series of one product: one row per (reporter, partner, flow), one column a month."""

    reporter: list[str] = field(default_factory=list)
    partner: list[str] = field(default_factory=list)
    flow: list[int] = field(default_factory=list)
    base_kg: list[float] = field(default_factory=list)
    price: list[float] = field(default_factory=list)

    def add(self, reporter: str, partner: str, flow: int, base_kg: float, price: float) -> None:
        self.reporter.append(reporter)
        self.partner.append(partner)
        self.flow.append(flow)
        self.base_kg.append(base_kg)
        self.price.append(price)


def _month_list(start: str, end: str) -> list[tuple[int, int]]:
    try:
        first = date.fromisoformat(f"{start}-01")
        last = date.fromisoformat(f"{end}-01")
    except ValueError as error:
        raise ValueError(f"Months are written 'YYYY-MM', got {start!r} and {end!r}") from error
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count < MIN_MONTHS:
        raise ValueError(f"The period {start}..{end} has {count} months; it needs {MIN_MONTHS}")
    return [
        (first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1)
        for i in range(count)
    ]


def _check_codes(codes: Sequence[str]) -> tuple[str, ...]:
    checked = tuple(dict.fromkeys(codes))
    if not checked:
        raise ValueError("Give at least one CN8 code")
    for code in checked:
        if len(code) != 8 or not code.isdigit():
            raise InvalidCnCodeError(f"Synthetic data need 8-digit CN codes, got {code!r}")
    return checked


def _member_states() -> list[str]:
    return sorted(p.code for p in load_countries().eu27(date(2020, 2, 1)))


def _by_name(names: Sequence[str], values: Any) -> dict[str, float]:
    return {name: float(v) for name, v in zip(names, values, strict=True)}


def _product_cells(
    rng: np.random.Generator, reporters: Sequence[str], weights: dict[str, float]
) -> tuple[_Cells, list[str]]:
    """The cells of one product, and its extra-EU suppliers from the largest."""
    price = float(np.exp(rng.uniform(np.log(0.5), np.log(50.0))))
    monthly_kg = float(np.exp(rng.uniform(np.log(2e6), np.log(2e8)))) / 12.0
    dominant = str(rng.choice(DOMINANT_CANDIDATES))
    others = [p for p in EXTRA_EU_PARTNERS if p != dominant]
    dominant_share = rng.uniform(0.40, 0.65)
    shares = _by_name(others, rng.dirichlet(np.full(len(others), 0.8)) * (1 - dominant_share))
    shares[dominant] = float(dominant_share)
    origin_price = _by_name(EXTRA_EU_PARTNERS, rng.lognormal(0.0, 0.15, len(EXTRA_EU_PARTNERS)))
    export_shares = _by_name(EXTRA_EU_PARTNERS, rng.dirichlet(np.full(len(EXTRA_EU_PARTNERS), 0.8)))
    intra_ratio = rng.uniform(0.4, 1.5)
    export_ratio = float(rng.lognormal(np.log(0.7), 0.4))
    members = sorted(weights)
    cells = _Cells()
    for reporter in reporters:
        size = monthly_kg * weights[reporter]
        for partner in EXTRA_EU_PARTNERS:
            cells.add(
                reporter,
                partner,
                FLOW_IMPORT,
                size * shares[partner],
                price * origin_price[partner],
            )
            cells.add(
                reporter,
                partner,
                FLOW_EXPORT,
                size * export_ratio * export_shares[partner],
                price * 1.15,
            )
        if rng.random() < 0.25:
            cells.add(reporter, CONFIDENTIAL_PARTNER, FLOW_IMPORT, size * 0.02, price)
        neighbours = [m for m in members if m != reporter]
        odds = np.array([weights[m] for m in neighbours])
        for flow in (FLOW_IMPORT, FLOW_EXPORT):
            chosen = rng.choice(
                len(neighbours), INTRA_PARTNERS_PER_REPORTER, replace=False, p=odds / odds.sum()
            )
            split = rng.dirichlet(np.ones(INTRA_PARTNERS_PER_REPORTER))
            for index, part in zip(chosen, split, strict=True):
                cells.add(
                    reporter,
                    neighbours[index],
                    flow,
                    size * intra_ratio * part,
                    price * float(rng.lognormal(0.0, 0.1)),
                )
    ranked = sorted(shares, key=lambda p: -shares[p])
    return cells, ranked


def _calendar(rng: np.random.Generator, months: list[tuple[int, int]]) -> tuple[Any, Any]:
    """Volume and price factors per month: trend, seasons, holidays, wandering prices."""
    t = np.arange(len(months))
    calendar_month = np.array([m for _, m in months])
    growth = rng.normal(0.02, 0.04)
    amplitude, peak = rng.uniform(0.03, 0.12), rng.integers(1, 13)
    volume = (1 + growth) ** (t / 12) * (
        1 + amplitude * np.cos(2 * np.pi * (calendar_month - peak) / 12)
    )
    volume *= np.array([_HOLIDAY_DIP.get(int(m), 1.0) for m in calendar_month])
    price = np.exp(np.cumsum(rng.normal(0.0, _PRICE_WALK, len(months))))
    return volume, price


def _label(months: list[tuple[int, int]], index: int) -> str:
    year, month = months[index]
    return f"{year:04d}-{month:02d}"


def _inject(
    plan: EventPlan,
    code: str,
    suppliers: list[str],
    months: list[tuple[int, int]],
    cells: _Cells,
    volume: Any,
    price: Any,
    present: Any,
) -> Event:
    """Apply one planned event to the product's matrices and describe it."""
    event_type, position, rank, length, magnitude = plan
    partner = suppliers[rank - 1]
    first = int(position * len(months))
    last = len(months) - 1 if length is None else first + length - 1
    partners = np.array(cells.partner)
    imports = np.array(cells.flow) == FLOW_IMPORT
    rows = imports & (partners == partner)
    window = slice(first, last + 1)
    if event_type == "import_surge":
        volume[rows, window] *= magnitude
        text = f"imports from {partner} x{magnitude:g} for {last - first + 1} months"
    elif event_type == "price_collapse":
        price[rows, window] *= magnitude
        text = f"unit value from {partner} x{magnitude:g} for {last - first + 1} months"
    elif event_type == "supplier_exit":
        present[rows, first:] = False
        text = f"{partner} stops supplying"
    else:
        known = imports & np.isin(partners, EXTRA_EU_PARTNERS)
        before = (volume * price)[:, max(first - 3, 0) : first]
        base = before[rows].sum() / before[known].sum()
        ramp = np.clip((np.arange(len(months)) - first + 1) / (last - first + 1), 0.0, 1.0)
        target = base + ramp * magnitude
        volume[rows] *= target / base
        volume[known & ~rows] *= (1 - target) / (1 - base)
        text = f"{partner} gains {magnitude * 100:g} points of import share in 3 months"
    return Event(
        event_type,
        code,
        EU27,
        partner,
        _label(months, first),
        _label(months, last),
        magnitude,
        text,
    )


def _product_rows(
    code: str,
    *,
    seed: int,
    months: list[tuple[int, int]],
    reporters: Sequence[str],
    weights: dict[str, float],
    events_for: list[EventPlan],
) -> tuple[dict[str, Any], list[Event]]:
    rng = np.random.default_rng([seed, int(code)])
    cells, suppliers = _product_cells(rng, reporters, weights)
    trend, index_price = _calendar(rng, months)
    shape = (len(cells.base_kg), len(months))
    volume = np.outer(cells.base_kg, trend) * rng.lognormal(
        -(_VOLUME_NOISE**2) / 2, _VOLUME_NOISE, shape
    )
    price = np.outer(cells.price, index_price) * rng.lognormal(0.0, _PRICE_NOISE, shape)
    present = rng.random(shape) < 1 - np.exp(-volume / 2_000.0)
    events = [
        _inject(p, code, suppliers, months, cells, volume, price, present) for p in events_for
    ]
    mass = np.round(volume)
    present &= mass >= 1
    cell, month = np.nonzero(present)
    columns = {
        "reporter": np.array(cells.reporter)[cell],
        "partner": np.array(cells.partner)[cell],
        "flow": np.array(cells.flow, dtype=np.int8)[cell],
        "month": month,
        "net_mass_kg": mass[cell, month],
        "value": np.round(mass[cell, month] * price[cell, month]),
    }
    return columns, events


def _to_table(
    parts: list[tuple[str, dict[str, Any]]], months: list[tuple[int, int]], nomenclature: str
) -> pa.Table:
    eu = set(_member_states())
    code = np.concatenate([np.full(len(c["flow"]), p) for p, c in parts])
    columns = {k: np.concatenate([c[k] for _, c in parts]) for k in parts[0][1]}
    order = np.lexsort(
        (columns["month"], columns["partner"], columns["flow"], columns["reporter"], code)
    )
    month = columns["month"][order]
    partner = columns["partner"][order]
    n = len(order)
    periods = np.array([_label(months, i) for i in range(len(months))])
    starts = pa.array([date(y, m, 1) for y, m in months], pa.date32())
    data = {
        "source": pa.array(np.full(n, SOURCE)),
        "reporter": pa.array(columns["reporter"][order]),
        "partner": pa.array(partner),
        "partner_kind": pa.array(
            np.where(partner == CONFIDENTIAL_PARTNER, "confidential", "country")
        ),
        "trade_type": pa.array(np.where(np.isin(partner, list(eu)), "I", "E")),
        "product": pa.array(code[order]),
        "product_nomenclature": pa.array(np.full(n, nomenclature)),
        "product_masked": pa.array(np.zeros(n, dtype=bool)),
        "flow": pa.array(columns["flow"][order]),
        "stat_procedure": pa.array(np.ones(n, dtype=np.int8)),
        "freq": pa.array(np.full(n, FREQ_MONTHLY)),
        "period": pa.array(periods[month]),
        "period_start": starts.take(pa.array(month)),
        "year": pa.array(np.array([y for y, _ in months], dtype=np.int16)[month]),
        "value": pa.array(columns["value"][order]),
        "currency": pa.array(np.full(n, "EUR")),
        "net_mass_kg": pa.array(columns["net_mass_kg"][order]),
        "suppl_quantity": pa.nulls(n, pa.float64()),
        "suppl_unit": pa.nulls(n, pa.string()),
    }
    return pa.table(data, schema=FLOW_SCHEMA)


def generate(
    codes: Sequence[str],
    *,
    start: str = "2019-01",
    end: str = "2025-12",
    seed: int = DEFAULT_SEED,
    reporters: Sequence[str] | None = None,
    nomenclature: str = "CN2025",
    plan: Sequence[EventPlan] | None = None,
) -> SyntheticDataset:
    """Generate the synthetic monthly flows of ``codes`` and inject the four known events.

    The events go to the codes in turn (surge, collapse, exit and shift on four different
    codes when there are four or more; otherwise on different suppliers of the same codes).
    ``plan`` replaces the four default events (:data:`EVENT_PLAN`): entry ``i`` goes to code
    ``i`` modulo the number of codes; an empty plan gives event-free series.

    >>> data = generate(["29012100"], start="2022-01", end="2023-12", reporters=["DE", "FR"])

    >>> data.table.schema.equals(FLOW_SCHEMA), sorted(e.event_type for e in data.events)
    (True, ['concentration_shift', 'import_surge', 'price_collapse', 'supplier_exit'])
    >>> set(data.table.column("source").to_pylist())
    {'synthetic'}
    """
    checked = _check_codes(codes)
    months = _month_list(start, end)
    members = _member_states()
    chosen = members if reporters is None else sorted(dict.fromkeys(reporters))
    unknown = sorted(set(chosen) - set(members))
    if unknown:
        raise ValueError(f"Reporters must be EU27 Member States; not one: {unknown}")
    sizes = np.random.default_rng([seed, 0]).lognormal(0.0, 1.0, len(members))
    weights = _by_name(members, sizes / sizes.sum())
    chosen_plan = EVENT_PLAN if plan is None else tuple(plan)
    parts: list[tuple[str, dict[str, Any]]] = []
    events: list[Event] = []
    for index, code in enumerate(checked):
        mine = [p for i, p in enumerate(chosen_plan) if i % len(checked) == index]
        columns, injected = _product_rows(
            code, seed=seed, months=months, reporters=chosen, weights=weights, events_for=mine
        )
        parts.append((code, columns))
        events.extend(injected)
    table = _to_table(parts, months, nomenclature).replace_schema_metadata(
        {"critchem.synthetic": "true", "critchem.seed": str(seed)}
    )
    order = [p[0] for p in EVENT_PLAN]
    events.sort(key=lambda e: order.index(e.event_type))
    return SyntheticDataset(table, events, seed, checked, start, end, tuple(chosen))


def events_to_json(dataset: SyntheticDataset) -> str:
    """The ground truth of ``dataset`` as JSON text."""
    document = {
        "synthetic": True,
        "generator": "critchem.trade.synthetic",
        "seed": dataset.seed,
        "codes": list(dataset.codes),
        "start": dataset.start,
        "end": dataset.end,
        "reporters": list(dataset.reporters),
        "events": [asdict(e) for e in dataset.events],
    }
    return json.dumps(document, indent=2) + "\n"


def read_events(path: str | Path) -> list[Event]:
    """The events of a ``ground_truth.json`` written by :func:`write`."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Event(**e) for e in document["events"]]


def _method_lines() -> list[str]:
    """The generator's method, as written in this module's docstring."""
    marker = "How a product's trade is made."
    doc = __doc__ or ""
    if marker not in doc:  # docstrings stripped (python -OO)
        return ["See the docstring of `critchem.trade.synthetic`."]
    text = doc.split(marker)[1].split("The events")[0]
    return [line.strip().replace("``", "`") for line in text.strip().splitlines()]


def _readme(dataset: SyntheticDataset) -> str:
    lines = [
        "# SYNTHETIC trade flows: invented data, not official statistics",
        "",
        "These monthly bilateral flows were generated by `critchem.trade.synthetic.generate`",
        f"with seed **{dataset.seed}**. They only imitate the shape of Eurostat Comext data",
        '(canonical `FLOW_SCHEMA`, `source = "synthetic"`, EUR and kg) so that indicators and',
        "detectors can be tested against a known truth. Do not use them for any analysis.",
        "",
        f"- codes: {', '.join(dataset.codes)}",
        f"- months: {dataset.start} to {dataset.end}",
        f"- reporters: {', '.join(dataset.reporters)}",
        f"- rows: {dataset.table.num_rows}",
        "",
        "## How they are made",
        "",
        *_method_lines(),
        "",
        "## Injected events (also in `ground_truth.json`)",
        "",
        "| type | product | reporter | partner | start | end | magnitude | description |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {e.event_type} | {e.product} | {e.reporter} | {e.partner} | {e.start} | {e.end} "
            f"| {e.magnitude:g} | {e.description} |"
            for e in dataset.events
        ),
        "",
        f"Regenerate: `generate({list(dataset.codes)!r}, start={dataset.start!r}, "
        f"end={dataset.end!r}, seed={dataset.seed})`.",
        "",
    ]
    return "\n".join(lines)


def write(dataset: SyntheticDataset, folder: str | Path) -> Path:
    """Write ``synthetic_flows.parquet``, ``ground_truth.json`` and ``README.md`` to ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(dataset.table, out / "synthetic_flows.parquet", compression="zstd")
    (out / "ground_truth.json").write_text(events_to_json(dataset), encoding="utf-8")
    (out / "README.md").write_text(_readme(dataset), encoding="utf-8")
    return out

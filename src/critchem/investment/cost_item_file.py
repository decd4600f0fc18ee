"""Cost items and the support allocated to them, read from a CSV or JSON file.

CSV: one row per cost item, or per cost item and allocation (an item repeated with the same
cost carries several allocations). Columns ``item``, ``cost_meur`` (required),
``aid_rules`` (intensity-table ids separated by ``|``), ``funding_gap_meur``,
``instrument`` and ``amount_meur`` (an allocation; both or neither)::

    item,cost_meur,aid_rules,funding_gap_meur,instrument,amount_meur
    electrolyser,100,gber-41-large,,gber,40
    grid,40,,,innovation-fund-grant,20

JSON: ``{"items": [{"id", "cost_meur", "aid_rules", "funding_gap_meur"}], "allocations":
[{"instrument", "item", "amount_meur"}]}``.

Every problem is collected with its row (or JSON position) and field, and all of them are
raised together, so one run shows the whole list; nothing is judged on a partly read file.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from critchem.core.errors import CostItemError
from critchem.investment.cost_items import Allocation, CostItem
from critchem.investment.instruments import Catalogue
from critchem.investment.intensities import load_intensities

REQUIRED = ("item", "cost_meur")
OPTIONAL = ("aid_rules", "funding_gap_meur", "instrument", "amount_meur")
MAX_MEUR = 1e7
"""Largest amount accepted (M€): ten trillion euros, far above any project."""


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, field: str, why: str) -> None:
        self.items.append(f"{where}, field {field!r}: {why}")


def _number(raw: Any, where: str, field: str, errors: _Errors, *, required: bool) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors.add(where, field, "empty; a number of million euros is required")
        return None
    if isinstance(raw, bool):
        errors.add(where, field, f"{raw!r} is not a number")
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        errors.add(where, field, f"{raw!r} is not a number")
        return None
    if not math.isfinite(value) or not 0 <= value <= MAX_MEUR:
        errors.add(where, field, f"{raw!r} must be a number from 0 to {MAX_MEUR:g} (M€)")
        return None
    return value


def _rules(raw: Any, where: str, errors: _Errors) -> tuple[str, ...]:
    if raw is None or raw == "":
        return ()
    names = raw.split("|") if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        errors.add(where, "aid_rules", "expected intensity ids (a list, or 'a|b' in CSV)")
        return ()
    known = load_intensities()
    out = []
    for name in (n.strip() for n in names):
        if name not in known:
            errors.add(where, "aid_rules", f"{name!r} is not in the intensity table")
        else:
            out.append(name)
    return tuple(out)


def _build(
    item_rows: list[tuple[str, Mapping[str, Any]]],
    alloc_rows: list[tuple[str, Mapping[str, Any]]],
    catalogue: Catalogue,
    errors: _Errors,
) -> tuple[tuple[CostItem, ...], tuple[Allocation, ...]]:
    items: dict[str, CostItem] = {}
    for where, row in item_rows:
        item_id = str(row.get("id") or row.get("item") or "").strip()
        if not item_id:
            errors.add(where, "item", "empty; every cost item needs an id")
            continue
        cost = _number(row.get("cost_meur"), where, "cost_meur", errors, required=True)
        gap = _number(
            row.get("funding_gap_meur"), where, "funding_gap_meur", errors, required=False
        )
        rules = _rules(row.get("aid_rules"), where, errors)
        if cost is None:
            continue
        item = CostItem(item_id, cost, aid_rules=rules, funding_gap_meur=gap)
        seen = items.get(item_id)
        if seen is not None and seen != item:
            errors.add(where, "cost_meur", f"cost item {item_id!r} is given twice, differently")
            continue
        items[item_id] = item
    instruments = {i.id for i in catalogue.instruments}
    allocations: list[Allocation] = []
    for where, row in alloc_rows:
        inst = str(row.get("instrument") or "").strip()
        item_id = str(row.get("item") or "").strip()
        amount = _number(row.get("amount_meur"), where, "amount_meur", errors, required=True)
        if inst not in instruments:
            errors.add(where, "instrument", f"{inst!r} is not an instrument of the catalogue")
            continue
        if item_id not in items:
            errors.add(where, "item", f"{item_id!r} is not a cost item of the file")
            continue
        if amount is not None:
            allocations.append(Allocation(inst, item_id, amount))
    return tuple(items.values()), tuple(allocations)


def _from_csv(text: str, errors: _Errors) -> tuple[Any, Any]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CostItemError(f"cost-item file: missing column(s) {', '.join(missing)}")
    unknown = [h for h in header if h not in REQUIRED + OPTIONAL]
    if unknown:
        raise CostItemError(
            f"cost-item file: unknown column(s) {', '.join(unknown)}; "
            f"known: {', '.join(REQUIRED + OPTIONAL)}"
        )
    item_rows, alloc_rows = [], []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        where = f"row {line}"
        item_rows.append((where, row))
        has_inst, has_amount = bool(row.get("instrument")), bool(row.get("amount_meur"))
        if has_inst != has_amount:
            field = "amount_meur" if has_inst else "instrument"
            errors.add(where, field, "an allocation needs both instrument and amount_meur")
        elif has_inst:
            alloc_rows.append((where, row))
    return item_rows, alloc_rows


def _from_json(data: Any) -> tuple[Any, Any]:
    if not isinstance(data, dict):
        raise CostItemError("cost-item JSON: expected an object with 'items' and 'allocations'")
    items, allocs = data.get("items"), data.get("allocations", [])
    if not isinstance(items, list) or not isinstance(allocs, list):
        raise CostItemError("cost-item JSON: 'items' and 'allocations' must be lists")
    bad = [
        f"{key}[{n}]"
        for key, rows in (("items", items), ("allocations", allocs))
        for n, row in enumerate(rows)
        if not isinstance(row, dict)
    ]
    if bad:
        raise CostItemError(f"cost-item JSON: {', '.join(bad)} must be objects")
    return (
        [(f"items[{n}]", row) for n, row in enumerate(items)],
        [(f"allocations[{n}]", row) for n, row in enumerate(allocs)],
    )


def parse_cost_items(
    data: str | Mapping[str, Any], catalogue: Catalogue, *, kind: str = "json"
) -> tuple[tuple[CostItem, ...], tuple[Allocation, ...]]:
    """Cost items and allocations from CSV text (``kind="csv"``), JSON text or a JSON object.

    Raises
    ------
    CostItemError
        Listing every bad row or position with its field and why.
    """
    errors = _Errors()
    if kind == "csv":
        if not isinstance(data, str):
            raise CostItemError("cost-item CSV must be text")
        item_rows, alloc_rows = _from_csv(data, errors)
    else:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as exc:
                raise CostItemError(f"cost-item JSON: not valid JSON ({exc})") from None
        item_rows, alloc_rows = _from_json(data)
    items, allocations = _build(item_rows, alloc_rows, catalogue, errors)
    if not item_rows:
        errors.add("file", "items", "no cost item")
    if errors.items:
        raise CostItemError(
            f"{len(errors.items)} problem(s) in the cost items: " + "; ".join(errors.items)
        )
    return items, allocations


def read_cost_items(
    path: Path, catalogue: Catalogue
) -> tuple[tuple[CostItem, ...], tuple[Allocation, ...]]:
    """Read a ``.csv`` or ``.json`` cost-item file (see the module docstring)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise CostItemError(f"{path.name}: a cost-item file must be .csv or .json")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CostItemError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CostItemError(f"{path.name}: not UTF-8 text") from None
    return parse_cost_items(text, catalogue, kind=suffix[1:])

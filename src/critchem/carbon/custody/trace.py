"""A batch traced back through its suppliers: the graph of its input batches.

``trace`` walks from a record to the records its batch was made from, and theirs, down to the
origins (records without inputs). Every node says its custody model, its certified share and
the credit its inputs give it (equation (1) of :mod:`critchem.carbon.custody.rules`); the
rules are checked again on the whole graph, and a cycle, a batch drawn beyond what was
delivered or a claim beyond its credit is an error naming the records. A record the viewer
is not a party to shows only what the chain needs (product, model, shares, footprint,
certificate schemes, origin country); its parties, batch, quantities and dates are withheld.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from pydantic import BaseModel

from critchem.carbon.custody import rules
from critchem.carbon.custody.schemas import Certificate, RecordOut
from critchem.core.errors import CustodyError


class TraceNode(BaseModel):
    """One batch of the traced graph (``None`` fields are withheld from the viewer)."""

    key: str
    tier: int
    withheld: bool
    record: str | None
    batch: str | None
    supplier: str | None
    recipient: str | None
    molecule: str | None
    cn_code: str | None
    quantity: float | None
    unit: str
    custody_model: str
    certified_share: float
    certified_quantity: float | None
    credit: float | None
    pcf_id: str | None
    certificates: list[Certificate] | None
    certificate_schemes: list[str]
    origin_country: str | None
    transferred_on: date | None


class TraceEdge(BaseModel):
    """``quantity`` of the batch ``input`` went into the batch ``output`` (node keys)."""

    output: str
    input: str
    quantity: float | None


class Trace(BaseModel):
    """The traced graph of a batch, its weakest custody model and its origins."""

    root: str
    nodes: list[TraceNode]
    edges: list[TraceEdge]
    origins: list[str]
    origin_countries: list[str]
    footprints: list[str]
    weakest_model: str | None
    physical_link: bool
    statement: str


def node_of(record: RecordOut) -> rules.Node:
    """The rules' view of a stored record."""
    return rules.Node(
        id=record.id,
        supplier=record.supplier,
        recipient=record.recipient,
        quantity=record.quantity,
        unit=record.unit,
        custody_model=record.custody_model,
        certified_quantity=record.certified_quantity,
        conversion_factor=record.conversion_factor,
        transferred_on=record.transferred_on,
        certificates=tuple(record.certificates),
        inputs=tuple((i.record, i.quantity) for i in record.inputs),
    )


def _order(root: str, records: Mapping[str, RecordOut]) -> dict[str, int]:
    """Each reachable record and its tier (0 for the root, its shortest distance otherwise)."""
    tiers = {root: 0}
    frontier = [root]
    while frontier:
        following: list[str] = []
        for current in frontier:
            for item in records[current].inputs:
                if item.record not in tiers:
                    tiers[item.record] = tiers[current] + 1
                    following.append(item.record)
        frontier = following
    return tiers


def trace(
    root: str,
    records: Mapping[str, RecordOut],
    draws: Mapping[str, Sequence[tuple[str, float]]],
    visible: Callable[[RecordOut], bool],
) -> Trace:
    """Trace ``root`` back through ``records`` (every record reachable from it, by id).

    ``draws`` gives, for each reachable record, every record (id, quantity) drawing from it,
    also those outside the graph; ``visible`` tells the records the viewer is a party to.
    ``CustodyError`` lists every broken rule.
    """
    tiers = _order(root, records)
    keys = {rid: f"n{n}" for n, rid in enumerate(tiers, start=1)}

    def name(rid: str) -> str:
        if rid not in keys:
            return "a record outside the trace"
        return repr(rid) if visible(records[rid]) else f"{keys[rid]} (withheld)"

    problems: list[str] = []
    cycle = rules.find_cycle({rid: [i.record for i in records[rid].inputs] for rid in tiers})
    if cycle:
        problems.append("the inputs form a cycle: " + " -> ".join(name(r) for r in cycle))
    nodes = {rid: node_of(records[rid]) for rid in tiers}
    for rid in tiers:
        found = rules.check_record(nodes[rid], nodes, name)
        over = rules.check_draws(nodes[rid], draws.get(rid, ()), name)
        found += [over] if over else []
        if found and not visible(records[rid]):  # say which record, not its figures
            found = [
                f"record {name(rid)} breaks {len(found)} custody rule(s); its parties and "
                f"the secretariat see which"
            ]
        problems.extend(found)
    if problems:
        raise CustodyError(problems)

    out_nodes: list[TraceNode] = []
    edges: list[TraceEdge] = []
    for rid, tier in tiers.items():
        record, node = records[rid], nodes[rid]
        shown = visible(record)
        out_nodes.append(
            TraceNode(
                key=keys[rid],
                tier=tier,
                withheld=not shown,
                record=rid if shown else None,
                batch=record.batch if shown else None,
                supplier=record.supplier if shown else None,
                recipient=record.recipient if shown else None,
                molecule=record.molecule,
                cn_code=record.cn_code,
                quantity=record.quantity if shown else None,
                unit=record.unit,
                custody_model=record.custody_model,
                certified_share=rules.certified_share(node),
                certified_quantity=record.certified_quantity if shown else None,
                credit=rules.credit(node, nodes) if record.inputs else None,
                pcf_id=record.pcf_id,
                certificates=list(record.certificates) if shown else None,
                certificate_schemes=sorted({c.scheme for c in record.certificates}),
                origin_country=record.origin_country,
                transferred_on=record.transferred_on if shown else None,
            )
        )
        edges.extend(
            TraceEdge(
                output=keys[rid], input=keys[i.record], quantity=i.quantity if shown else None
            )
            for i in record.inputs
        )
    origins = [keys[rid] for rid in tiers if not records[rid].inputs]
    claimed = [records[rid].custody_model for rid in tiers if records[rid].certified_quantity > 0]
    weakest = rules.weakest(claimed)
    physical = weakest is not None and weakest in rules.PHYSICAL
    return Trace(
        root=keys[root],
        nodes=out_nodes,
        edges=edges,
        origins=origins,
        origin_countries=sorted(
            {
                c
                for rid in tiers
                if not records[rid].inputs
                for c in [records[rid].origin_country]
                if c
            }
        ),
        footprints=list(
            dict.fromkeys(r.pcf_id for rid in tiers for r in [records[rid]] if r.pcf_id)
        ),
        weakest_model=weakest,
        physical_link=physical,
        statement=_statement(records[root], weakest),
    )


def _statement(root: RecordOut, weakest: str | None) -> str:
    share = root.certified_quantity / root.quantity
    head = f"{share:.1%} of the batch is claimed certified ({root.custody_model})"
    if weakest is None or root.certified_quantity == 0:
        return f"{head}: no certified claim along the chain"
    if weakest in rules.PHYSICAL:
        return f"{head}; every claim up the chain keeps a physical link ({weakest} at weakest)"
    if weakest == "mass-balance":
        return (
            f"{head}; the chain passes through mass balance: the share holds on average over the "
            f"certified systems, not necessarily in this batch"
        )
    return f"{head}; the chain passes through book and claim: the batch may hold none of it"

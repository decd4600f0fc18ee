"""The chain-of-custody rules: what a batch may claim from its inputs (pure functions).

A record's batch is made from ``q_i`` units of each input batch ``i`` (in that batch's unit).
Input ``i`` carries the certified share ``s_i = C_i / Q_i`` (its certified quantity over its
quantity); it is *credited* to the output only if the output's ISO 22095:2020 model accepts
the input's model (``CREDITED``). With the output's conversion factor ``k`` (output units per
input unit), the certified quantity the inputs credit to the output is

    credit = k · Σ_i q_i · s_i · [model_i credited under the output's model]      (1)

and the output's certified quantity ``C`` may not exceed it:  ``C ≤ credit``         (2)

Which inputs are credited (ISO 22095:2020, clause 3.3; the models' terms are in
``data/content_claims.yaml``):

- identity preserved (3.3.1): one input at most, itself identity preserved and certified in full;
- segregated (3.3.2): inputs identity preserved or segregated and certified in full (no
  material without the characteristics is added), and the whole batch is claimed;
- controlled blending (3.3.3): inputs with a physical link (identity preserved, segregated,
  controlled blending), so the claimed proportion is physically in the batch;
- mass balance (3.3.4): inputs of any model but book and claim; (2) is the mass-balance
  bookkeeping per batch: the credit drawn out of the system never exceeds what went in;
- book and claim (3.3.5): no input is credited; the claim rests on the certificates alone.

A batch with no inputs is an origin: its claim rests on its certificates. Any claim
(``C > 0``) needs a certificate valid on the transfer date. Every input must have been
delivered to the supplier (its recipient), no later than the transfer, and the quantities
drawn from a batch, over every record that draws from it, may not exceed its quantity:

    Σ_r q_{r,i} ≤ Q_i                                                              (3)

Here each batch declares the inputs and quantities its credit comes from; the site-level
mass-balance account over periods (credits pooled across batches) is
:mod:`critchem.carbon.custody.account`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from critchem.carbon.custody.schemas import Certificate

TOLERANCE = 1e-9
"""Relative slack of the comparisons (2) and (3), for floating-point sums."""

PHYSICAL = frozenset({"identity-preserved", "segregated", "controlled-blending"})
"""Models that keep a physical link between the certified input and the product."""

CREDITED: dict[str, frozenset[str]] = {
    "identity-preserved": frozenset({"identity-preserved"}),
    "segregated": frozenset({"identity-preserved", "segregated"}),
    "controlled-blending": PHYSICAL,
    "mass-balance": PHYSICAL | {"mass-balance"},
    "book-and-claim": frozenset(),
}
"""For each output model, the input models whose certified quantity it credits."""

STRENGTH = (
    "identity-preserved",
    "segregated",
    "controlled-blending",
    "mass-balance",
    "book-and-claim",
)
"""The models from the strongest link between claim and product to the weakest."""


@dataclass(frozen=True)
class Node:
    """What the rules read of a record."""

    id: str
    supplier: str
    recipient: str
    quantity: float
    unit: str
    custody_model: str
    certified_quantity: float
    conversion_factor: float
    transferred_on: date
    certificates: tuple[Certificate, ...] = ()
    inputs: tuple[tuple[str, float], ...] = field(default=())


Namer = Callable[[str], str]


def _quoted(record_id: str) -> str:
    return repr(record_id)


def _over(value: float, limit: float) -> bool:
    return value > limit + TOLERANCE * max(1.0, abs(limit))


def same_organisation(a: str, b: str) -> bool:
    """Whether two organisation names are the same (case and outer blanks ignored)."""
    return a.strip().casefold() == b.strip().casefold()


def certified_share(node: Node) -> float:
    """``s = C / Q``: the share of the batch claimed as certified."""
    return node.certified_quantity / node.quantity


def credit(node: Node, inputs: Mapping[str, Node]) -> float:
    """Equation (1): the certified quantity ``node``'s inputs credit to it, in its unit.

    >>> from datetime import date
    >>> a = Node("A", "X", "Y", 100, "t", "mass-balance", 40, 1, date(2026, 1, 1))
    >>> b = Node("B", "Y", "Z", 50, "t", "mass-balance", 0, 0.5, date(2026, 2, 1), (), (("A", 60),))
    >>> credit(b, {"A": a})  # 0.5 · 60 · 40/100
    12.0
    """
    accepted = CREDITED[node.custody_model]
    total = 0.0
    for input_id, drawn in node.inputs:
        source = inputs[input_id]
        if source.custody_model in accepted:
            total += drawn * certified_share(source)
    return node.conversion_factor * total


def check_record(node: Node, inputs: Mapping[str, Node], name: Namer = _quoted) -> list[str]:
    """Every rule ``node`` breaks against its ``inputs`` (by id), each naming the records."""
    problems: list[str] = []
    me = f"record {name(node.id)}"
    for input_id, _drawn in node.inputs:
        source = inputs[input_id]
        if not same_organisation(source.recipient, node.supplier):
            problems.append(
                f"{me} draws from record {name(input_id)}, which was delivered to another "
                f"organisation than its supplier"
            )
        if source.transferred_on > node.transferred_on:
            problems.append(
                f"{me} is transferred on {node.transferred_on} but its input record "
                f"{name(input_id)} arrived later, on {source.transferred_on}"
            )
    model = node.custody_model
    if model in ("identity-preserved", "segregated") and node.inputs:
        if model == "identity-preserved" and len(node.inputs) > 1:
            problems.append(f"{me} is identity preserved but has {len(node.inputs)} inputs")
        for input_id, _drawn in node.inputs:
            source = inputs[input_id]
            if source.custody_model not in CREDITED[model] or _over(
                source.quantity, source.certified_quantity
            ):
                problems.append(
                    f"{me} is {model} but its input record {name(input_id)} is "
                    f"{source.custody_model} with {source.certified_quantity:g} of "
                    f"{source.quantity:g} {source.unit} certified: mixing breaks the chain"
                )
    if (
        model in ("identity-preserved", "segregated")
        and node.certified_quantity > 0
        and _over(node.quantity, node.certified_quantity)
    ):
        problems.append(
            f"{me} is {model}: the whole batch is certified or none of it, "
            f"not {node.certified_quantity:g} of {node.quantity:g} {node.unit}"
        )
    if node.certified_quantity > 0:
        if node.inputs and model != "book-and-claim":
            available = credit(node, inputs)
            if _over(node.certified_quantity, available):
                problems.append(
                    f"{me} claims {node.certified_quantity:g} {node.unit} certified "
                    f"({model}) but its inputs credit only {available:g} {node.unit}"
                )
        if not any(c.valid_on(node.transferred_on) for c in node.certificates):
            problems.append(
                f"{me} claims {node.certified_quantity:g} {node.unit} certified but has no "
                f"certificate valid on {node.transferred_on}"
            )
    return problems


def check_draws(
    source: Node, draws: Sequence[tuple[str, float]], name: Namer = _quoted
) -> str | None:
    """Equation (3): the problem if the records ``draws`` (id, quantity) take more than ``source`` holds."""
    drawn = sum(q for _, q in draws)
    if not _over(drawn, source.quantity):
        return None
    who = ", ".join(f"{name(r)} ({q:g})" for r, q in draws)
    return (
        f"record {name(source.id)} delivered {source.quantity:g} {source.unit} but "
        f"{drawn:g} {source.unit} is drawn from it, by records {who}"
    )


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle of the graph ``record -> its inputs`` (the ids, first repeated last), or None.

    >>> find_cycle({"A": ["B"], "B": ["C"], "C": ["A"]})
    ['A', 'B', 'C', 'A']
    >>> find_cycle({"A": ["B", "C"], "B": ["C"], "C": []}) is None
    True
    """
    state: dict[str, int] = {}
    for start in edges:
        if state.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, list(edges.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            current, pending = stack[-1]
            if not pending:
                state[current] = 2
                stack.pop()
                path.pop()
                continue
            nxt = pending.pop(0)
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, list(edges.get(nxt, ()))))
    return None


def weakest(models: Iterable[str]) -> str | None:
    """The model of ``models`` with the weakest link between claim and product (``STRENGTH``)."""
    found = [STRENGTH.index(m) for m in models]
    return STRENGTH[max(found)] if found else None

"""The value-chain graph of the ``cca`` methodology: who feeds whom, laid out as arrays.

The graph comes from the molecule registry (each molecule lists its ``feedstocks``). The
assessed molecules come first; the registry molecules downstream of them that are not assessed
are added after them as *pass-through* nodes, so that a feedstock still reaches a critical
product through an intermediate that is not assessed (benzene → ethylbenzene → styrene).

Nodes are grouped in levels: level 0 has no products, a node of level L has products of levels
below L only. Evaluating level by level (products before feedstocks) reaches the fixed point of
the propagation rule in one pass over the levels, whatever the number of draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from critchem.core.errors import ReferenceDataError
from critchem.molecules import Registry

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ValueChain:
    """Feedstocks and strategic sectors per molecule id, and where they come from."""

    feedstocks: Mapping[str, tuple[str, ...]]
    sectors: Mapping[str, tuple[str, ...]]
    source: str

    @classmethod
    def from_registry(cls, registry: Registry) -> ValueChain:
        """The value chain of a molecule registry."""
        return cls(
            feedstocks={m.id: m.feedstocks for m in registry},
            sectors={m.id: m.sectors for m in registry},
            source=f"critchem molecule registry {registry.version} (molecules.yaml)",
        )

    def products(self) -> dict[str, list[str]]:
        """The direct products of every molecule (the inverse of ``feedstocks``)."""
        out: dict[str, list[str]] = {m: [] for m in self.feedstocks}
        for product, feeds in self.feedstocks.items():
            for feed in feeds:
                out.setdefault(feed, []).append(product)
        return out


@dataclass(frozen=True)
class Graph:
    """The propagation graph as arrays (assessed nodes first, then pass-through nodes)."""

    nodes: tuple[str, ...]
    n_assessed: int
    products: IntArray
    """Direct products of each node (nodes × max degree), padded with -1."""
    level: IntArray
    """0 for nodes without products, else 1 + the highest level of their products."""


def _levels(nodes: Sequence[str], products: Mapping[str, list[str]], source: str) -> IntArray:
    """Each node's level by an iterative depth-first search; a back edge is a cycle."""
    index = {n: i for i, n in enumerate(nodes)}
    level = np.full(len(nodes), -1, dtype=np.int64)
    for start in nodes:
        if level[index[start]] >= 0:
            continue
        path: list[str] = [start]
        on_path = {start}
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, i = stack.pop()
            children = products.get(node, [])
            if i < len(children):
                stack.append((node, i + 1))
                child = children[i]
                if child in on_path:
                    cycle = [*path[path.index(child) :], child]
                    raise ReferenceDataError(
                        f"{source}: the feedstock graph has a cycle: {' → '.join(cycle)}"
                    )
                if level[index[child]] < 0:
                    path.append(child)
                    on_path.add(child)
                    stack.append((child, 0))
                continue
            below = [int(level[index[p]]) for p in children]
            level[index[node]] = 1 + max(below, default=-1)
            path.pop()
            on_path.discard(node)
    return level


def _closure(start: Sequence[str], edges: Mapping[str, list[str]]) -> set[str]:
    """Every node reachable from ``start`` along ``edges`` (``start`` included)."""
    seen = set(start)
    queue = list(start)
    while queue:
        for nxt in edges.get(queue.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def build_graph(assessed: Sequence[str], chain: ValueChain) -> Graph:
    """The graph of ``assessed`` and of the registry molecules between two of them.

    A molecule that is not assessed is kept as a pass-through node when it lies on a path from
    one assessed molecule to another (it carries importance and criticality along the chain);
    the others cannot change any result and are left out.

    Raises
    ------
    ReferenceDataError
        The feedstock graph has a cycle; the message names it (``a → b → a``).

    Examples
    --------
    >>> vc = ValueChain({"a": (), "b": ("a",), "c": ("b",), "d": ("a",)}, {}, "toy")
    >>> g = build_graph(["a", "c"], vc)
    >>> g.nodes, g.level.tolist(), g.products.tolist()
    (('a', 'c', 'b'), [2, 0, 1], [[2], [-1], [1]])
    """
    everything = chain.products()
    downstream = _closure(assessed, everything)
    upstream = _closure(assessed, {m: list(f) for m, f in chain.feedstocks.items()})
    wanted = set(assessed)
    nodes = [*assessed, *sorted((downstream & upstream) - wanted)]
    kept = set(nodes)
    products = {n: [p for p in everything.get(n, []) if p in kept] for n in nodes}
    index = {n: i for i, n in enumerate(nodes)}
    level = _levels(nodes, products, chain.source)
    degree = max((len(products.get(n, [])) for n in nodes), default=0)
    table = np.full((len(nodes), max(degree, 1)), -1, dtype=np.int64)
    for i, n in enumerate(nodes):
        for j, p in enumerate(products.get(n, [])):
            table[i, j] = index[p]
    return Graph(tuple(nodes), len(assessed), table, level)


def _by_level(
    graph_products: IntArray,
    level: IntArray,
    update: Callable[[IntArray, IntArray, BoolArray], None],
) -> None:
    for lv in range(1, int(level.max(initial=0)) + 1):
        idx = np.flatnonzero(level == lv)
        prods = graph_products[idx]
        update(idx, np.where(prods < 0, 0, prods), prods >= 0)


def propagate_importance(
    own: FloatArray,
    graph_products: IntArray,
    level: IntArray,
    assessed: BoolArray,
    delta: float,
) -> FloatArray:
    """``EI = max(EI_own, δ · max EI of the direct products)``, at its fixed point.

    ``own`` has the nodes on its last axis (draws may lead). A pass-through node (``assessed``
    False) has no own EI: its EI is ``δ · max`` of its products'. An assessed node whose own EI
    is NaN stays NaN (undetermined); products whose EI is NaN are left out of the maximum.

    Examples
    --------
    Feedstock ``f`` (own EI 1.0) feeds ``p`` (own EI 5.0): ``max(1.0, 0.8 · 5.0) = 4.0``.

    >>> prods, level = np.array([[1], [-1]]), np.array([1, 0])
    >>> propagate_importance(np.array([1.0, 5.0]), prods, level, np.array([True, True]), 0.8)
    array([4., 5.])
    """
    ei = np.array(own, dtype=np.float64, copy=True)

    def update(idx: IntArray, prods: IntArray, valid: BoolArray) -> None:
        gathered = np.where(valid, ei[..., prods], np.nan)
        best = delta * np.fmax.reduce(gathered, axis=-1)
        ei[..., idx] = np.where(assessed[idx], np.fmax(ei[..., idx], best), best)
        ei[..., idx] = np.where(assessed[idx] & np.isnan(own[..., idx]), np.nan, ei[..., idx])

    _by_level(graph_products, level, update)
    return ei


def reaches(
    yes: BoolArray, no: BoolArray, graph_products: IntArray, level: IntArray
) -> tuple[BoolArray, BoolArray]:
    """Whether each node or a node downstream of it is critical: ``(surely, surely not)``.

    ``yes`` and ``no`` are each node's own (critical, not critical); a node with neither is
    undetermined. A node reaches a critical one when it or any product does; it surely does not
    when it is not critical and no product reaches one.

    >>> prods, level = np.array([[1], [-1]]), np.array([1, 0])
    >>> y, n = reaches(np.array([False, True]), np.array([True, False]), prods, level)
    >>> y.tolist(), n.tolist()
    ([True, True], [False, False])
    """
    out_yes, out_no = yes.copy(), no.copy()

    def update(idx: IntArray, prods: IntArray, valid: BoolArray) -> None:
        any_yes = np.logical_or.reduce(valid & out_yes[..., prods], axis=-1)
        all_no = np.logical_and.reduce(~valid | out_no[..., prods], axis=-1)
        out_yes[..., idx] |= any_yes
        out_no[..., idx] &= all_no

    _by_level(graph_products, level, update)
    return out_yes, out_no

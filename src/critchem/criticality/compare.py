"""Comparing two assessments (two years, or two methodology versions): entered, left, moved."""

from __future__ import annotations

from critchem.criticality.schemas import AssessmentOut, ComparisonOut, MaterialOut, MoveOut


def _label(a: AssessmentOut) -> str:
    names = ", ".join(f.name for f in a.provenance.files if f.role == "inputs")
    return f"{a.methodology} {a.methodology_version} ({names})"


def _delta(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else y - x


def _move(ma: MaterialOut, mb: MaterialOut) -> MoveOut:
    rank_delta = None if ma.rank is None or mb.rank is None else ma.rank - mb.rank
    return MoveOut(
        material=mb.material,
        critical_a=ma.critical,
        critical_b=mb.critical,
        rank_a=ma.rank,
        rank_b=mb.rank,
        rank_delta=rank_delta,
        score_delta=_delta(ma.score, mb.score),
        deltas={
            c: _delta(ma.criteria[c].value if c in ma.criteria else None, crit.value)
            for c, crit in mb.criteria.items()
        },
    )


def compare_assessments(a: AssessmentOut, b: AssessmentOut) -> ComparisonOut:
    """What changed from ``a`` to ``b``; materials are matched case-insensitively by name.

    ``rank_delta`` is ``rank_a − rank_b`` (positive: moved up towards rank 1); score and
    criterion deltas are ``b − a``. ``moved`` lists every material in both, the largest rank
    change first.
    """
    by_a = {m.material.casefold(): m for m in a.materials}
    by_b = {m.material.casefold(): m for m in b.materials}
    both = [k for k in by_b if k in by_a]
    moved = [_move(by_a[k], by_b[k]) for k in both]
    moved.sort(key=lambda m: (-(abs(m.rank_delta) if m.rank_delta is not None else -1), m.material))
    return ComparisonOut(
        a=_label(a),
        b=_label(b),
        entered=sorted(
            by_b[k].material
            for k in by_b
            if by_b[k].critical and not (k in by_a and by_a[k].critical)
        ),
        left=sorted(
            by_a[k].material
            for k in by_a
            if by_a[k].critical and not (k in by_b and by_b[k].critical)
        ),
        added=sorted(by_b[k].material for k in by_b if k not in by_a),
        removed=sorted(by_a[k].material for k in by_a if k not in by_b),
        moved=moved,
    )

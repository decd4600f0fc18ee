"""The Commission's bottom-up strategic-dependency screen on product trade data (``eu-dependency``).

Three criteria per product (HS6/CN8) and year, on the EU27's trade (European Commission,
*Strategic dependencies and capacities*, SWD(2021) 352, section 2 and annex 1; updated in
SWD(2022) 41):

1. concentration of extra-EU imports: ``HHI = Σ s_i² > 0.4`` (shares of the known extra-EU
   origins in the extra-EU import value, as fractions);
2. importance of extra-EU imports in total demand met by imports:
   ``extra-EU imports / (extra-EU + intra-EU imports) > 0.5``;
3. limited substitutability by EU production: ``extra-EU imports / total EU exports > 1``.

A product is dependent when all three criteria hold. The Commission's screen applies them to
a single year (``--years 1``: ``window = min_years = 1``). The default, that a criterion counts
as met when it holds in at least ``min_years`` (2) of the last ``window`` (3) years, is the
persistence rule of CEPII's GeoDep database (Lefebvre and Wibaux, "Import dependencies: where
does the EU stand?", CEPII Policy Brief No 47, September 2024;
https://cepii.fr/cepii/en/bdd_modele/bdd_modele_item.asp?id=41), which also adds a fourth
criterion, the concentration of world exports: ``HHI_world = Σ_e s_e² > 0.4`` over the world's
exporters of the product (from BACI). It is used when the rows carry ``world_export_hhi``
(:func:`critchem.services.indicators.dependency_screen` computes it when the store holds BACI
flows covering the world: per HS6 product, or per molecule over its HS6 codes). A year
without data for a criterion is reported as missing, never as "not met": a criterion with
fewer than ``min_years`` years of data is undetermined.

Run it on BACI as the Commission did (HS6, world view: the EU27's imports and exports are the
sums over the Member States' flows with non-EU partners). On Comext the shares of criterion 2
use intra-EU imports as declared by the Member States and the CN8 detail; values differ from
BACI's, which reconciles mirror flows and values imports FOB.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

THRESHOLDS: dict[str, float] = {
    "hhi": 0.4,
    "extra_import_share": 0.5,
    "import_export_ratio": 1.0,
    "world_export_hhi": 0.4,
}
"""The criteria and their thresholds (strict: the value must exceed them)."""
CRITERIA: tuple[str, ...] = ("hhi", "extra_import_share", "import_export_ratio")
"""The Commission's three criteria."""
WORLD_CRITERION = "world_export_hhi"
"""GeoDep's fourth criterion, the concentration of world exports (from BACI)."""


def import_export_ratio(
    extra_import_value: float | None, export_value: float | None
) -> float | None:
    """``extra-EU imports / total EU exports``; None when either is missing.

    With imports and no exports the ratio is infinite (EU production cannot substitute).

    >>> import_export_ratio(150.0, 100.0)
    1.5
    >>> import_export_ratio(10.0, 0.0)
    inf
    >>> import_export_ratio(None, 5.0) is None
    True
    """
    if extra_import_value is None or export_value is None:
        return None
    if export_value == 0:
        return float("inf") if extra_import_value > 0 else None
    return extra_import_value / export_value


def criterion_met(
    values: Sequence[float | None], threshold: float, *, min_years: int = 2
) -> bool | None:
    """Whether a criterion holds in at least ``min_years`` of the years given.

    ``None`` (undetermined) when fewer than ``min_years`` years have data and the years that
    have data do not already decide.

    >>> criterion_met([0.5, 0.3, 0.45], 0.4)
    True
    >>> criterion_met([0.5, 0.3, 0.35], 0.4)
    False
    >>> criterion_met([0.5, None, None], 0.4) is None
    True
    """
    known = [v for v in values if v is not None]
    hits = sum(v > threshold for v in known)
    if hits >= min_years:
        return True
    if hits + (len(values) - len(known)) < min_years:
        return False
    return None


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """The screen of one item (product or molecule) over the window of years."""

    item: str
    years: tuple[int, ...]
    values: dict[str, list[float | None]]
    met: dict[str, bool | None]
    dependent: bool | None

    def to_dict(self) -> dict[str, Any]:
        """A flat JSON-ready record."""
        out: dict[str, Any] = {"item": self.item, "dependent": self.dependent}
        for name in self.values:
            out[f"{name}_met"] = self.met[name]
            for year, value in zip(self.years, self.values[name], strict=True):
                out[f"{name}_{year}"] = value
        return out


def screen(
    rows: Iterable[Mapping[str, Any]],
    *,
    years: Sequence[int],
    item: str = "product",
    min_years: int = 2,
    criteria: Sequence[str] = CRITERIA,
) -> list[ScreenResult]:
    """Screen every item of the annual indicator ``rows`` over ``years``.

    ``rows`` are annual EU27 indicator records with ``item``, ``year``, ``hhi``,
    ``extra_import_share``, ``extra_import_value`` and ``export_value`` (as computed by
    :func:`critchem.trade.indicators.compute_indicators`), and ``world_export_hhi`` when
    ``criteria`` includes it.
    """
    by_item: dict[str, dict[int, Mapping[str, Any]]] = defaultdict(dict)
    for row in rows:
        by_item[str(row[item])][int(row["year"])] = row
    results = []
    for name, per_year in sorted(by_item.items()):
        values: dict[str, list[float | None]] = {c: [] for c in criteria}
        for year in years:
            row = per_year.get(year, {})
            for c in criteria:
                if c == "import_export_ratio":
                    values[c].append(
                        import_export_ratio(row.get("extra_import_value"), row.get("export_value"))
                    )
                else:
                    values[c].append(row.get(c))
        met = {c: criterion_met(values[c], THRESHOLDS[c], min_years=min_years) for c in criteria}
        verdicts = list(met.values())
        dependent: bool | None
        if any(v is False for v in verdicts):
            dependent = False
        elif all(v is True for v in verdicts):
            dependent = True
        else:
            dependent = None
        results.append(ScreenResult(name, tuple(years), values, met, dependent))
    return results

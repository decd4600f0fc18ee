"""Published results of the EU criticality assessments, and ``eu-crm`` compared with them.

``eu_crm_published.csv`` holds the supply risk (SR) and economic importance (EI) that the
2017, 2020 and 2023 EU studies published per material, rounded as published (one decimal),
each row with its study, the transcription it was copied from and the date it was checked.
:func:`compare_with_published` sets an ``eu-crm`` assessment beside them: a material agrees
when its computed criterion lies within the rounding tolerance of the published one, differs
when it does not, and has "no inputs" when the assessment could not compute it. Nothing is
tuned to agree; the comparison only reports.

``eu_crm_2023_end_uses.csv`` holds, for some materials, the 2023 study's end-use shares per
NACE 2-digit sector and the sectors' value added (its Appendix 6). Without the substitution
index SI_EI, which is not shipped, they do not give the published EI, but they bound it:
``EI ≤ 10 · Σ A_s·Q_s / max Q`` because ``SI_EI ≤ 1``. :func:`ei_bounds` computes that bound
with the method's own formula and the SI_EI it implies (published EI over the bound).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from critchem.core.errors import ReferenceDataError
from critchem.criticality.formulas import economic_importance
from critchem.criticality.schemas import AssessmentOut
from critchem.nomenclature._files import data_text

PUBLISHED_FILE = "eu_crm_published.csv"
END_USES_2023_FILE = "eu_crm_2023_end_uses.csv"
END_USE_COLUMNS = (
    "material",
    "application",
    "sector",
    "share",
    "value_added_meur",
    "source",
    "transcription",
    "checked",
)
ROUNDING = 0.05
"""Half the last published digit: a published EI of 3.8 may be any value from 3.75."""
COLUMNS = ("material", "name", "year", "sr", "ei", "source", "transcription", "checked")
SR_TOLERANCE = 0.3
"""SR recomputed from inputs published rounded agrees with the published SR to about ±0.3."""
EI_TOLERANCE = 0.1
"""EI recomputed from published shares and value added agrees to about ±0.1."""

Status = Literal["agrees", "differs", "no inputs"]


@dataclass(frozen=True)
class PublishedResult:
    """One material's published SR and EI in one EU assessment."""

    material: str
    """Lower-case key, the name an ``eu-crm`` inputs file uses."""
    name: str
    year: int
    sr: float
    ei: float
    source: str
    transcription: str
    checked: str


@dataclass(frozen=True)
class Agreement:
    """One criterion of one material: computed beside published."""

    material: str
    criterion: Literal["sr", "ei"]
    published: float
    computed: float | None
    tolerance: float
    status: Status

    @property
    def difference(self) -> float | None:
        """Computed minus published (``None`` without inputs)."""
        return None if self.computed is None else self.computed - self.published


def _number(row: Mapping[str, str], column: str, where: str) -> float:
    text = (row.get(column) or "").strip()
    try:
        value = float(text)
    except ValueError:
        raise ReferenceDataError(f"{where}: {column} {text!r} is not a number") from None
    if not 0.0 <= value <= 10.0:
        raise ReferenceDataError(f"{where}: {column} {value} is outside the scale 0..10")
    return value


def parse_published(text: str, *, source: str = PUBLISHED_FILE) -> list[PublishedResult]:
    """Read a file of published results; a bad or unsourced row is an error naming its line.

    >>> rows = parse_published(
    ...     "material,name,year,sr,ei,source,transcription,checked\\n"
    ...     "gallium,Gallium,2023,3.9,3.7,Study 2023,https://t,2026-12-07\\n")
    >>> rows[0].material, rows[0].year, rows[0].sr, rows[0].ei
    ('gallium', 2023, 3.9, 3.7)
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ReferenceDataError(f"{source}: missing columns {', '.join(missing)}")
    out: list[PublishedResult] = []
    seen: set[tuple[str, int]] = set()
    for line, row in enumerate(reader, start=2):
        where = f"{source}, line {line}"
        for column in ("material", "year", "source", "transcription", "checked"):
            if not (row.get(column) or "").strip():
                raise ReferenceDataError(f"{where}: {column} is empty")
        year_text = row["year"].strip()
        if not year_text.isdigit():
            raise ReferenceDataError(f"{where}: year {year_text!r} is not a year")
        result = PublishedResult(
            material=row["material"].strip(),
            name=(row.get("name") or "").strip(),
            year=int(year_text),
            sr=_number(row, "sr", where),
            ei=_number(row, "ei", where),
            source=row["source"].strip(),
            transcription=row["transcription"].strip(),
            checked=row["checked"].strip(),
        )
        key = (result.material, result.year)
        if key in seen:
            raise ReferenceDataError(f"{where}: {result.material} {result.year} is listed twice")
        seen.add(key)
        out.append(result)
    return out


@cache
def _shipped() -> tuple[PublishedResult, ...]:
    return tuple(parse_published(data_text("critchem.criticality", PUBLISHED_FILE)))


def published_results(year: int) -> dict[str, PublishedResult]:
    """The published results of one assessment year, by material key.

    >>> r = published_results(2023)["gallium"]
    >>> r.sr, r.ei
    (3.9, 3.7)
    """
    return {r.material: r for r in _shipped() if r.year == year}


def meeting_thresholds(
    results: Iterable[PublishedResult], sr_threshold: float, ei_threshold: float
) -> list[str]:
    """The materials whose published SR and EI both reach the thresholds, sorted."""
    return sorted(r.material for r in results if r.sr >= sr_threshold and r.ei >= ei_threshold)


def _status(computed: float | None, published: float, tolerance: float) -> Status:
    if computed is None:
        return "no inputs"
    # a small margin so that a difference of exactly the tolerance is not lost to rounding
    return "agrees" if abs(computed - published) <= tolerance + 1e-9 else "differs"


def compare_with_published(
    out: AssessmentOut,
    year: int,
    *,
    sr_tolerance: float = SR_TOLERANCE,
    ei_tolerance: float = EI_TOLERANCE,
) -> list[Agreement]:
    """SR and EI of every assessed material that the ``year`` study published, beside it.

    Materials of the assessment that the study did not publish are left out; a criterion the
    assessment could not compute is reported as "no inputs", never as agreement.
    """
    published = published_results(year)
    rows: list[Agreement] = []
    for material in out.materials:
        ref = published.get(material.material.lower())
        if ref is None:
            continue
        for criterion, value, tolerance in (
            ("sr", ref.sr, sr_tolerance),
            ("ei", ref.ei, ei_tolerance),
        ):
            crit = material.criteria.get(criterion)
            computed = None if crit is None or crit.value is None else float(crit.value)
            rows.append(
                Agreement(
                    material=ref.material,
                    criterion="sr" if criterion == "sr" else "ei",
                    published=value,
                    computed=computed,
                    tolerance=tolerance,
                    status=_status(computed, value, tolerance),
                )
            )
    return rows


@dataclass(frozen=True)
class PublishedEndUse:
    """One application of a material in the 2023 study: its share and its sector's value added."""

    material: str
    application: str
    sector: str
    share: float
    value_added_meur: float
    source: str
    transcription: str
    checked: str


@dataclass(frozen=True)
class EiBound:
    """The EI a material would have with SI_EI = 1, beside the published EI."""

    material: str
    sum_aq: float
    """``Σ A_s · Q_s`` over the material's applications (M€)."""
    max_q: float
    bound: float
    """``10 · Σ A·Q / max Q``: the EI without substitution, an upper bound of the EI."""
    published: float
    share_total: float
    """The sum of the published shares (rounded shares may not add up to exactly 1)."""

    @property
    def implied_si_ei(self) -> float:
        """The SI_EI that would turn the bound into the published EI."""
        return self.published / self.bound

    @property
    def consistent(self) -> bool:
        """Whether the published EI (less its rounding) stays at or below the bound."""
        return self.published - ROUNDING <= self.bound


def parse_end_uses(text: str, *, source: str = END_USES_2023_FILE) -> list[PublishedEndUse]:
    """Read a file of published end uses; a bad or unsourced row is an error naming its line.

    >>> rows = parse_end_uses(
    ...     "material,application,sector,share,value_added_meur,source,transcription,checked\\n"
    ...     "gallium,Lighting,C27,0.25,89422,Study 2023,https://t,2026-12-07\\n")
    >>> rows[0].sector, rows[0].share, rows[0].value_added_meur
    ('C27', 0.25, 89422.0)
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in END_USE_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ReferenceDataError(f"{source}: missing columns {', '.join(missing)}")
    out: list[PublishedEndUse] = []
    for line, row in enumerate(reader, start=2):
        where = f"{source}, line {line}"
        for column in END_USE_COLUMNS:
            if not (row.get(column) or "").strip():
                raise ReferenceDataError(f"{where}: {column} is empty")
        try:
            share = float(row["share"])
            value_added = float(row["value_added_meur"])
        except ValueError:
            raise ReferenceDataError(f"{where}: share and value_added_meur are numbers") from None
        if not 0.0 <= share <= 1.0 or value_added <= 0.0:
            raise ReferenceDataError(
                f"{where}: share {share} is not in 0..1 or value added {value_added} is not > 0"
            )
        out.append(
            PublishedEndUse(
                material=row["material"].strip(),
                application=row["application"].strip(),
                sector=row["sector"].strip(),
                share=share,
                value_added_meur=value_added,
                source=row["source"].strip(),
                transcription=row["transcription"].strip(),
                checked=row["checked"].strip(),
            )
        )
    return out


@cache
def published_end_uses() -> tuple[PublishedEndUse, ...]:
    """The shipped end uses of the 2023 study (cached)."""
    return tuple(parse_end_uses(data_text("critchem.criticality", END_USES_2023_FILE)))


def ei_bounds(uses: Iterable[PublishedEndUse] | None = None) -> dict[str, EiBound]:
    """The EI bound of every material with end uses, beside its published 2023 EI.

    ``max Q`` is the largest value added in the table (C28, 204,200 M€, the sector the 2023
    study scales by). A material the 2023 results do not list is an error.
    """
    rows = list(published_end_uses() if uses is None else uses)
    if not rows:
        return {}
    max_q = max(u.value_added_meur for u in rows)
    published = published_results(2023)
    sums: dict[str, float] = {}
    shares: dict[str, float] = {}
    for use in rows:
        sums[use.material] = sums.get(use.material, 0.0) + use.share * use.value_added_meur
        shares[use.material] = shares.get(use.material, 0.0) + use.share
    out: dict[str, EiBound] = {}
    for material, sum_aq in sums.items():
        ref = published.get(material)
        if ref is None:
            raise ReferenceDataError(f"{material}: no published 2023 EI to compare with")
        out[material] = EiBound(
            material=material,
            sum_aq=sum_aq,
            max_q=max_q,
            bound=float(economic_importance(sum_aq, max_q, 1.0)),
            published=ref.ei,
            share_total=shares[material],
        )
    return out

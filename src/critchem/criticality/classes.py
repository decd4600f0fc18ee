"""``cca`` 0.2: the four classes of the Alliance's list, and the agreement with its reference lists.

The ``cca`` verdict says critical, not critical or undetermined. The Alliance's list also has
*strategic* molecules: essential to a strategic sector or to the green and digital transition,
with EU supply at risk, though not critical today. The rules (``data/cca_classes.yaml``) are:

- **critical**: the cca verdict is critical (``SR ≥ t_SR`` and ``EI ≥ t_EI``);
- **undetermined**: the verdict is undetermined (an essential input is missing);
- **strategic**: not critical, *essential* (at least ``min_strategic_sectors`` of the six
  strategic sectors, or a transition tag) and *at risk* (``SR ≥ sr_share · t_SR`` or a critical
  EU production);
- **not critical**: everything else.

The hazard and regulatory status never enters a class. See ``docs/methodology/cca.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from critchem.core.errors import ReferenceDataError
from critchem.criticality.schemas import AssessmentOut, MaterialOut
from critchem.molecules import load_registry
from critchem.nomenclature._files import data_text

CLASSES = ("critical", "strategic", "not critical", "undetermined")
STRATEGIC_SECTORS = ("defence", "health", "energy", "digital", "mobility", "agri-food")
RULES_FILE = "cca_classes.yaml"
LISTS_FILE = "reference_lists.yaml"


@dataclass(frozen=True, slots=True)
class ClassRules:
    """The declared rules of the strategic class."""

    version: str
    min_strategic_sectors: int
    transition_tags: tuple[str, ...]
    sr_share_of_threshold: float
    sha256: str


@dataclass(frozen=True, slots=True)
class MaterialClass:
    """The class of one material with the reason in words."""

    material: str
    cls: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReferenceList:
    """One reference list of the Alliance with its legal or public source."""

    key: str
    title: str
    reference: str
    date: str
    source_url: str
    molecules: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """Whether the class of a listed molecule agrees with its listing, and why."""

    list_key: str
    molecule: str
    cls: str
    agrees: bool | None
    reason: str


@cache
def load_class_rules() -> ClassRules:
    """The shipped rules (cached); errors name the file and the field."""
    text = data_text("critchem.criticality", RULES_FILE)
    doc = yaml.safe_load(text)
    try:
        s = doc["strategic"]
        rules = ClassRules(
            version=str(doc["version"]),
            min_strategic_sectors=int(s["min_strategic_sectors"]),
            transition_tags=tuple(str(t) for t in s["transition_tags"]),
            sr_share_of_threshold=float(s["sr_share_of_threshold"]),
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(f"{RULES_FILE}: missing or bad field {exc}") from exc
    if not 0 < rules.sr_share_of_threshold <= 1 or not 1 <= rules.min_strategic_sectors <= 6:
        raise ReferenceDataError(
            f"{RULES_FILE}: sr_share_of_threshold must be in (0, 1], min_strategic_sectors 1..6"
        )
    return rules


def classify_one(
    *,
    critical: bool | None,
    sr: float | None,
    sr_threshold: float,
    sectors: Sequence[str],
    tags: Sequence[str],
    critical_production: bool | None,
    rules: ClassRules,
) -> tuple[str, str]:
    """The class and its reason for one molecule.

    >>> r = ClassRules("0.2", 2, ("battery",), 0.5, "")
    >>> classify_one(critical=False, sr=0.6, sr_threshold=1.0, sectors=["energy", "mobility"],
    ...              tags=[], critical_production=False, rules=r)[0]
    'strategic'
    >>> classify_one(critical=False, sr=0.3, sr_threshold=1.0, sectors=["energy", "mobility"],
    ...              tags=[], critical_production=False, rules=r)[0]
    'not critical'
    """
    if critical is True:
        return "critical", "the cca verdict is critical (SR and EI at or above their thresholds)"
    if critical is None:
        return "undetermined", "an essential input is missing (see the verdict's missing inputs)"
    served = [s for s in sectors if s in STRATEGIC_SECTORS]
    transition = [t for t in tags if t in rules.transition_tags]
    essential = len(served) >= rules.min_strategic_sectors or bool(transition)
    floor = rules.sr_share_of_threshold * sr_threshold
    at_risk_sr = sr is not None and sr >= floor
    at_risk = at_risk_sr or critical_production is True
    why_essential = f"serves {len(served)} strategic sectors ({', '.join(served) or 'none'})" + (
        f", transition input ({', '.join(transition)})" if transition else ""
    )
    sr_text = "SR unknown" if sr is None else f"SR {sr:.2f}"
    why_risk = (
        f"{sr_text} {'≥' if at_risk_sr else '<'} {floor:g} ({rules.sr_share_of_threshold:g} of "
        f"the SR threshold)" + ("; its EU production is critical" if critical_production else "")
    )
    if essential and at_risk:
        return "strategic", f"not critical today, but {why_essential} and {why_risk}"
    if not essential:
        return "not critical", f"not essential by the 0.2 rule: {why_essential}"
    return "not critical", f"essential ({why_essential}) but supply not at risk: {why_risk}"


def _critical_production(material: MaterialOut) -> bool | None:
    value = material.components.get("critical_production")
    return value if isinstance(value, bool) else None


def classify(assessment: AssessmentOut, *, rules: ClassRules | None = None) -> list[MaterialClass]:
    """The four-class result of a ``cca`` assessment, in the assessment's order."""
    rules = rules or load_class_rules()
    registry = load_registry()
    t_sr = assessment.thresholds.get("sr", 1.0)
    out = []
    for m in assessment.materials:
        molecule = registry.get(m.material) if m.material in registry else None
        sr = m.criteria["sr"].value if "sr" in m.criteria else None
        cls, reason = classify_one(
            critical=m.critical,
            sr=sr,
            sr_threshold=t_sr,
            sectors=molecule.sectors if molecule else (),
            tags=molecule.tags if molecule else (),
            critical_production=_critical_production(m),
            rules=rules,
        )
        out.append(MaterialClass(material=m.material, cls=cls, reason=reason))
    return out


@cache
def load_reference_lists() -> tuple[ReferenceList, ...]:
    """The Alliance's reference lists, with their sources (cached)."""
    doc = yaml.safe_load(data_text("critchem.criticality", LISTS_FILE))
    registry = load_registry()
    out = []
    for key, entry in doc["lists"].items():
        molecules = list(entry.get("molecules") or [])
        for tag in entry.get("registry_tags") or []:
            molecules += [m.id for m in registry.tagged(tag) if m.id not in molecules]
        unknown = [m for m in molecules if m not in registry]
        if unknown or not entry.get("source_url") or not entry.get("date"):
            raise ReferenceDataError(
                f"{LISTS_FILE}: {key}: unknown molecules {unknown} or no source/date"
            )
        out.append(
            ReferenceList(
                key=key,
                title=str(entry["title"]),
                reference=str(entry["reference"]).strip(),
                date=str(entry["date"]),
                source_url=str(entry["source_url"]),
                molecules=tuple(molecules),
                note=str(entry.get("note") or "").strip(),
            )
        )
    return tuple(out)


def agreement(
    assessment: AssessmentOut, classes: Sequence[MaterialClass] | None = None
) -> list[AgreementRow]:
    """Each listed molecule's class against its listing: agree (critical or strategic), disagree
    (not critical, with the verdict's explanation) or open (undetermined, or not assessed)."""
    classes = classes if classes is not None else classify(assessment)
    by_material = {c.material: c for c in classes}
    explanation = {m.material: m.explanation for m in assessment.materials}
    rows = []
    for ref in load_reference_lists():
        for molecule in ref.molecules:
            c = by_material.get(molecule)
            if c is None:
                rows.append(
                    AgreementRow(ref.key, molecule, "not assessed", None, "not in this assessment")
                )
                continue
            if c.cls in ("critical", "strategic"):
                rows.append(AgreementRow(ref.key, molecule, c.cls, True, c.reason))
            elif c.cls == "undetermined":
                rows.append(AgreementRow(ref.key, molecule, c.cls, None, explanation[molecule]))
            else:
                rows.append(
                    AgreementRow(
                        ref.key, molecule, c.cls, False, f"{explanation[molecule]}; {c.reason}"
                    )
                )
    return rows


def with_classes(
    materials: list[dict[str, Any]], assessment: AssessmentOut | None
) -> list[dict[str, Any]]:
    """Add ``class`` and ``class_reason`` to evidence-assessment records (by ``molecule``).

    The record's own ``critical`` is used (it may have been settled by imputation); the SR and
    the critical-production verdict come from ``assessment``.
    """
    rules = load_class_rules()
    registry = load_registry()
    by_material = {m.material: m for m in assessment.materials} if assessment else {}
    t_sr = assessment.thresholds.get("sr", 1.0) if assessment else 1.0
    out = []
    for record in materials:
        name = str(record.get("molecule"))
        m = by_material.get(name)
        molecule = registry.get(name) if name in registry else None
        critical = record.get("critical")
        sr = m.criteria["sr"].value if m is not None and "sr" in m.criteria else None
        cls, reason = classify_one(
            critical=critical if isinstance(critical, bool) else None,
            sr=sr,
            sr_threshold=t_sr,
            sectors=molecule.sectors if molecule else (),
            tags=molecule.tags if molecule else (),
            critical_production=_critical_production(m) if m is not None else None,
            rules=rules,
        )
        out.append({**record, "class": cls, "class_reason": reason})
    return out

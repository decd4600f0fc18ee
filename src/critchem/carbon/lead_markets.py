"""Lead-market definitions of low-carbon products (data with legal sources) and label checks.

A greenhouse-gas-savings criterion (e.g. low-carbon hydrogen: savings of at least ``S`` %
against a fossil comparator ``C`` in gCO2e/MJ) becomes a footprint threshold per kg through
the product's energy content ``H`` (MJ/kg):

    T = C · (1 − S/100) · H / 1000                       kgCO2e per kg of product
    eligible  ⇔  PCF ≤ T,      savings = 1 − PCF · 1000 / (C · H)

``S`` and the legal source come from ``data/lead_markets.yaml``; ``C`` and ``H`` come from the
file when verified there and are otherwise declared, with their source, by the user. The check
is a screening from a PACT cradle-to-gate PCF: the legal methodology of each act decides.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from critchem.core.errors import CarbonInputError, NotFoundError


class RegisterRule(BaseModel):
    """Which rows of the funded-projects register make the definition's product, and why.

    A row of the definition's product (``molecule``) counts when its published product
    description mentions one of ``counts_when_product_mentions`` (case ignored); the other
    rows of the product are listed, not counted.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    counts_when_product_mentions: list[str] = Field(min_length=1)
    basis: str = Field(min_length=1)


class Definition(BaseModel):
    """One lead-market definition with its legal source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    product: str
    cn_code: str
    criterion: str = Field(pattern=r"^ghg_savings$")
    min_savings_pct: float = Field(gt=0, lt=100)
    fossil_comparator_gco2e_per_mj: float | None = None
    energy_content_mj_per_kg: float | None = None
    legal_source: str = Field(min_length=1)
    source_urls: list[str] = Field(min_length=1)
    notes: str | None = None
    register_rule: RegisterRule | None = None


class Catalogue(BaseModel):
    """The versioned file of definitions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    checked: str
    definitions: list[Definition]


class LabelCheck(BaseModel):
    """The outcome of checking one product footprint against one definition."""

    market: str
    product: str
    cn_match: bool | None = Field(
        description="Whether the product's CN classification is the definition's (None: not given)."
    )
    pcf_kgco2e_per_kg: float
    threshold_kgco2e_per_kg: float
    savings_pct: float
    eligible: bool
    reason: str
    comparator_gco2e_per_mj: float
    comparator_source: str
    energy_content_mj_per_kg: float
    energy_content_source: str
    legal_source: str
    caveat: str


@cache
def catalogue() -> Catalogue:
    """The shipped lead-market definitions."""
    text = (resources.files("critchem.carbon") / "data" / "lead_markets.yaml").read_text(
        encoding="utf-8"
    )
    return Catalogue.model_validate(yaml.safe_load(text))


def definition(market: str) -> Definition:
    """The definition ``market`` (its id), or a :class:`NotFoundError` naming the known ones."""
    known = {d.id: d for d in catalogue().definitions}
    if market not in known:
        raise NotFoundError(
            f"no lead-market definition {market!r} (known: {', '.join(sorted(known))})",
            sorted(known),
        )
    return known[market]


def savings_threshold(comparator: float, min_savings_pct: float, energy_content: float) -> float:
    """``T = C · (1 − S/100) · H / 1000`` in kgCO2e/kg (see the module docstring).

    >>> round(savings_threshold(100.0, 70.0, 50.0), 6)
    1.5
    """
    return comparator * (1 - min_savings_pct / 100) * energy_content / 1000


def check_label(
    market: str,
    product: str,
    pcf_kgco2e_per_kg: float,
    *,
    comparator: tuple[float, str] | None = None,
    energy_content: tuple[float, str] | None = None,
    cn_codes: list[str] | None = None,
) -> LabelCheck:
    """Is a product with this PCF (kgCO2e/kg) within the definition ``market``?

    ``comparator`` and ``energy_content`` are ``(value, source)`` pairs, required when the
    definition does not carry a verified value. ``cn_codes`` are the product's CN codes, if
    known: the result says whether the definition's code is among them.
    """
    d = definition(market)
    comp = _parameter(
        d.fossil_comparator_gco2e_per_mj, comparator, "fossil comparator (gCO2e/MJ)", d
    )
    energy = _parameter(d.energy_content_mj_per_kg, energy_content, "energy content (MJ/kg)", d)
    threshold = savings_threshold(comp[0], d.min_savings_pct, energy[0])
    savings = 1 - pcf_kgco2e_per_kg * 1000 / (comp[0] * energy[0])
    cn_match = None if not cn_codes else d.cn_code in cn_codes
    within = pcf_kgco2e_per_kg <= threshold
    if cn_match is False:
        reason = f"not the product of the definition (CN {d.cn_code})"
    else:
        reason = f"PCF {'within' if within else 'above'} the threshold of {threshold:.4g} kgCO2e/kg"
    return LabelCheck(
        market=d.id,
        product=product,
        cn_match=cn_match,
        pcf_kgco2e_per_kg=pcf_kgco2e_per_kg,
        threshold_kgco2e_per_kg=round(threshold, 6),
        savings_pct=round(100 * savings, 4),
        eligible=within and cn_match is not False,
        reason=reason,
        comparator_gco2e_per_mj=comp[0],
        comparator_source=comp[1],
        energy_content_mj_per_kg=energy[0],
        energy_content_source=energy[1],
        legal_source=d.legal_source,
        caveat="screening from a PACT cradle-to-gate PCF; the act's own methodology decides",
    )


def _parameter(
    shipped: float | None, declared: tuple[float, str] | None, what: str, d: Definition
) -> tuple[float, str]:
    if declared is not None:
        value, source = declared
        if value <= 0 or not source.strip():
            raise CarbonInputError(f"{d.id}: the {what} must be positive and have a source")
        return value, source
    if shipped is not None:
        return shipped, f"lead_markets.yaml {catalogue().version}: {d.legal_source}"
    raise CarbonInputError(
        f"{d.id}: the {what} is not in the definitions file (not verified from the legal "
        "text): declare it with its source"
    )

"""The Combined Nomenclature's labels in French and German, from the Publications Office.

``cn_labels_<lang>.tsv.gz`` maps each English CN description (heading, subheading or CN8
name, as in the CN files) to its official text in that language. A CN8 label in another
language is rebuilt from the same chain as the English one (``cn.full_label``); when a link of
the chain has no translation, the whole label stays in English and says so
(``TranslatedLabel.language == "en"``), never half translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from critchem.nomenclature._files import read_rows
from critchem.nomenclature.cn import CnEntry, full_label
from critchem.nomenclature.hs import load_hs

LABEL_LANGUAGES: tuple[str, ...] = ("en", "fr", "de")
"""Languages in which CN labels are shipped."""


@dataclass(frozen=True)
class TranslatedLabel:
    """A CN8 label in the language asked for, or in English when it cannot be sourced."""

    label: str
    language: str
    requested: str

    @property
    def fallback(self) -> bool:
        """Whether the label is English in place of the language asked for."""
        return self.language != self.requested


@cache
def _table(lang: str) -> dict[str, str]:
    return {
        row["en"].strip().lower(): row[lang]
        for row in read_rows("critchem.nomenclature", f"cn_labels_{lang}.tsv.gz", delimiter="\t")
    }


def translate(text: str, lang: str) -> str | None:
    """The official ``lang`` text of one English CN description, or ``None`` if unknown.

    >>> translate("Ethylene", "fr"), translate("Ethylene", "de")
    ('Éthylène', 'Ethylen')
    """
    if lang == "en":
        return text
    if lang not in LABEL_LANGUAGES:
        return None
    return _table(lang).get(text.strip().lower())


def label_in(entry: CnEntry, lang: str) -> TranslatedLabel:
    """The full label of ``entry`` in ``lang`` (English, marked as such, where not sourced).

    >>> from critchem.nomenclature.cn import load_cn
    >>> label_in(load_cn(2025).get("29012100"), "fr").label
    'Hydrocarbures acycliques › Éthylène'
    >>> label_in(load_cn(2025).get("29012100"), "pt").fallback
    True
    """
    english = TranslatedLabel(label=entry.label, language="en", requested=lang)
    if lang == "en" or lang not in LABEL_LANGUAGES:
        return english
    hs = load_hs()
    hs6_description = hs.get(entry.hs6).description if entry.hs6 in hs else None
    parts = {
        "heading_name": entry.heading_name,
        "hs6_description": hs6_description,
        "subheading_name": entry.subheading_name,
        "name": entry.name,
    }
    translated: dict[str, str | None] = {}
    for key, text in parts.items():
        if text is None or not text.strip():
            translated[key] = None
            continue
        found = translate(text, lang)
        if found is None and key != "hs6_description":
            return english
        translated[key] = found
    label = full_label(
        heading_name=translated["heading_name"] or "",
        hs6_description=translated["hs6_description"],
        subheading_name=translated["subheading_name"],
        name=translated["name"] or "",
    )
    english_chain = full_label(
        heading_name=entry.heading_name,
        hs6_description=hs6_description,
        subheading_name=entry.subheading_name,
        name=entry.name,
    )
    if (
        hs6_description
        and translated["hs6_description"] is None
        and hs6_description in english_chain
    ):
        return english  # the chain needs the HS6 text, which has no official translation here
    return TranslatedLabel(label=label, language=lang, requested=lang)

"""CN labels in French and German from the Publications Office's texts, English when unsourced."""

from __future__ import annotations

import pytest

from critchem.nomenclature.cn import load_cn
from critchem.nomenclature.translations import label_in
from critchem.services.codes import show_code


@pytest.mark.parametrize(
    ("code", "lang", "label"),
    [
        ("29012100", "fr", "Hydrocarbures acycliques › Éthylène"),
        ("29012100", "de", "Acyclische Kohlenwasserstoffe › Ethylen"),
        (
            "28141000",
            "fr",
            "Ammoniac anhydre ou en solution aqueuse (ammoniaque) › Ammoniac anhydre",
        ),
        ("29012200", "fr", "Hydrocarbures acycliques › Propène (propylène)"),
    ],
)
def test_labels_in_french_and_german(code: str, lang: str, label: str) -> None:
    found = label_in(load_cn(2025).get(code), lang)
    assert (found.label, found.language, found.fallback) == (label, lang, False)


def test_a_chain_without_an_official_text_stays_english_and_says_so() -> None:
    # 29012900 "Other" needs the HS6 text, which the Publications Office does not translate.
    entry = load_cn(2025).get("29012900")
    found = label_in(entry, "fr")
    assert found.label == entry.label and found.language == "en" and found.fallback


def test_the_code_service_marks_the_label_language() -> None:
    assert show_code("29012100", lang="de").label_language == "de"
    fallback = show_code("29012900", lang="de")
    assert fallback.label_language == "en" and fallback.label_fallback
    assert show_code("29012100").label == "Acyclic hydrocarbons › Ethylene"

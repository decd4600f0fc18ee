"""The sourced State-aid intensity table: every row has its provision, source and date."""

from __future__ import annotations

import pytest

from critchem.core.errors import InstrumentCatalogueError
from critchem.investment.intensities import COLUMNS, load_intensities, parse_intensities

HEADER = ",".join(COLUMNS)
GOOD = (
    "gber-41-large,GBER,Article 41,renewable energy,large,,0.45,eligible_costs,"
    "Regulation (EU) No 651/2014 Article 41,https://example.org/a,2026-12-06,"
)


def test_shipped_rows_carry_their_source_and_date() -> None:
    table = load_intensities()
    assert len(table) >= 10
    for row in table.values():
        assert row.source.startswith("https://") or row.source.startswith("http://")
        assert row.legal_reference and row.checked
        assert 0 < row.max_intensity <= 1
    # hand-checked against the sources named in the table
    assert table["gber-41-large"].max_intensity == 0.45
    assert table["gber-41-small"].max_intensity == 0.65
    assert table["gber-25-experimental"].max_intensity == 0.25
    assert table["ceeag-bidding"].base == "funding_gap"
    assert table["ets-indirect-2021"].max_intensity == 0.75


def test_parse_good_row() -> None:
    row = parse_intensities(f"{HEADER}\n{GOOD}\n")["gber-41-large"]
    assert row.ceiling_meur(200) == 90.0
    assert row.label == "GBER Article 41 (large)"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("https://example.org/a", ""), "source"),
        (("https://example.org/a", "somewhere"), "source"),
        (("2026-12-06", "yesterday"), "checked"),
        (("0.45", "1.5"), "max_intensity"),
        (("0.45", "nan"), "max_intensity"),
        (("0.45", "lots"), "max_intensity"),
        (("eligible_costs", "turnover"), "base"),
        ((",large,", ",huge,"), "enterprise"),
        (("Regulation (EU) No 651/2014 Article 41", ""), "legal_reference"),
    ],
)
def test_bad_row_names_line_and_field(change: tuple[str, str], field: str) -> None:
    bad = GOOD.replace(*change)
    with pytest.raises(InstrumentCatalogueError, match=rf"line 3, field '{field}'"):
        parse_intensities(f"{HEADER}\n{GOOD.replace('gber-41-large', 'ok')}\n{bad}\n")


def test_duplicate_id_is_refused() -> None:
    with pytest.raises(InstrumentCatalogueError, match="line 3: id 'gber-41-large' twice"):
        parse_intensities(f"{HEADER}\n{GOOD}\n{GOOD}\n")


def test_missing_column_is_refused() -> None:
    with pytest.raises(InstrumentCatalogueError, match="missing column"):
        parse_intensities("id,framework\nx,GBER\n")


def test_ets_rows_carry_their_official_journal_references() -> None:
    """Checked on EUR-Lex: 2020/C 317/04 (OJ C 317, 25.9.2020) and its amendment C/2026/196."""
    table = load_intensities()
    assert "OJ C 317, 25.9.2020" in table["ets-indirect-2021"].legal_reference
    amended = table["ets-indirect-2026"]
    assert "C/2026/196" in amended.legal_reference and "5.1.2026" in amended.legal_reference
    assert "not verified" not in amended.legal_reference


def test_unverified_gber_articles_are_not_encoded() -> None:
    """GBER Articles 36, 36a, 38 and 46 stay out until verified (data/SOURCES.md)."""
    provisions = {row.provision.split("(")[0].strip() for row in load_intensities().values()}
    assert not provisions & {"Article 36", "Article 36a", "Article 38", "Article 46"}

"""Bio-based content and chain-of-custody claims read by the terms of their standards.

Hand-read expectations: ISO 22095:2020 numbers its models 3.3.1 (identity preserved) to 3.3.5
(book and claim); the first three keep the claimed input physically in the output, mass
balance only on average, book and claim not at all (the definitions quoted on the pages the
data file cites).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from critchem.carbon.claims import ContentClaim, parse_claim, read_claim, terms
from critchem.cli.main import build_app
from critchem.core.errors import CarbonInputError, NotFoundError

MODELS = {
    "identity-preserved": ("3.3.1", True),
    "segregated": ("3.3.2", True),
    "controlled-blending": ("3.3.3", True),
    "mass-balance": ("3.3.4", False),
    "book-and-claim": ("3.3.5", False),
}


def test_every_term_has_a_standard_and_sources() -> None:
    shipped = terms()
    assert {m.id: (m.clause.split(", ")[1].split(" ")[0], m.physical_link)
            for m in shipped.custody_models} == MODELS  # fmt: skip
    assert {q.id: q.unit for q in shipped.quantities} == {
        "bio-based-product": None,
        "bio-based-carbon-content": "% of total carbon",
        "bio-based-content": "% of mass",
    }
    for row in (*shipped.quantities, *shipped.custody_models):
        assert row.source_urls and all(
            u.startswith(("https://", "http://")) for u in row.source_urls
        )


@pytest.mark.parametrize(("model", "expected"), MODELS.items())
def test_a_claim_says_whether_the_share_is_in_the_product(
    model: str, expected: tuple[str, bool]
) -> None:
    claim = ContentClaim(
        quantity="bio-based-carbon-content", share_pct=25, custody_model=model,
        source="Example Chemicals A declaration",
    )  # fmt: skip
    reading = read_claim(claim)
    assert reading.physical_link is expected[1]
    assert f"ISO 22095:2020, {expected[0]}" in reading.statement
    assert reading.measured_by.startswith("EN 16640")
    assert reading.statement.startswith("Bio-based carbon content 25 % of total carbon")


def test_bad_claims_are_refused_naming_the_field() -> None:
    with pytest.raises(CarbonInputError, match="share_pct"):
        parse_claim({"quantity": "bio-based-content", "share_pct": 120,
                     "custody_model": "segregated", "source": "x"})  # fmt: skip
    with pytest.raises(NotFoundError, match="custody model 'certified'"):
        read_claim(parse_claim({"quantity": "bio-based-content", "share_pct": 20,
                                "custody_model": "certified", "source": "x"}))  # fmt: skip
    with pytest.raises(CarbonInputError, match="is a term, not a measured share"):
        read_claim(parse_claim({"quantity": "bio-based-product", "share_pct": 20,
                                "custody_model": "segregated", "source": "x"}))  # fmt: skip


def test_claim_commands() -> None:
    runner = CliRunner()
    listed = runner.invoke(build_app(), ["pcf", "claims", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) == 8
    read = runner.invoke(build_app(), [
        "pcf", "claim", "--quantity", "bio-based-content", "--share", "40",
        "--custody-model", "book-and-claim", "--source", "Example Chemicals A", "--format", "json",
    ])  # fmt: skip
    assert read.exit_code == 0, read.output
    body = json.loads(read.stdout)
    assert body["physical_link"] is False and "may hold none of it" in body["statement"]

"""Attacks on published pipeline aggregates: derivation from totals, dominance, differencing.

Hand-computed tables; each test plays the attacker and checks the figure cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from critchem.accounts.disclosure_control import (
    change_reason,
    dominated,
    p_percent_sensitive,
    primary_reason,
    protect,
)
from critchem.accounts.roles import Principal
from critchem.investment import Pipeline, parse_project
from critchem.services.project_views import pipeline_aggregates
from tests.investment.conftest import base_data

ANALYST = Principal("ana", "analyst", "Example Analysts")


def _project(pid: str, org: str, country: str, nuts2: str, capex: float) -> Any:
    return parse_project(
        base_data(
            id=pid,
            owner_org=org,
            promoters=[{"name": org, "country": country}],
            country=country,
            nuts2=nuts2,
            capex_meur=capex,
            funding_gap_meur=capex / 2,
        )
    )


# DE: three companies (10, 12, 9); FR: one company (50); IT: three (7, 8, 6);
# NL: three (30, 25, 28). Pipeline total 185 = DE 31 + FR 50 + IT 21 + NL 83.
TABLE = [
    ("D1", "Example A", "DE", "DEA1", 10.0),
    ("D2", "Example B", "DE", "DEA1", 12.0),
    ("D3", "Example C", "DE", "DEA1", 9.0),
    ("F1", "Example D", "FR", "FR10", 50.0),
    ("I1", "Example E", "IT", "ITC4", 7.0),
    ("I2", "Example F", "IT", "ITC4", 8.0),
    ("I3", "Example G", "IT", "ITC4", 6.0),
    ("N1", "Example H", "NL", "NL32", 30.0),
    ("N2", "Example I", "NL", "NL32", 25.0),
    ("N3", "Example J", "NL", "NL32", 28.0),
]


def test_a_suppressed_cell_cannot_be_derived_from_the_total() -> None:
    projects = [_project(*row) for row in TABLE]
    cells = {a.group: a for a in pipeline_aggregates(projects, ANALYST, by="country")}
    assert cells["FR"].suppressed and cells["FR"].reason == "fewer than 3 companies"
    # the attacker knows the pipeline total (the molecule table adds up to it): 185
    known = sum(a.capex_meur for a in cells.values() if a.capex_meur is not None)
    hidden = [g for g, a in cells.items() if a.capex_meur is None]
    assert len(hidden) >= 2, "one hidden cell would be the total minus the others"
    assert hidden == ["FR", "IT"] and cells["IT"].reason == "secondary: protects FR"
    # FR is now only known to lie in [0, 185 - known] = [0, 71]: more than 10 % of 50 away
    assert 185 - known - 50 >= 0.10 * 50


def test_the_dominance_rules_catch_a_cell_three_companies_do_not_protect() -> None:
    # (n, k) = (2, 85): 90 + 6 of 100 is 96 %
    assert dominated([90.0, 6.0, 4.0]) and not dominated([40.0, 35.0, 25.0])
    # p % = 10: the second company (45) knows 100 - 45 - 3 = 52 <= x1 = 52 + 3: within 3/52
    assert p_percent_sensitive([52.0, 45.0, 3.0])
    assert primary_reason([("a", 90.0), ("b", 6.0), ("c", 4.0)]) == (
        "dominated: 2 companies hold more than 85%"
    )
    cells = protect(
        {
            "A": [("a", 90.0), ("b", 6.0), ("c", 4.0)],
            "B": [("d", 20.0), ("e", 20.0), ("f", 20.0)],
            "C": [("g", 30.0), ("h", 30.0), ("i", 30.0)],
        }
    )
    assert cells["A"].suppressed and cells["B"].suppressed and not cells["C"].suppressed


def test_one_submission_cannot_be_read_from_a_difference_over_time() -> None:
    """Before: the released figure; a project is submitted; after: the released figure again.

    Between releases the published aggregate does not move; at the next release, a change
    made by one company alone is withheld.
    """
    pipe = Pipeline()
    for row in TABLE:
        if row[2] != "FR":
            pipe.add(_project(*row))
    first = pipe.release(by="secretariat")
    released = pipe.as_of(first)
    before = {a.group: a for a in pipeline_aggregates(released, ANALYST, by="country")}
    assert before["DE"].capex_meur == 31.0
    pipe.add(_project("D4", "Example K", "DE", "DEA1", 40.0))  # confidential: 40
    # until the next release, the published aggregates are those of the first release
    again = {a.group: a for a in pipeline_aggregates(pipe.as_of(first), ANALYST, by="country")}
    assert again["DE"].capex_meur == 31.0
    second = pipe.release(by="secretariat")
    after = {
        a.group: a
        for a in pipeline_aggregates(
            pipe.as_of(second), ANALYST, by="country", previous=pipe.as_of(first)
        )
    }
    assert after["DE"].capex_meur is None
    assert after["DE"].reason == ("change since the previous release: fewer than 3 companies")
    # and DE is not left alone to be derived from the total either
    assert sum(a.suppressed for a in after.values()) >= 2


def test_a_change_by_three_companies_is_published() -> None:
    before = [("a", 10.0), ("b", 10.0), ("c", 10.0)]
    now = [("a", 20.0), ("b", 21.0), ("c", 19.0)]
    assert change_reason(now, before) is None


def test_the_secretariat_and_owners_see_their_cells_unsuppressed() -> None:
    projects = [_project(*row) for row in TABLE]
    sue = Principal("sue", "secretariat", "Alliance")
    assert not any(a.suppressed for a in pipeline_aggregates(projects, sue, by="country"))
    owner = Principal("dan", "member", "Example D")
    cells = {a.group: a for a in pipeline_aggregates(projects, owner, by="country")}
    assert cells["FR"].capex_meur == 50.0 and not cells["FR"].suppressed


def test_nothing_is_published_before_the_first_release(tmp_path: Path) -> None:
    from critchem.services.investment import release_pipeline, released_projects

    path = tmp_path / "pipeline.db"
    Pipeline(path).add(_project(*TABLE[0]))
    assert released_projects(pipeline=path) == ([], None, None)
    at = release_pipeline(pipeline=path, by="sue")
    Pipeline(path).add(_project(*TABLE[1]))
    now, previous, when = released_projects(pipeline=path)
    assert [p.id for p in now] == ["D1"] and previous is None and when == at

"""Catalogue validation, eligibility refusals per rule, stacking computed by hand."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from critchem.core.errors import InstrumentCatalogueError
from critchem.investment import Award, Context, eligible_instruments, load_catalogue, parse_project
from critchem.investment.eligibility import judge
from critchem.investment.instruments import Catalogue, parse_catalogue
from critchem.investment.projects import Project
from critchem.investment.rules import RULES, Rule, RuleResult
from critchem.investment.stacking import (
    eu_costs_remaining,
    headroom,
    rate_cap,
    seal_opens_cohesion,
    state_aid_remaining,
)
from tests.investment.conftest import base_data

GROUPS = {
    "eu": {"exclusive": True, "description": "EU grants", "source": "FR Art. 191"},
    "sa": {"exclusive": False, "description": "State aid", "source": "TFEU 107"},
}


def inst(**over: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "x",
        "name": "X",
        "form": "grant",
        "eu_funds": False,
        "state_aid": True,
        "cumulation_group": "sa",
    }
    entry.update(over)
    return entry


def catalogue(*entries: dict[str, Any]) -> Catalogue:
    return parse_catalogue(
        yaml.safe_dump({"version": "t", "cumulation_groups": GROUPS, "instruments": list(entries)})
    )


def project(**over: Any) -> Project:
    return parse_project(base_data(**over))


def test_shipped_catalogue_is_valid_and_sourced() -> None:
    cat = load_catalogue()
    assert cat.get("innovation-fund-grant").max_aid_rate == 0.6
    assert [i.id for i in cat.instruments if i.example] == ["example-national-scheme"]


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        (
            inst(max_aid_rate=0.5),
            "instrument 'x', field 'max_aid_rate': max_aid_rate is set but has no source",
        ),
        (
            inst(max_aid_rate=1.5, sources={"max_aid_rate": "s"}),
            "instrument 'x', field 'max_aid_rate'",
        ),
        (inst(form="gift"), "instrument 'x', field 'form'"),
        (inst(cumulation_group="nope"), "instrument 'x', field 'cumulation_group'"),
        (
            inst(eligibility={"trl_min": 8, "trl_max": 3}),
            "instrument 'x', field 'eligibility': Value error, trl_min 8 is above trl_max 3",
        ),
    ],
)
def test_catalogue_errors_name_instrument_and_field(entry: dict[str, Any], needle: str) -> None:
    with pytest.raises(InstrumentCatalogueError) as info:
        catalogue(entry)
    assert needle.replace("Value error, ", "") in str(info.value)


SRC = {
    k: "s"
    for k in (
        "eligibility.trl_min",
        "eligibility.trl_max",
        "eligibility.countries",
        "eligibility.nuts2_prefixes",
        "eligibility.labels_required",
        "eligibility.min_capex_meur",
        "min_ticket_meur",
        "max_aid_rate",
        "closes",
    )
}


@pytest.mark.parametrize(
    ("eligibility", "extra", "rule", "reason"),
    [
        ({"trl_min": 8}, {}, "trl", "TRL 7 is below the minimum 8"),
        ({"trl_max": 5}, {}, "trl", "TRL 7 is above the maximum 5"),
        ({"statuses": ["fid"]}, {}, "status", "status 'permitting' is not one of: fid"),
        ({"countries": ["PL"]}, {}, "geography", "country 'DE' is not one of: PL"),
        ({"nuts2_prefixes": ["DE2"]}, {}, "geography", "region 'DEA1' is not within: DE2"),
        ({"labels_required": ["STEP Seal"]}, {}, "labels", "missing: STEP Seal"),
        ({"min_capex_meur": 500}, {}, "ticket", "capex 100 M€ is below the minimum 500 M€"),
        ({}, {"max_aid_rate": 0.04, "min_ticket_meur": 5}, "ticket", "at most 4 M€ available"),
    ],
)
def test_refusal_names_rule_and_reason(
    eligibility: dict[str, Any], extra: dict[str, Any], rule: str, reason: str
) -> None:
    cat = catalogue(inst(eligibility=eligibility, sources=SRC, **extra))
    verdict = judge(project(), cat.instruments[0], Context(catalogue=cat))
    assert not verdict.eligible and verdict.max_amount_meur is None
    assert [(r.rule, reason in r.reason) for r in verdict.refusals] == [(rule, True)]


def test_stacking_by_hand() -> None:
    # capex 100 M€, relevant costs 80: IF grant cap 60 % → 0.6 × 80 = 48
    assert rate_cap(80, 0.6) == 48
    # national aid 20 already under a 50 % cap of 80 → 0.5 × 80 − 20 = 20 left
    assert state_aid_remaining(80, 0.5, 20) == 20
    # 48 EU-financed of 80 → 32 of costs left for other EU funds
    assert eu_costs_remaining(80, 48) == 32
    assert seal_opens_cohesion(("STEP Seal",))

    cat = catalogue(
        inst(
            id="ifg",
            eu_funds=True,
            state_aid=False,
            cumulation_group="eu",
            max_aid_rate=0.6,
            sources={"max_aid_rate": "s"},
        ),
        inst(
            id="hz",
            eu_funds=True,
            state_aid=False,
            cumulation_group="eu",
            max_aid_rate=0.7,
            sources={"max_aid_rate": "s"},
        ),
        inst(
            id="nat",
            max_aid_rate=0.5,
            public_support_cap=0.5,
            sources={"max_aid_rate": "s", "public_support_cap": "s"},
        ),
    )
    p = project(capex_meur=100, funding_gap_meur=90)
    ifg, hz, nat = cat.instruments
    alone = Context(catalogue=cat, relevant_costs_meur=80)
    assert headroom(p, ifg, alone) == 48  # min(gap 90, 60 % × 80 = 48, EU costs 80)
    national = Context(catalogue=cat, relevant_costs_meur=80, awards=(Award("nat", 20),))
    assert headroom(p, nat, national) == 20  # min(gap 70, 40, 50 % × 80 − 20 = 20)
    assert headroom(p, ifg, national) == 48  # min(gap 70, 48, EU costs 80)
    after_if = Context(catalogue=cat, relevant_costs_meur=80, awards=(Award("ifg", 48),))
    # gap 90 − 48 = 42; 50 % × 80 − 48 = −8 → 0: State-aid cap reached
    assert headroom(p, nat, after_if) == 0
    v = judge(p, nat, after_if)
    assert [r.rule for r in v.refusals] == ["cumulation"]
    v = judge(p, hz, after_if)  # same exclusive EU group: one grant per action
    assert "exclusive group 'eu'" in v.refusals[0].reason
    ok = judge(p, ifg, alone)
    assert ok.eligible and ok.max_amount_meur == 48


def test_shipped_catalogue_verdicts() -> None:
    p = project(labels=["STEP Seal"], country="DE", capex_meur=100, funding_gap_meur=60)
    verdicts = {v.instrument_id: v for v in eligible_instruments(p, load_catalogue())}
    assert verdicts["innovation-fund-grant"].max_amount_meur == 60  # min(gap 60, 60 % × 100)
    assert verdicts["step-seal-cohesion"].eligible
    assert verdicts["example-national-scheme"].max_amount_meur == 40  # 40 % × 100
    assert {r.rule for r in verdicts["ipcei"].refusals} == {"labels"}
    assert {r.rule for r in verdicts["cohesion-fund"].refusals} == {"geography"}


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_rule_conformance(rule: Rule) -> None:
    assert isinstance(rule, Rule) and rule.name and RULES[rule.name] is rule
    cat = catalogue(inst())  # an instrument with no conditions
    result = rule.check(project(), cat.instruments[0], Context(catalogue=cat))
    assert isinstance(result, RuleResult) and result.ok and result.reason == ""
    strict = catalogue(
        inst(
            eligibility={
                "trl_min": 9,
                "statuses": ["idea"],
                "countries": ["PL"],
                "labels_required": ["STEP Seal"],
                "min_capex_meur": 1000,
            },
            closes="2020-01-01",
            sources=SRC,
        ),
        inst(id="y", cumulation_group="sa", max_aid_rate=0.1, sources={"max_aid_rate": "s"}),
    )
    ctx = Context(catalogue=strict, awards=(Award("y", 60),))  # funding gap 60 all used
    refused = rule.check(project(), strict.instruments[0], ctx)
    assert not refused.ok and refused.reason

"""The site accounts applied to custody records: which record books what, and the checks.

A record books into the account of its recipient's site a *credit* when it arrives there
(``recipient_site``) from the account's opening date, is of one of the account's input
products (its molecule id or CN code), has a model the mass-balance model credits
(``rules.CREDITED``) and a certified quantity ``C``: credit = ``factor`` × ``C``. A record
books out of the account of its supplier's site a *claim* of ``C`` when it leaves that site
(``supplier_site``), is of the account's product and is a mass-balance transfer with
``C > 0``. The periods, the carry-over and equations (4)-(5) are in
:mod:`critchem.carbon.custody.account`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from pydantic import BaseModel

from critchem.carbon.custody import account as ledger
from critchem.carbon.custody.rules import CREDITED, same_organisation
from critchem.carbon.custody.schemas import AccountOut, RecordOut


def key(text: str) -> str:
    """The case- and blank-insensitive key of an organisation or site name."""
    return text.strip().casefold()


def _is(record: RecordOut, product: str) -> bool:
    return product in (record.molecule, record.cn_code)


def _at(name: str, site: str | None, a: AccountOut) -> bool:
    return site is not None and same_organisation(name, a.organisation) and key(site) == key(a.site)


def events(a: AccountOut, records: Iterable[RecordOut]) -> list[ledger.Event]:
    """The credits and claims ``records`` book in account ``a`` (see the module docstring)."""
    out: list[ledger.Event] = []
    for r in records:
        if r.transferred_on < a.opens_on or r.certified_quantity <= 0:
            continue
        if _at(r.recipient, r.recipient_site, a) and r.custody_model in CREDITED["mass-balance"]:
            for item in a.inputs:
                if _is(r, item.product):
                    out.append(
                        ledger.Event(
                            r.id, r.transferred_on, "credit", item.factor * r.certified_quantity
                        )
                    )
                    break
        if (
            _at(r.supplier, r.supplier_site, a)
            and r.custody_model == "mass-balance"
            and _is(r, a.product)
        ):
            out.append(ledger.Event(r.id, r.transferred_on, "claim", r.certified_quantity))
    return out


def touches(a: AccountOut, record: RecordOut) -> bool:
    """Whether ``record`` leaves or arrives at ``a``'s site."""
    return _at(record.supplier, record.supplier_site, a) or _at(
        record.recipient, record.recipient_site, a
    )


class Statement(BaseModel):
    """A site's mass-balance account over its periods (equation (4) per period)."""

    account: AccountOut
    until: date | None
    rule: str
    periods: list[ledger.PeriodRow]
    shortfalls: list[ledger.Shortfall]
    credits_in: float
    claims_out: float
    expired: float
    closing: float
    unit: str


def rule_text(a: AccountOut) -> str:
    """The declared carry-over rule in words."""
    life = (
        f"the balance expires at the end of each {a.period}"
        if a.carry_periods == 0
        else f"a credit may be claimed in its {a.period} and the {a.carry_periods} following, "
        f"then expires"
    )
    return f"{life}; the oldest credits are claimed first; declared in: {a.rule_source}"


def statement(a: AccountOut, records: Iterable[RecordOut], until: date | None) -> Statement:
    """The account's statement from its opening (records after ``until`` left out)."""
    booked = [e for e in events(a, records) if until is None or e.day <= until]
    rows, short = ledger.run(booked, a.period, a.carry_periods, until=until)
    return Statement(
        account=a,
        until=until,
        rule=rule_text(a),
        periods=rows,
        shortfalls=short,
        credits_in=round(sum(r.credits_in for r in rows), 9),
        claims_out=round(sum(r.claims_out for r in rows), 9),
        expired=round(sum(r.expired for r in rows), 9),
        closing=rows[-1].closing if rows else 0.0,
        unit=a.unit,
    )


def _run(a: AccountOut, booked: Sequence[ledger.Event]) -> list[ledger.Shortfall]:
    return ledger.run(booked, a.period, a.carry_periods)[1]


def check_new(
    found: Sequence[tuple[AccountOut, list[RecordOut]]],
    new: Sequence[RecordOut],
    refuse: Callable[[str, str], None],
    name: Callable[[str], str],
) -> None:
    """Refuse each of ``new`` (in order) that would overdraw an account (equation (5)).

    ``found`` are the accounts the new records touch, each with its stored records. A new
    claim beyond the credits alive on its date is refused, and so is a back-dated claim that
    would leave a later claim uncovered; the message names the records and the account.
    """
    for a, stored in found:
        where = f"site {a.site!r} of {a.organisation} ({a.product}, account {a.id})"
        booked = events(a, stored)
        before = {s.record for s in _run(a, booked)}
        for record in new:
            if not touches(a, record):
                continue
            mine = events(a, [record])
            claims = [e for e in mine if e.kind == "claim"]
            if claims and record.unit != a.unit:
                refuse(
                    record.id,
                    f"record {name(record.id)} is in {record.unit} but the mass-balance account "
                    f"of {where} is kept in {a.unit}",
                )
                continue
            if not mine:
                continue
            fresh = [s for s in _run(a, [*booked, *mine]) if s.record not in before]
            if not fresh:
                booked.extend(mine)
                continue
            for s in fresh:
                if s.record == record.id:
                    message = (
                        f"record {name(record.id)} claims {s.claimed:g} {a.unit} certified out of "
                        f"{where} in {s.period}, but the account holds only {s.available:g} "
                        f"{a.unit} on {record.transferred_on}"
                    )
                else:
                    message = (
                        f"record {name(record.id)} (on {record.transferred_on}) would leave the "
                        f"later claim of record {name(s.record)} in {s.period} uncovered: it "
                        f"claims {s.claimed:g} {a.unit}, {s.available:g} {a.unit} would be left "
                        f"in the account of {where}"
                    )
                refuse(record.id, message)

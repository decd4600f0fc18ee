"""The site-level mass-balance account over periods, on a real SQLite (and PostgreSQL) database.

Hand computation of ``data/custody_site_account.json`` with the account of
``data/custody_account.json`` (fictitious companies, t = tonnes):
the account of Example Chemicals B's "Site 1 (example)" keeps ethylene, credits naphtha at
0.3 t/t, by quarter, a credit living in its quarter and the next one (``carry_periods`` 1).

- Q1: m-1 credits 0.3 x 100 = 30 t (10 Jan), m-2 0.3 x 50 = 15 t (15 Feb); m-3 claims 25 t
  (1 Mar), taken from the oldest: 25 of m-1's 30. Opening 0, in 45, out 25, expired 0,
  closing 20 (5 of m-1, 15 of m-2), carried.
- Q2: m-4 credits 0.3 x 20 = 6 t (10 Apr); m-5 claims 10 t (1 May): 5 of m-1, 5 of m-2.
  At the end of Q2 the Q1 credits have lived their two quarters: 10 t of m-2 expire.
  Opening 20, in 6, out 10, expired 10, closing 6.
- Q3 (until 30 Sep): opening 6; m-4's credit (Q2) expires at the end of Q3: expired 6,
  closing 0. Totals: in 51, out 35, expired 16 (51 = 35 + 16 + 0).
- A claim of 7 t on 15 Jul is refused: 7 > 6 alive. A claim of 6 t passes.
- A back-dated claim of 18 t on 20 Mar passes on its own (20 alive) but leaves m-5 with
  2 + 6 = 8 < 10 t: refused, naming m-5.
- The same events with ``carry_periods`` 0: the 20 t of Q1 expire at its end; in Q2 only
  6 t are alive when m-5 claims 10 t: m-5 falls short by 4 t.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from critchem.carbon.custody import CustodyBook, RecordIn, Viewer
from critchem.carbon.custody.account import Event, run
from critchem.carbon.custody.schemas import AccountIn
from critchem.cli.main import build_app
from critchem.core.database import Database
from critchem.core.errors import CustodyError, NotFoundError, PermissionDeniedError
from tests.surveillance.conftest import alert_postgres_base, fresh_postgres_schema  # noqa: F401

DATA = Path(__file__).parent / "data" / "custody_site_account.json"
ACCOUNT = Path(__file__).parent / "data" / "custody_account.json"
SECRETARIAT = Viewer(organisation="", secretariat=True, actor="test")
B = Viewer(organisation="Example Chemicals B", actor="b")
C = Viewer(organisation="Example Polymers C", actor="c")


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    doc["account"] = json.loads(ACCOUNT.read_text(encoding="utf-8"))
    return doc


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CustodyBook]:
    """A book on a fresh SQLite file or a fresh PostgreSQL schema, migrated to head."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'account.db'}")
        yield CustodyBook(database.session)
        database.dispose()
        return
    base: str = request.getfixturevalue("alert_postgres_base")
    with fresh_postgres_schema(base, "custody_account") as url:
        database = Database(url)
        yield CustodyBook(database.session)
        database.dispose()


def _setup(book: CustodyBook) -> str:
    account = book.declare_account(AccountIn.model_validate(_doc()["account"]), B)
    rows = [(n, RecordIn.model_validate(r)) for n, r in enumerate(_doc()["records"], 1)]
    report = book.add(rows, SECRETARIAT, all_or_nothing=True)
    assert report.errors == [] and report.kept == 5
    return account.id


def _claim(record_id: str, certified: float, day: date, unit: str = "t") -> RecordIn:
    claim = dict(_doc()["records"][2])
    claim |= {
        "id": record_id,
        "batch": f"B-{record_id}",
        "certified_quantity": certified,
        "quantity": 30,
        "unit": unit,
        "transferred_on": day.isoformat(),
    }
    return RecordIn.model_validate(claim)


def test_the_statement_by_hand(book: CustodyBook) -> None:
    account = _setup(book)
    shown = book.statement(account, B, until=date(2026, 9, 30))
    rows = [
        (p.period, p.opening, p.credits_in, p.claims_out, p.expired, p.closing)
        for p in shown.periods
    ]
    assert rows == [  # rounded to 1e-9 by the account
        ("2026-Q1", 0, 45, 25, 0, 20),
        ("2026-Q2", 20, 6, 10, 10, 6),
        ("2026-Q3", 6, 0, 0, 6, 0),
    ]
    assert (shown.credits_in, shown.claims_out, shown.expired, shown.closing) == pytest.approx(
        (51, 35, 16, 0)
    )
    assert [(line.record, line.kind) for line in shown.periods[0].lines] == [
        ("m-1", "credit"),
        ("m-2", "credit"),
        ("m-3", "claim"),
    ]
    assert shown.shortfalls == []
    assert "the 1 following" in shown.rule and "declared by the test" in shown.rule
    assert book.statement(account, SECRETARIAT).periods[-1].period == "2026-Q2"


def test_a_claim_beyond_the_balance_is_refused_naming_the_record(book: CustodyBook) -> None:
    account = _setup(book)
    report = book.add([(1, _claim("m-6", 7, date(2026, 7, 15)))], B)
    assert report.kept == 0
    assert report.errors[0].message == (
        "record 'm-6' claims 7 t certified out of site 'Site 1 (example)' of Example Chemicals "
        f"B (ethylene, account {account}) in 2026-Q3, but the account holds only 6 t on "
        "2026-07-15"
    )
    assert book.add([(1, _claim("m-6", 6, date(2026, 7, 15)))], B).kept == 1
    assert book.statement(account, B).closing == pytest.approx(0)


def test_a_back_dated_claim_that_uncovers_a_later_one_is_refused(book: CustodyBook) -> None:
    _setup(book)
    report = book.add([(1, _claim("m-7", 18, date(2026, 3, 20)))], B)
    assert report.kept == 0
    message = report.errors[0].message
    assert message.startswith(
        "record 'm-7' (on 2026-03-20) would leave the later claim of record 'm-5' in 2026-Q2 "
        "uncovered: it claims 10 t, 8 t would be left"
    )
    assert book.add([(1, _claim("m-7", 2, date(2026, 3, 20)))], B).kept == 1  # 20 - 2 = 18


def test_a_claim_in_another_unit_than_the_account_is_refused(book: CustodyBook) -> None:
    _setup(book)
    report = book.add([(1, _claim("m-8", 1, date(2026, 5, 2), unit="kg"))], B)
    assert report.kept == 0 and "is in kg but the mass-balance account" in report.errors[0].message


def test_the_declared_rule_decides_what_expires() -> None:
    events = [
        Event("m-1", date(2026, 1, 10), "credit", 30),
        Event("m-2", date(2026, 2, 15), "credit", 15),
        Event("m-3", date(2026, 3, 1), "claim", 25),
        Event("m-4", date(2026, 4, 10), "credit", 6),
        Event("m-5", date(2026, 5, 1), "claim", 10),
    ]
    rows, short = run(events, "quarter", 0)
    assert [(r.period, r.expired, r.closing) for r in rows] == [
        ("2026-Q1", 20, 0),
        ("2026-Q2", 6, 0),
    ]
    assert [(s.record, s.period, s.claimed, s.available) for s in short] == [
        ("m-5", "2026-Q2", 10, 6)
    ]
    rows, short = run(events, "year", 0)  # one period: 51 - 35 = 16 expire at its end
    assert short == [] and (rows[0].expired, rows[0].closing) == pytest.approx((16, 0))


def test_an_account_the_records_already_overdraw_is_refused(book: CustodyBook) -> None:
    rows = [(n, RecordIn.model_validate(r)) for n, r in enumerate(_doc()["records"], 1)]
    rows = [(n, r) for n, r in rows if r.id != "m-1"]  # without the first credit: 15 t in Q1
    assert book.add(rows, SECRETARIAT).kept == 4
    with pytest.raises(CustodyError, match=r"record 'm-3' claims 25 t in 2026-Q1 with 15 t"):
        book.declare_account(AccountIn.model_validate(_doc()["account"]), B)


def test_accounts_are_seen_and_declared_by_their_organisation_only(book: CustodyBook) -> None:
    account = _setup(book)
    with pytest.raises(NotFoundError):
        book.statement(account, C)
    assert book.accounts(C) == [] and [a.id for a in book.accounts(B)] == [account]
    assert [a.id for a in book.accounts(SECRETARIAT)] == [account]
    with pytest.raises(PermissionDeniedError):
        book.declare_account(AccountIn.model_validate(_doc()["account"]), C)
    with pytest.raises(CustodyError, match="already keeps an account of ethylene"):
        book.declare_account(AccountIn.model_validate(_doc()["account"]), B)


runner = CliRunner()


def test_cli_declare_and_statement_json_and_csv(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    app = build_app()
    declared = tmp_path / "account.json"
    declared.write_text(json.dumps(_doc()["account"]), encoding="utf-8")
    records = tmp_path / "records.json"
    records.write_text(json.dumps({"records": _doc()["records"]}), encoding="utf-8")
    out = runner.invoke(
        app,
        ["custody", "account", "declare", str(declared), "--db", db, "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    account = json.loads(out.stdout)["id"]
    out = runner.invoke(app, ["custody", "add", str(records), "--db", db, "--format", "json"])
    assert out.exit_code == 0, out.output
    listed = runner.invoke(app, ["custody", "account", "list", "--db", db, "--format", "json"])
    assert [a["id"] for a in json.loads(listed.stdout)] == [account]
    args = ["custody", "account", "statement", account, "--db", db, "--until", "2026-09-30"]
    out = runner.invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert [p["closing"] for p in json.loads(out.stdout)["periods"]] == [20, 6, 0]
    out = runner.invoke(app, [*args, "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "period,opening,credits_in,claims_out,expired,closing,unit"
    assert lines[2] == "2026-Q2,20.0,6.0,10.0,10.0,6.0,t"
    out = runner.invoke(app, [*args, "--as", "Example Polymers C"])
    assert out.exit_code != 0 and "no mass-balance account" in out.output
    assert "Traceback" not in out.output

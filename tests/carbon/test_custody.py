"""Chain-of-custody records: the ISO 22095 rules, trace back, import, on a real SQLite database.

Hand computation of the three-tier mass-balance chain (``data/custody_mass_balance.json``,
fictitious companies; t = tonnes):

- ``r-nap-bio``: Example Biorefinery A -> Example Chemicals B, 100 t naphtha, 100 t certified
  (share 1). ``r-nap-fos``: Example Refinery E -> B, 300 t naphtha, none certified (share 0).
- ``r-eth``: B -> Example Polymers C, 90 t ethylene from 100 t of ``r-nap-bio`` and 200 t of
  ``r-nap-fos``, conversion 0.3 t/t: credit = 0.3 x (100 x 1 + 200 x 0) = 30 t; 30 t claimed.
- ``r-eo``: C -> Example Converter D, 60 t ethylene oxide from 50 t of ``r-eth`` (share
  30/90 = 1/3), conversion 1.2: credit = 1.2 x 50 x 1/3 = 20 t; 20 t claimed (share 1/3).
  Claiming 21 t instead is an over-claim: 21 > 20.

Segregated chain (``data/custody_segregated.csv``): 40 t and 10 t of certified ethanol
(share 1) make 28 t of ethylene at 0.56 t/t: credit = 0.56 x 50 = 28 t, all of it claimed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon.claims import terms
from critchem.carbon.custody import AddReport, CustodyBook, RecordIn, Viewer
from critchem.carbon.custody.importer import read_records
from critchem.carbon.custody.models import CustodyInput, CustodyRecord
from critchem.carbon.custody.rules import CREDITED
from critchem.cli.main import build_app
from critchem.core.database import Database
from critchem.core.errors import CustodyError, NotFoundError, PermissionDeniedError
from tests.surveillance.conftest import alert_postgres_base, fresh_postgres_schema  # noqa: F401

DATA = Path(__file__).parent / "data"
SECRETARIAT = Viewer(organisation="", secretariat=True, actor="test")
B = Viewer(organisation="Example Chemicals B", actor="b")
C = Viewer(organisation="Example Polymers C", actor="c")
D = Viewer(organisation="Example Converter D", actor="d")
OTHER = Viewer(organisation="Example Traders F", actor="f")


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CustodyBook]:
    """A book on a fresh SQLite file or a fresh PostgreSQL schema, migrated to head."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'custody.db'}")
        yield CustodyBook(database.session)
        database.dispose()
        return
    base: str = request.getfixturevalue("alert_postgres_base")
    with fresh_postgres_schema(base, "custody_test") as url:
        database = Database(url)
        yield CustodyBook(database.session)
        database.dispose()


def _records(name: str) -> list[dict[str, object]]:
    records: list[dict[str, object]] = json.loads((DATA / name).read_text())["records"]
    return records


def _chain(book: CustodyBook, **changes: object) -> AddReport:
    """Add the mass-balance chain, all or nothing, with ``changes`` to its last record."""
    rows = [
        (n, RecordIn.model_validate(r))
        for n, r in enumerate(_records("custody_mass_balance.json"), 1)
    ]
    if changes:
        last = rows[-1][1].model_dump() | changes
        rows[-1] = (rows[-1][0], RecordIn.model_validate(last))
    return book.add(rows, SECRETARIAT, all_or_nothing=True)


def test_the_custody_models_are_those_of_the_terms() -> None:
    assert set(CREDITED) == {m.id for m in terms().custody_models}


def test_three_tier_mass_balance_chain_traces_back_with_hand_computed_credits(
    book: CustodyBook,
) -> None:
    assert _chain(book).kept == 4
    traced = book.trace("r-eo", SECRETARIAT)
    by_record = {n.record: n for n in traced.nodes}
    assert [n.record for n in traced.nodes] == ["r-eo", "r-eth", "r-nap-bio", "r-nap-fos"]
    assert [by_record[r].tier for r in ("r-eo", "r-eth", "r-nap-bio")] == [0, 1, 2]
    assert by_record["r-eo"].credit == pytest.approx(20.0)  # 1.2 x 50 x 30/90
    assert by_record["r-eth"].credit == pytest.approx(30.0)  # 0.3 x (100 x 1 + 200 x 0)
    assert by_record["r-nap-bio"].credit is None  # an origin
    assert by_record["r-eo"].certified_share == pytest.approx(1 / 3)
    assert traced.origin_countries == ["FI", "NL"]
    assert [traced.nodes[int(k[1:]) - 1].record for k in traced.origins] == [
        "r-nap-bio",
        "r-nap-fos",
    ]
    assert traced.weakest_model == "mass-balance"
    assert traced.physical_link is False
    assert "33.3% of the batch" in traced.statement and "on average" in traced.statement
    assert traced.footprints == ["3f6b6c3a-9d1e-4c2a-8a55-0b8c1d2e3f40"]
    edges = {(e.output, e.input): e.quantity for e in traced.edges}
    assert edges == {("n1", "n2"): 50, ("n2", "n3"): 100, ("n2", "n4"): 200}


def test_an_over_claim_is_refused_naming_the_record_and_the_credit(book: CustodyBook) -> None:
    report = _chain(book, certified_quantity=21.0)  # 21 t > 1.2 x 50 x 30/90 = 20 t
    assert (report.received, report.kept, report.refused) == (4, 0, 4)
    assert [(e.row, e.field, e.message) for e in report.errors] == [
        (
            4,
            "record",
            "record 'r-eo' claims 21 t certified (mass-balance) but its inputs credit only 20 t",
        )
    ]
    with pytest.raises(NotFoundError):
        book.get("r-eth", SECRETARIAT)  # all or nothing: the good rows were not kept either


def test_a_segregated_chain_keeps_the_physical_link(book: CustodyBook, tmp_path: Path) -> None:
    good, errors = read_records(DATA / "custody_segregated.csv")
    assert errors == []
    report = book.add(good, SECRETARIAT)
    assert (report.received, report.kept, report.refused) == (3, 3, 0)
    traced = book.trace("s-3", SECRETARIAT)
    assert traced.nodes[0].credit == pytest.approx(28.0)  # 0.56 x (40 + 10)
    assert traced.weakest_model == "segregated" and traced.physical_link is True
    assert traced.nodes[0].certificates is not None
    assert traced.nodes[0].certificates[0].number == "EX-CERT-B-011"


def test_segregation_is_broken_by_a_mass_balance_input(book: CustodyBook) -> None:
    assert _chain(book).kept == 4
    mixed = RecordIn(
        id="r-seg",
        batch="B-x",
        supplier="Example Chemicals B",
        recipient="Example Polymers C",
        molecule="ethylene",
        quantity=15,
        unit="t",
        custody_model="segregated",
        certified_quantity=15,
        conversion_factor=0.3,
        inputs=[{"record": "r-nap-fos", "quantity": 50}],  # type: ignore[list-item]
        certificates=_records("custody_mass_balance.json")[2]["certificates"],  # type: ignore[arg-type]
        transferred_on=date(2026, 3, 11),
    )
    report = book.add([(1, mixed)], B)
    assert report.kept == 0
    messages = " ".join(e.message for e in report.errors)
    assert "is segregated but its input record 'r-nap-fos' is mass-balance" in messages
    assert "inputs credit only 0 t" in messages


def test_drawing_beyond_what_was_delivered_names_the_records(book: CustodyBook) -> None:
    assert _chain(book).kept == 4
    more = RecordIn(
        id="r-eth-2",
        batch="B-y",
        supplier="Example Chemicals B",
        recipient="Example Polymers C",
        molecule="ethylene",
        quantity=45,
        unit="t",
        custody_model="mass-balance",
        conversion_factor=0.3,
        inputs=[{"record": "r-nap-fos", "quantity": 150}],  # type: ignore[list-item]
        transferred_on=date(2026, 3, 12),
    )
    report = book.add([(1, more)], B)
    assert report.kept == 0
    assert report.errors[0].message == (  # B's row is named by the id (label) B gave it
        "record 'r-nap-fos' delivered 300 t but 350 t is drawn from it, by records "
        "'r-eth' (200), 'r-eth-2' (150)"
    )


def test_a_cycle_is_refused_on_import_and_found_when_tracing(book: CustodyBook) -> None:
    def rec(rid: str, sup: str, rec_: str, inp: str) -> tuple[int, RecordIn]:
        return (
            1 if rid == "x-1" else 2,
            RecordIn.model_validate(
                {
                    "id": rid,
                    "batch": rid,
                    "supplier": sup,
                    "recipient": rec_,
                    "molecule": "ethanol",
                    "quantity": 1,
                    "unit": "t",
                    "custody_model": "mass-balance",
                    "inputs": [{"record": inp, "quantity": 1}],
                    "transferred_on": "2026-01-01",
                }
            ),
        )

    report = book.add(
        [
            rec("x-1", "Example Chemicals A", "Example Chemicals B", "x-2"),
            rec("x-2", "Example Chemicals B", "Example Chemicals A", "x-1"),
        ],
        SECRETARIAT,
    )
    assert report.kept == 0 and {e.row for e in report.errors} == {1, 2}
    assert "the inputs form a cycle: 'x-1' -> 'x-2' -> 'x-1'" in report.errors[0].message
    # written past the checks (e.g. by hand in the database): the trace still finds it
    with book._session() as session:
        for rid, sup, to in (
            ("y-1", "Example Chemicals A", "Example Chemicals B"),
            ("y-2", "Example Chemicals B", "Example Chemicals A"),
        ):
            session.add(
                CustodyRecord(
                    id=rid,
                    batch=rid,
                    supplier=sup,
                    recipient=to,
                    molecule="ethanol",
                    description="",
                    quantity=1.0,
                    unit="t",
                    custody_model="mass-balance",
                    certified_quantity=0.0,
                    conversion_factor=1.0,
                    certificates=[],
                    transferred_on=date(2026, 1, 1),
                    created_by="hand",
                )
            )
        session.flush()
        session.add_all(
            [
                CustodyInput(record_id="y-1", input_id="y-2", quantity=1.0),
                CustodyInput(record_id="y-2", input_id="y-1", quantity=1.0),
            ]
        )
        session.commit()
    with pytest.raises(CustodyError, match="the inputs form a cycle: 'y-1' -> 'y-2' -> 'y-1'"):
        book.trace("y-1", SECRETARIAT)


def test_a_claim_needs_a_certificate_valid_on_the_transfer_date(book: CustodyBook) -> None:
    record = RecordIn.model_validate(
        _records("custody_mass_balance.json")[0] | {"transferred_on": "2027-01-05"}
    )
    report = book.add([(1, record)], SECRETARIAT)
    assert report.errors[0].message == (
        "record 'r-nap-bio' claims 100 t certified but has no certificate valid on 2027-01-05"
    )


def test_records_are_seen_by_their_parties_and_the_secretariat_only(book: CustodyBook) -> None:
    assert _chain(book).kept == 4
    assert book.get("r-eth", B).id == book.get("r-eth", C).id == "r-eth"
    for viewer in (D, OTHER, Viewer(organisation="")):
        with pytest.raises(NotFoundError, match="no custody record 'r-eth'"):
            book.get("r-eth", viewer)
    with pytest.raises(NotFoundError, match="no custody record 'never-recorded'"):
        book.get("never-recorded", D)
    assert [r.id for r in book.records(C)] == ["r-eth", "r-eo"]
    assert book.records(OTHER) == []
    assert len(book.records(SECRETARIAT)) == 4


def test_a_trace_withholds_the_records_the_viewer_is_no_party_to(book: CustodyBook) -> None:
    assert _chain(book).kept == 4
    traced = book.trace("r-eo", D)
    root, eth, bio, _fos = traced.nodes
    assert root.record == "r-eo" and root.quantity == 60 and not root.withheld
    for hidden in (eth, bio):
        assert hidden.withheld and hidden.record is None and hidden.supplier is None
        assert hidden.quantity is None and hidden.certificates is None and hidden.batch is None
    assert eth.certified_share == pytest.approx(1 / 3) and eth.certificate_schemes == ["ISCC PLUS"]
    assert (
        "r-eth" not in traced.model_dump_json()
        and "Example Chemicals B" not in traced.model_dump_json()
    )
    with pytest.raises(NotFoundError):
        book.trace("r-eo", OTHER)


def test_only_the_supplier_records_a_transfer(book: CustodyBook) -> None:
    record = RecordIn.model_validate(_records("custody_mass_balance.json")[1])
    with pytest.raises(PermissionDeniedError):
        book.add_one(record, B)  # B is the recipient, not the supplier
    report = book.add([(1, record)], B)
    assert report.errors[0].field == "supplier"


def test_an_input_the_supplier_did_not_receive_is_refused(book: CustodyBook) -> None:
    assert _chain(book).kept == 4
    record = RecordIn(
        id="r-z",
        batch="z",
        supplier="Example Converter D",
        recipient="Example Traders F",
        molecule="ethylene",
        quantity=1,
        unit="t",
        custody_model="mass-balance",
        inputs=[{"record": "r-nap-bio", "quantity": 1}],  # type: ignore[list-item]
        transferred_on=date(2026, 4, 1),
    )
    report = book.add([(1, record)], D)  # D cannot see r-nap-bio: it does not exist for D
    assert [(e.field, e.message) for e in report.errors] == [
        ("inputs[1].record", "no custody record 'r-nap-bio'")
    ]
    report = book.add([(1, record)], SECRETARIAT)
    assert (
        "draws from record 'r-nap-bio', which was delivered to another organisation"
        in report.errors[0].message
    )


def test_import_reports_every_bad_row_and_keeps_the_good_or_none(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    args = ["custody", "add", str(DATA / "custody_bad_rows.csv"), "--db", db, "--format", "json"]
    strict = runner.invoke(build_app(), [*args, "--all-or-nothing"])
    assert strict.exit_code == 2
    report = json.loads(strict.stdout)
    assert (report["mode"], report["received"], report["kept"], report["refused"]) == (
        "all-or-nothing",
        5,
        0,
        5,
    )
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert (report["mode"], report["received"], report["kept"], report["refused"]) == (
        "keep-good-rows",
        5,
        2,
        3,
    )
    assert report["ids"] == ["g-1", "g-2"]
    found = [(e["row"], e["field"]) for e in report["errors"]]
    assert found == [(2, "quantity"), (2, "unit"), (4, "molecule"), (5, "record")]
    assert (
        "record 'g-2' delivered 10 t but 20 t is drawn from it, by records 'b-3' (20)"
        in report["errors"][3]["message"]
    )
    shown = runner.invoke(build_app(), ["custody", "show", "g-1", "--db", db, "--format", "json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["quantity"] == 40
    hidden = runner.invoke(
        build_app(), ["custody", "show", "g-1", "--db", db, "--as", "Example Traders F"]
    )
    assert hidden.exit_code == 3 and "no custody record 'g-1'" in hidden.stderr


def test_cli_trace_of_the_mass_balance_chain(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    added = runner.invoke(
        build_app(), ["custody", "add", str(DATA / "custody_mass_balance.json"), "--db", db]
    )
    assert added.exit_code == 0, added.output
    traced = runner.invoke(
        build_app(), ["custody", "trace", "r-eo", "--db", db, "--format", "json"]
    )
    assert traced.exit_code == 0, traced.output
    assert json.loads(traced.stdout)["nodes"][0]["credit"] == pytest.approx(20.0)
    pact = runner.invoke(build_app(), ["custody", "trace", "r-eo", "--pact", "--db", db])
    assert json.loads(pact.stdout) == {
        "data": [],
        "missing": ["3f6b6c3a-9d1e-4c2a-8a55-0b8c1d2e3f40"],
    }


def test_an_organisation_ids_are_labels_so_a_taken_id_reveals_nothing(book: CustodyBook) -> None:
    assert _chain(book).kept == 4
    own = {
        "batch": "F-1",
        "supplier": "Example Traders F",
        "recipient": "Example Converter D",
        "molecule": "ethylene",
        "quantity": 5,
        "unit": "t",
        "custody_model": "mass-balance",
        "transferred_on": "2026-04-01",
    }
    first = RecordIn.model_validate(own | {"id": "r-eth"})  # r-eth exists, hidden from F
    second = RecordIn.model_validate(
        own
        | {
            "id": "f-2",
            "supplier": "Example Converter D",
            "recipient": "Example Polymers C",
            "inputs": [{"record": "r-eth", "quantity": 5}],
        }
    )
    report = book.add([(1, first)], OTHER)
    assert report.errors == [] and report.labels == {"r-eth": report.ids[0]}
    assert book.get(report.ids[0], OTHER).supplier == "Example Traders F"
    # D's file: its row names F's batch by the id D was told (the label is F's, not D's)
    report = book.add([(1, second)], D)
    assert [(e.field, e.message) for e in report.errors] == [
        ("inputs[1].record", "no custody record 'r-eth'")
    ]


def test_an_over_draw_written_past_the_checks_is_found_when_tracing(book: CustodyBook) -> None:
    assert _chain(book).kept == 4
    with book._session() as session:  # 150 t more of r-nap-fos (300 t; r-eth drew 200 t)
        session.add(
            CustodyRecord(
                id="r-extra",
                batch="x",
                supplier="Example Chemicals B",
                recipient="Example Traders F",
                molecule="ethylene",
                description="",
                quantity=45.0,
                unit="t",
                custody_model="mass-balance",
                certified_quantity=0.0,
                conversion_factor=0.3,
                certificates=[],
                transferred_on=date(2026, 3, 15),
                created_by="hand",
            )
        )
        session.flush()
        session.add(CustodyInput(record_id="r-extra", input_id="r-nap-fos", quantity=150.0))
        session.commit()
    with pytest.raises(CustodyError) as found:
        book.trace("r-eo", SECRETARIAT)
    assert found.value.problems == [
        "record 'r-nap-fos' delivered 300 t but 350 t is drawn from it, by records "
        "'r-eth' (200), a record outside the trace (150)"
    ]
    with pytest.raises(CustodyError) as seen_by_d:
        book.trace("r-eo", D)
    assert seen_by_d.value.problems == [  # D is no party to r-nap-fos: no figures
        "record n4 (withheld) breaks 1 custody rule(s); its parties and the secretariat see which"
    ]

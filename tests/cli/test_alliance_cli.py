"""``critchem alliance`` exactly as the secretariat's scripts use it (Typer's CliRunner, SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from critchem.cli.main import build_app

runner = CliRunner()


def _run(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), ["alliance", *args, "--db", db])
    return result.exit_code, result.output


def _json(db: str, *args: str) -> object:
    code, out = _run(db, *args, "--format", "json")
    assert code == 0, out
    return json.loads(out)


def test_the_secretariats_script(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'critchem.db'}"
    ids = []
    for name, country in (
        ("Example Chemicals A", "FR"),
        ("Example Chemicals B", "TR"),
        ("Example C", "DE"),
    ):
        application = _json(
            db, "apply", "--name", name, "--type", "company", "--country", country,
            "--signatory", "A. Signatory", "--email", "a@example.org", "--accept-declaration",
        )  # fmt: skip
        assert isinstance(application, dict) and application["status"] == "pending"
        ids.append(application["id"])
    assert _json(db, "review", str(ids[0]), "--approve")["status"] == "approved"
    assert _json(db, "review", str(ids[1]), "--approve")["status"] == "approved"
    rejected = _json(db, "review", str(ids[2]), "--reject", "--reason", "not in the value chain")
    assert rejected["status"] == "rejected"
    members = _json(db, "members")
    assert [m["id"] for m in members] == ids[:2]

    meeting = _json(
        db,
        "meetings",
        "create",
        "--body",
        "general-assembly",
        "--date",
        "2026-06-30",
        "--title",
        "GA 2",
    )
    assert [m["id"] for m in _json(db, "meetings", "list")] == [meeting["id"]]
    text = tmp_path / "opinion.md"
    text.write_text("The Alliance recommends a weekly bulletin.\n", encoding="utf-8")
    motion = _json(
        db, "motions", "create", "--meeting", str(meeting["id"]), "--kind", "opinion",
        "--title", "Weekly bulletin", "--text", str(text),
    )  # fmt: skip
    amended = tmp_path / "amended.md"
    amended.write_text(
        "The Alliance recommends a weekly bulletin in every EU language.\n", encoding="utf-8"
    )
    amendment = _json(
        db, "motions", "amend", str(motion["id"]), "--org", "Example Chemicals B",
        "--text", str(amended), "--justification", "Members read it in their language.",
    )  # fmt: skip
    for org in ("Example Chemicals A", "Example Chemicals B"):
        _json(db, "vote", str(amendment["id"]), "--org", org, "--choice", "yes")
    assert _json(db, "close", str(amendment["id"]))["adopted"] is True

    _json(db, "vote", str(motion["id"]), "--org", "Example Chemicals A", "--choice", "yes")
    code, out = _run(
        db, "vote", str(motion["id"]), "--org", "Example Chemicals A", "--choice", "no"
    )
    assert code == 2 and "already voted" in out
    code, out = _run(db, "vote", str(motion["id"]), "--org", "Example C", "--choice", "yes")
    assert code == 2 and "status rejected" in out
    _json(db, "vote", str(motion["id"]), "--org", "Example Chemicals B", "--choice", "abstain")
    result = _json(db, "close", str(motion["id"]))
    assert {k: result[k] for k in ("yes", "no", "abstain", "quorum", "adopted")} == {
        "yes": 1, "no": 0, "abstain": 1, "quorum": True, "adopted": True,
    }  # fmt: skip
    code, out = _run(
        db, "vote", str(motion["id"]), "--org", "Example Chemicals B", "--choice", "yes"
    )
    assert code == 2 and "closed" in out
    shown = _json(db, "motions", "show", str(motion["id"]))
    assert "every EU language" in shown["text"] and shown["number"] == "CCA/OP/2026/001"
    assert len(_json(db, "motions", "list")) == 2

    code, out = _run(db, "publish", str(motion["id"]), "--out", str(tmp_path / "pub"))
    assert code == 0, out
    assert (tmp_path / "pub" / "CCA-OP-2026-001.pdf").read_bytes().startswith(b"%PDF")

    result = runner.invoke(build_app(), ["alliance", "export", "--format", "csv", "--db", db])
    assert result.output.splitlines()[0].startswith("id,name,type,country")
    assert len(result.output.splitlines()) == 3
    target = tmp_path / "members.xlsx"
    result = runner.invoke(
        build_app(), ["alliance", "export", "--format", "xlsx", "--out", str(target), "--db", db]
    )
    assert result.exit_code == 0
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "name") and len(rows) == 3


def test_bad_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'critchem.db'}"
    code, out = _run(
        db,
        "apply",
        "--name",
        "X",
        "--type",
        "company",
        "--country",
        "FR",
        "--signatory",
        "S",
        "--email",
        "s@example.org",
    )
    assert code == 2 and "declaration must be signed" in out
    code, out = _run(
        db,
        "meetings",
        "create",
        "--body",
        "general-assembly",
        "--date",
        "30/06/2026",
        "--title",
        "x",
    )
    assert code == 2 and "is not a date" in out
    code, out = _run(
        db, "meetings", "create", "--body", "nowhere", "--date", "2026-06-30", "--title", "x"
    )
    assert code == 3 and "no body 'nowhere'" in out
    code, out = _run(db, "review", "7", "--approve", "--reject")
    assert code == 2 and "exactly one" in out
    code, out = _run(db, "export", "--format", "pdf")
    assert code == 2 and "unknown format" in out
    assert "Traceback" not in out


def test_a_formula_in_a_name_is_neutralised_in_exports(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'critchem.db'}"
    _json(
        db, "apply", "--name", "=HYPERLINK(\"http://x\")", "--type", "company", "--country", "FR",
        "--signatory", "S", "--email", "s@example.org", "--accept-declaration",
    )  # fmt: skip
    _json(db, "review", "1", "--approve")
    result = runner.invoke(build_app(), ["alliance", "export", "--format", "csv", "--db", db])
    assert "'=HYPERLINK" in result.output


def test_work_programme_and_documents(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'critchem.db'}"
    item = _json(
        db,
        "deliverable",
        "criteria",
        "--owner",
        "innovation",
        "--due",
        "2026-06-30",
        "--status",
        "in-progress",
    )
    assert (item["owner"], item["due"], item["status"]) == (
        "innovation",
        "2026-06-30",
        "in-progress",
    )
    code, out = _run(db, "deliverable", "criteria", "--status", "finished")
    assert code == 2 and "is not planned, in-progress, delivered or dropped" in out
    doc = _json(
        db,
        "bodies",
        "document",
        "general-assembly",
        "--title",
        "Agenda",
        "--url",
        "https://example.org/agenda.pdf",
    )
    assert doc["title"] == "Agenda"
    code, out = _run(
        db,
        "bodies",
        "document",
        "general-assembly",
        "--title",
        "Agenda",
        "--url",
        "javascript:alert(1)",
    )
    assert code == 2 and "must be an http(s) address" in out

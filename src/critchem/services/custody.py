"""Chain-of-custody records for the API and the CLI: one book, read as a principal sees it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from critchem.accounts.roles import Principal, at_least
from critchem.carbon.custody import AddReport, CustodyBook, Viewer
from critchem.carbon.custody.importer import read_records
from critchem.carbon.custody.schemas import AccountIn, AccountOut
from critchem.molecules import load_registry
from critchem.services.alerts import open_store


def _known_molecule(molecule_id: str) -> bool:
    return molecule_id in load_registry()


def book(session: Callable[[], Session]) -> CustodyBook:
    """The custody book on ``session``, checking molecules against the registry."""
    return CustodyBook(session, molecule_known=_known_molecule)


def open_book(db: str | None = None) -> CustodyBook:
    """The custody book on the database ``db`` (default: the settings' database)."""
    return book(open_store(db).session)


def viewer_of(principal: Principal) -> Viewer:
    """The viewer a signed-in principal is: its organisation, or the secretariat."""
    return Viewer(
        organisation=principal.organisation,
        secretariat=at_least(principal.role, "secretariat"),
        actor=principal.actor,
    )


def operator(organisation: str | None) -> Viewer:
    """The viewer of the command line: an organisation if given, else the database's operator.

    Whoever holds the database reads every record, as the secretariat does.
    """
    if organisation:
        return Viewer(organisation=organisation, actor=f"cli ({organisation})")
    return Viewer(organisation="", secretariat=True, actor="cli")


def import_file(
    path: Path,
    viewer: Viewer,
    *,
    all_or_nothing: bool = False,
    fmt: str | None = None,
    db: str | None = None,
) -> AddReport:
    """Import the records of a JSON or CSV file; every error reported, good rows kept or none."""
    good, errors = read_records(path, fmt)
    return open_book(db).add(good, viewer, all_or_nothing=all_or_nothing, refused_before=errors)


def footprints(record_id: str, viewer: Viewer, db: str | None = None) -> dict[str, Any]:
    """The PACT v3 footprints traced back from a record (see ``CustodyBook.footprints``)."""
    return open_book(db).footprints(record_id, viewer)


def read_account(path: Path) -> AccountIn:
    """A declared account from a JSON file; an error names the field."""
    import json

    from pydantic import ValidationError

    from critchem.core.errors import CustodyError

    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CustodyError([f"{path.name}: not a readable JSON file ({exc})"]) from exc
    try:
        return AccountIn.model_validate(payload)
    except ValidationError as exc:
        raise CustodyError(
            [
                f"{path.name}: {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
                for e in exc.errors(include_url=False)
            ]
        ) from exc


def declare_account_file(path: Path, viewer: Viewer, db: str | None = None) -> AccountOut:
    """Declare the site mass-balance account of a JSON file (see ``AccountIn``)."""
    return open_book(db).declare_account(read_account(path), viewer)

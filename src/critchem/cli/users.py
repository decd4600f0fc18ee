"""``critchem users``: accounts, roles, passwords and API keys of the service."""

from __future__ import annotations

import sys

import typer

from critchem.accounts import Accounts
from critchem.accounts.schemas import USER_COLUMNS
from critchem.cli.output import FORMAT_OPTION, Format, fail, handle_errors, render
from critchem.services.alerts import open_store

app = typer.Typer(help="User accounts, roles and API keys.", no_args_is_help=True)
key_app = typer.Typer(help="API keys for scripts.", no_args_is_help=True)
app.add_typer(key_app, name="key")

DB_OPTION = typer.Option(
    None, "--db", help="Database URL (default: the CRITCHEM_DATABASE_URL setting)."
)
STDIN_OPTION = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input."
)
KEY_COLUMNS = (
    "id",
    "username",
    "name",
    "prefix",
    "scopes",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
)


def _accounts(db: str | None) -> Accounts:
    return Accounts(open_store(db).session)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise fail("no password on standard input", 2)
        return line
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command()
@handle_errors
def add(
    username: str = typer.Argument(..., help="User name (no spaces)."),
    role: str = typer.Option(
        "member", "--role", help="public, member, analyst, secretariat or admin."
    ),
    org: str = typer.Option("", "--org", help="The user's organisation."),
    full_name: str = typer.Option("", "--full-name", help="The user's full name."),
    email: str | None = typer.Option(None, "--email", help="The user's e-mail address."),
    password_stdin: bool = STDIN_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Add a user; the password is asked for (or read with --password-stdin)."""
    user = _accounts(db).add_user(
        username,
        password=_password(password_stdin),
        role=role,
        organisation=org,
        full_name=full_name,
        email=email,
    )
    render(user, fmt, title="User")


@app.command("list")
@handle_errors
def list_(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List the users."""
    columns = None if fmt is Format.json else USER_COLUMNS
    render(_accounts(db).list_users(), fmt, columns=columns, title="Users")


@app.command()
@handle_errors
def disable(
    username: str = typer.Argument(..., help="User name."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Disable a user: their password, tokens and API keys stop working."""
    render(_accounts(db).disable_user(username), fmt, title="User")


@app.command("set-role")
@handle_errors
def set_role(
    username: str = typer.Argument(..., help="User name."),
    role: str = typer.Argument(..., help="public, member, analyst, secretariat or admin."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Give a user another role."""
    render(_accounts(db).set_role(username, role), fmt, title="User")


@app.command("reset-password")
@handle_errors
def reset_password(
    username: str = typer.Argument(..., help="User name."),
    password_stdin: bool = STDIN_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Set a new password; asked for (or read with --password-stdin)."""
    render(_accounts(db).reset_password(username, _password(password_stdin)), fmt, title="User")


@key_app.command("create")
@handle_errors
def key_create(
    username: str = typer.Argument(..., help="User name."),
    name: str = typer.Option(..., "--name", help="What or who uses the key."),
    scope: list[str] = typer.Option(
        ["read"],
        "--scope",
        help="A scope (repeatable): read, write:projects, write:alerts, write:alliance, "
        "write:custody, admin.",
    ),
    expires_days: int = typer.Option(
        90, "--expires-days", help="Days the key stays valid, 1 to 365 (every key expires)."
    ),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Create an API key; it is printed this once and cannot be shown again."""
    created = _accounts(db).create_key(username, name, scopes=scope, days=expires_days)
    render(created, fmt, title="API key (shown once)")


@key_app.command("list")
@handle_errors
def key_list(
    username: str | None = typer.Option(None, "--user", help="Only this user's keys."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List API keys (never the keys themselves)."""
    columns = None if fmt is Format.json else KEY_COLUMNS
    render(_accounts(db).list_keys(username), fmt, columns=columns, title="API keys")


@key_app.command("revoke")
@handle_errors
def key_revoke(
    key_id: int = typer.Argument(..., help="API key id (see `key list`)."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Revoke an API key."""
    render(_accounts(db).revoke_key(key_id), fmt, title="API key")

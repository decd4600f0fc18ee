"""``critchem alliance``: membership, meetings, motions and votes, for the secretariat's scripts."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from critchem.cli.output import FORMAT_OPTION, Format, fail, handle_errors, render

if TYPE_CHECKING:
    from critchem.alliance import Alliance

app = typer.Typer(
    help="The Alliance: members, bodies, meetings, motions and votes.", no_args_is_help=True
)
meetings_app = typer.Typer(help="Meetings of the Alliance's bodies.", no_args_is_help=True)
motions_app = typer.Typer(help="Opinions, recommendations and amendments.", no_args_is_help=True)
bodies_app = typer.Typer(
    help="The General Assembly, the Steering Board and the working groups.", no_args_is_help=True
)
app.add_typer(meetings_app, name="meetings")
app.add_typer(motions_app, name="motions")
app.add_typer(bodies_app, name="bodies")

DB_OPTION = typer.Option(
    None, "--db", help="Database URL (default: the CRITCHEM_DATABASE_URL setting)."
)
BY_OPTION = typer.Option(
    "secretariat", "--by", help="Who makes the change (written to the audit log)."
)
APPLICATION_COLUMNS = ("id", "name", "type", "country", "status", "reason", "applied_at")
MOTION_COLUMNS = (
    "id",
    "kind",
    "title",
    "body",
    "meeting_id",
    "parent_id",
    "state",
    "version",
    "yes",
    "no",
    "abstain",
    "adopted",
    "number",
)
MEETING_COLUMNS = ("id", "body", "date", "title", "location", "motions")


def _alliance(db: str | None) -> Alliance:
    from critchem.services.alliance import open_alliance

    return open_alliance(db)


def _read(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise fail(f"{path}: no such file", 2) from exc
    except UnicodeDecodeError as exc:
        raise fail(f"{path}: not UTF-8 text (byte {exc.start})", 2) from exc


@app.command()
@handle_errors
def declaration(
    lang: str = typer.Option("en", "--lang", help="en, fr, de or tr."),
) -> None:
    """Print the declaration that applicants sign (its version and SHA-256 first)."""
    from critchem.alliance.declaration import declaration as text

    found = text(lang)
    typer.echo(f"version {found.version} ({found.language}), sha256 {found.sha256}\n")
    typer.echo(found.text)


@app.command()
@handle_errors
def apply(
    name: str = typer.Option(..., "--name", help="The organisation's name."),
    org_type: str = typer.Option(
        ...,
        "--type",
        help="company, association, investor, research, civil-society or public-authority.",
    ),
    country: str = typer.Option(..., "--country", help="ISO 3166-1 alpha-2 country code."),
    signatory: str = typer.Option(..., "--signatory", help="Who signs the declaration."),
    email: str = typer.Option(..., "--email", help="The signatory's e-mail address."),
    accept: bool = typer.Option(
        False, "--accept-declaration", help="Sign the declaration (required)."
    ),
    size: str | None = typer.Option(None, "--size", help="micro, small, medium or large."),
    sector: list[str] = typer.Option([], "--sector", help="A sector it works in (repeatable)."),
    molecule: list[str] = typer.Option(
        [], "--molecule", help="A molecule it works on (repeatable)."
    ),
    chain: list[str] = typer.Option([], "--value-chain", help="A value chain (repeatable)."),
    transparency_id: str | None = typer.Option(
        None, "--transparency-id", help="EU Transparency Register id."
    ),
    show_contact: bool = typer.Option(
        False, "--show-contact", help="Show the contact in the public directory."
    ),
    voter: str | None = typer.Option(None, "--voter", help="User name of the designated voter."),
    lang: str = typer.Option("en", "--lang", help="Language of the declaration signed."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Apply to join the Alliance by signing its declaration; prints the application."""
    org = _alliance(db).membership.apply(
        name=name,
        org_type=org_type,
        country=country,
        signatory=signatory,
        email=email,
        accept_declaration=accept,
        size=size,
        sectors=sector,
        molecules=molecule,
        value_chains=chain,
        transparency_id=transparency_id,
        show_contact=show_contact,
        voter_username=voter,
        language=lang,
    )
    render(org, fmt, title="Application")


@app.command()
@handle_errors
def review(
    ref: str = typer.Argument(..., help="Application id or organisation name."),
    approve: bool = typer.Option(False, "--approve", help="Approve the application."),
    reject: bool = typer.Option(False, "--reject", help="Reject it (with --reason)."),
    ask_info: str | None = typer.Option(
        None, "--ask-info", help="Ask the applicant for information."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why it is rejected."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Approve, reject (with a reason) or ask for information."""
    chosen = [
        d for d, on in (("approve", approve), ("reject", reject), ("ask-info", ask_info)) if on
    ]
    if len(chosen) != 1:
        raise fail("give exactly one of --approve, --reject or --ask-info", 2)
    decision = chosen[0]
    org = _alliance(db).membership.review(
        ref, decision=decision, actor=by, reason=ask_info if decision == "ask-info" else reason
    )
    render(org, fmt, title="Application")


@app.command()
@handle_errors
def applications(
    status: str | None = typer.Option(
        None, "--status", help="pending, info_requested, approved, rejected or withdrawn."
    ),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List the applications, newest first."""
    found = _alliance(db).membership.applications(status)
    render(
        found,
        fmt,
        columns=None if fmt is Format.json else APPLICATION_COLUMNS,
        title="Applications",
    )


@app.command()
@handle_errors
def members(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """The approved members, each with its id."""
    found = _alliance(db).membership.members()
    if not found and fmt is Format.table:
        typer.echo("No approved member yet.")
        return
    render(
        found, fmt, columns=None if fmt is Format.json else APPLICATION_COLUMNS[:4], title="Members"
    )


@app.command()
@handle_errors
def withdraw(
    ref: str = typer.Argument(..., help="Member id or name."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Withdraw a member (it stops voting at once); it may apply again later."""
    render(_alliance(db).membership.withdraw(ref, actor=by), fmt, title="Organisation")


@app.command()
@handle_errors
def voter(
    ref: str = typer.Argument(..., help="Member id or name."),
    username: str = typer.Argument(..., help="User name of the designated voter."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Designate the user who casts a member's votes."""
    render(_alliance(db).membership.set_voter(ref, username, actor=by), fmt, title="Organisation")


@app.command()
@handle_errors
def export(
    fmt: str = typer.Option("csv", "--format", "-f", help="csv or xlsx."),
    out: Path | None = typer.Option(None, "--out", help="File to write (standard output for CSV)."),
    db: str | None = DB_OPTION,
) -> None:
    """Export the members as CSV or Excel."""
    from critchem.services.alliance import member_rows, members_csv, members_xlsx

    rows = member_rows(_alliance(db))
    if fmt == "csv":
        text = members_csv(rows)
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
    elif fmt == "xlsx":
        target = out or Path("alliance-members.xlsx")
        members_xlsx(rows, target)
        typer.echo(f"{len(rows)} members written to {target}")
    else:
        raise fail(f"unknown format {fmt!r}: use csv or xlsx", 2)


@app.command()
@handle_errors
def vote(
    motion: int = typer.Argument(..., help="Motion (or amendment) id."),
    org: str = typer.Option(..., "--org", help="The member organisation (id or name)."),
    choice: str = typer.Option(..., "--choice", help="yes, no or abstain."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Record a member's vote on a motion."""
    found = _alliance(db).motions.vote(motion, organisation=org, choice=choice, actor=by)
    render(
        {"motion": found.id, "organisation": org, "choice": choice, "votes_cast": found.votes_cast},
        fmt,
        title="Vote",
    )


@app.command()
@handle_errors
def close(
    motion: int = typer.Argument(..., help="Motion (or amendment) id."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Close the vote: tallies, whether the quorum was met, and whether it is adopted."""
    render(_alliance(db).motions.close(motion, actor=by), fmt, title="Result")


@app.command()
@handle_errors
def publish(
    motion: int = typer.Argument(..., help="Adopted opinion or recommendation id."),
    out: Path = typer.Option(Path("."), "--out", help="Folder for the HTML and the PDF."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Publish an adopted text: its number and date are fixed; HTML and PDF are written."""
    from critchem.services.alliance import write_publication

    alliance = _alliance(db)
    alliance.motions.publish(motion, actor=by)
    for path in write_publication(alliance, motion, out):
        typer.echo(str(path))


# -- meetings ---------------------------------------------------------------------------------


@meetings_app.command("create")
@handle_errors
def meetings_create(
    body: str = typer.Option(
        ..., "--body", help="general-assembly, steering-board or a working group."
    ),
    when: str = typer.Option(..., "--date", help="YYYY-MM-DD."),
    title: str = typer.Option(..., "--title", help="Title of the meeting."),
    location: str = typer.Option("", "--location", help="Where it meets."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Schedule a meeting."""
    try:
        day = date.fromisoformat(when)
    except ValueError as exc:
        raise fail(f"--date: {when!r} is not a date (YYYY-MM-DD)", 2) from exc
    render(
        _alliance(db).governance.create_meeting(body, day, title, actor=by, location=location),
        fmt,
        title="Meeting",
    )


@meetings_app.command("list")
@handle_errors
def meetings_list(
    body: str | None = typer.Option(None, "--body", help="Only this body's meetings."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The meetings, by date."""
    render(
        _alliance(db).governance.meetings(body),
        fmt,
        columns=None if fmt is Format.json else MEETING_COLUMNS,
        title="Meetings",
    )


@meetings_app.command("ics")
@handle_errors
def meetings_ics(
    body: str | None = typer.Option(None, "--body", help="Only this body's meetings."),
    db: str | None = DB_OPTION,
) -> None:
    """The meetings as an iCalendar file (on standard output)."""
    from critchem.services.alliance import meetings_calendar

    sys.stdout.write(meetings_calendar(_alliance(db), body))


@meetings_app.command("minutes")
@handle_errors
def meetings_minutes(
    meeting: int = typer.Argument(..., help="Meeting id."),
    text: Path = typer.Option(..., "--text", help="File with the minutes (- for standard input)."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Keep the minutes of a meeting."""
    render(
        _alliance(db).governance.set_minutes(meeting, _read(text), actor=by), fmt, title="Meeting"
    )


# -- motions ----------------------------------------------------------------------------------


@motions_app.command("create")
@handle_errors
def motions_create(
    kind: str = typer.Option(..., "--kind", help="opinion or recommendation."),
    title: str = typer.Option(..., "--title", help="Title."),
    text: Path = typer.Option(
        ..., "--text", help="File with the text, Markdown (- for standard input)."
    ),
    meeting: int | None = typer.Option(
        None, "--meeting", help="On this meeting's agenda (the vote opens)."
    ),
    body: str | None = typer.Option(None, "--body", help="Drafting body (default: the meeting's)."),
    proposer: str = typer.Option("Secretariat", "--proposer", help="Who proposes it."),
    cite: list[str] = typer.Option(
        [], "--cite", help="A platform link it cites, e.g. /alerts/12 (repeatable)."
    ),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Draft an opinion or a recommendation (open for a vote if put on a meeting)."""
    alliance = _alliance(db)
    if body is None:
        if meeting is None:
            raise fail("give --meeting or --body", 2)
        body = alliance.governance.meeting(meeting).body
    found = alliance.motions.create(
        body=body,
        kind=kind,
        title=title,
        text=_read(text),
        author=by,
        proposer=proposer,
        meeting_id=meeting,
        citations=cite,
    )
    render(found, fmt, title="Motion")


@motions_app.command("amend")
@handle_errors
def motions_amend(
    motion: int = typer.Argument(..., help="The motion to amend."),
    org: str = typer.Option(..., "--org", help="Proposing member (id or name)."),
    text: Path = typer.Option(
        ..., "--text", help="File with the amended text (- for standard input)."
    ),
    justification: str = typer.Option(..., "--justification", help="Why."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Propose an amendment (it is voted before the text)."""
    found = _alliance(db).motions.amend(
        motion, text=_read(text), justification=justification, proposer=org, author=by
    )
    render(found, fmt, title="Amendment")


@motions_app.command("table")
@handle_errors
def motions_table(
    motion: int = typer.Argument(..., help="Draft motion id."),
    meeting: int = typer.Option(..., "--meeting", help="The meeting whose agenda takes it."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Put a draft and its amendments on a meeting's agenda (the Steering Board's call)."""
    render(_alliance(db).motions.table(motion, meeting, actor=by), fmt, title="Motion")


@motions_app.command("list")
@handle_errors
def motions_list(
    body: str | None = typer.Option(None, "--body", help="Drafting body."),
    meeting: int | None = typer.Option(None, "--meeting", help="Meeting id."),
    state: str | None = typer.Option(None, "--state", help="draft, open or closed."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The motions."""
    found = _alliance(db).motions.list_motions(body=body, meeting_id=meeting, state=state)
    render(found, fmt, columns=None if fmt is Format.json else MOTION_COLUMNS, title="Motions")


@motions_app.command("show")
@handle_errors
def motions_show(
    motion: int = typer.Argument(..., help="Motion id."),
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """One motion with its versions, amendments and result (who voted what: secretariat view)."""
    render(_alliance(db).motions.show(motion, viewer_role="secretariat"), fmt, title="Motion")


# -- bodies -----------------------------------------------------------------------------------


@bodies_app.command("list")
@handle_errors
def bodies_list(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """The bodies with their voting rules and members."""
    columns = None if fmt is Format.json else ("slug", "name", "kind", "membership", "members")
    render(_alliance(db).governance.bodies(), fmt, columns=columns, title="Bodies")


@bodies_app.command("join")
@handle_errors
def bodies_join(
    body: str = typer.Argument(..., help="Working group slug."),
    org: str = typer.Option(..., "--org", help="Member (id or name)."),
    chair: bool = typer.Option(False, "--chair", help="As the group's chair."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Add a member to a working group."""
    found = _alliance(db).governance.join(body, org, actor=by, role="chair" if chair else "member")
    render(found, fmt, title="Body")


@bodies_app.command("create")
@handle_errors
def bodies_create(
    slug: str = typer.Argument(..., help="Short name, e.g. logistics."),
    name: str = typer.Option(..., "--name", help="Full name."),
    remit: str = typer.Option("", "--remit", help="What it works on."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Create a working group (the Steering Board's call)."""
    render(_alliance(db).governance.create_body(slug, name, remit, actor=by), fmt, title="Body")


@bodies_app.command("seat")
@handle_errors
def bodies_seat(
    name: str = typer.Argument(..., help="Seat name."),
    category: str = typer.Option(
        ...,
        "--category",
        help="member-state, industry-association, region, trade-union or civil-society.",
    ),
    org: str | None = typer.Option(None, "--org", help="Holding member."),
    holder: str | None = typer.Option(None, "--holder", help="The person holding it."),
    start: str | None = typer.Option(None, "--from", help="Term start, YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--to", help="Term end, YYYY-MM-DD."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Add a named seat of the Steering Board with its term."""
    try:
        term = [date.fromisoformat(d) if d else None for d in (start, end)]
    except ValueError as exc:
        raise fail(f"--from/--to: {exc}", 2) from exc
    found = _alliance(db).governance.add_seat(
        name,
        category,
        actor=by,
        organisation=org,
        holder=holder,
        term_start=term[0],
        term_end=term[1],
    )
    render(found, fmt, title="Steering Board")


@app.command()
@handle_errors
def deliverables(db: str | None = DB_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """The Steering Board's work programme and the platform pages that deliver it."""
    render(_alliance(db).governance.deliverables(), fmt, title="Work programme")


@app.command()
@handle_errors
def deliverable(
    slug: str = typer.Argument(..., help="Deliverable: criteria, mapping, investment or another."),
    owner: str | None = typer.Option(None, "--owner", help="Owning working group (slug)."),
    due: str | None = typer.Option(None, "--due", help="Due date, YYYY-MM-DD."),
    status: str | None = typer.Option(
        None, "--status", help="planned, in-progress, delivered or dropped."
    ),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Set a deliverable's owner, due date or status (the Steering Board's call)."""
    try:
        day = date.fromisoformat(due) if due else None
    except ValueError as exc:
        raise fail(f"--due: {due!r} is not a date (YYYY-MM-DD)", 2) from exc
    found = _alliance(db).governance.set_deliverable(
        slug, actor=by, owner=owner, due=day, status=status
    )
    render(found, fmt, title="Deliverable")


@bodies_app.command("document")
@handle_errors
def bodies_document(
    body: str = typer.Argument(..., help="Body slug."),
    title: str = typer.Option(..., "--title", help="Title of the document."),
    url: str | None = typer.Option(None, "--url", help="Where it is published."),
    text: Path | None = typer.Option(None, "--text", help="Or a file with its text."),
    meeting: int | None = typer.Option(None, "--meeting", help="The meeting it belongs to."),
    by: str = BY_OPTION,
    db: str | None = DB_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """File a document (agenda, background note) with a body."""
    found = _alliance(db).governance.add_document(
        body, title, actor=by, url=url, text=_read(text) if text else None, meeting_id=meeting
    )
    render(found, fmt, title="Document")

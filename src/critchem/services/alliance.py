"""Use cases of the Alliance's workings shared by the CLI, the API and the web pages."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from critchem.accounts import Accounts
from critchem.alliance import Alliance
from critchem.alliance.ical import calendar
from critchem.alliance.schemas import MeetingOut, MotionOut, OrganisationOut
from critchem.core.database import utcnow
from critchem.core.errors import AllianceError
from critchem.services.alerts import open_store

MEMBER_COLUMNS = (
    "id",
    "name",
    "type",
    "country",
    "size",
    "transparency_id",
    "sectors",
    "molecules",
    "value_chains",
    "member_since",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def open_alliance(url: str | None = None) -> Alliance:
    """The Alliance services over the application database at ``url`` (default: settings)."""
    return Alliance(open_store(url).session)


def safe_cell(value: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula: text starting with ``= + - @``, a tab or
    a carriage return gets a leading apostrophe (OWASP, CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def member_rows(alliance: Alliance) -> list[dict[str, Any]]:
    """The approved members as flat rows (lists joined with ``; ``)."""
    rows = []
    for org in alliance.membership.members():
        rows.append(
            {
                "id": org.id,
                "name": org.name,
                "type": org.type,
                "country": org.country,
                "size": org.size or "",
                "transparency_id": org.transparency_id or "",
                "sectors": "; ".join(org.sectors),
                "molecules": "; ".join(org.molecules),
                "value_chains": "; ".join(org.value_chains),
                "member_since": org.decided_at.date().isoformat() if org.decided_at else "",
            }
        )
    return rows


def members_csv(rows: list[dict[str, Any]]) -> str:
    """The members as CSV (raw values, ISO dates, formula starts neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MEMBER_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row[c]) for c in MEMBER_COLUMNS])
    return buffer.getvalue()


def members_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    """The members as an Excel workbook (formula starts neutralised)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Members"
    sheet.append(list(MEMBER_COLUMNS))
    for row in rows:
        sheet.append([safe_cell(row[c]) for c in MEMBER_COLUMNS])
    book.save(path)


def meetings_calendar(alliance: Alliance, body: str | None = None) -> str:
    """The meetings of ``body`` (or all) as iCalendar text."""
    return calendar(alliance.governance.meetings(body), stamp=utcnow())


def publication(alliance: Alliance, motion_id: int) -> tuple[MotionOut, MeetingOut | None]:
    """A published text and the meeting that adopted it; an error if it is not published."""
    motion = alliance.motions.show(motion_id)
    if motion.published_at is None:
        raise AllianceError(f"motion {motion_id} is not published")
    meeting = alliance.governance.meeting(motion.meeting_id) if motion.meeting_id else None
    return motion, meeting


def write_publication(alliance: Alliance, motion_id: int, folder: Path) -> list[Path]:
    """Write the HTML and the PDF of a published text into ``folder``; their paths."""
    from critchem.reports.opinion import opinion_html, opinion_pdf

    motion, meeting = publication(alliance, motion_id)
    folder.mkdir(parents=True, exist_ok=True)
    stem = (motion.number or f"motion-{motion.id}").replace("/", "-")
    html, pdf = folder / f"{stem}.html", folder / f"{stem}.pdf"
    html.write_text(opinion_html(motion, meeting), encoding="utf-8")
    pdf.write_bytes(opinion_pdf(motion, meeting))
    return [html, pdf]


def apply_with_account(
    alliance: Alliance,
    accounts: Accounts,
    *,
    username: str | None,
    password: str,
    **application: Any,
) -> OrganisationOut:
    """Apply and, when ``username`` is given, create the organisation's first user account,
    disabled until the application is approved; that user becomes the designated voter."""
    if username:
        from critchem.core.errors import UserNotFoundError

        try:
            accounts.get_user(username)
        except UserNotFoundError:
            pass
        else:
            raise AllianceError(f"username: {username!r} is already taken: choose another")
        from critchem.accounts.passwords import MIN_LENGTH

        if len(password) < MIN_LENGTH:
            raise AllianceError(f"password: use at least {MIN_LENGTH} characters")
        application["voter_username"] = username
    org = alliance.membership.apply(**application)
    if username:
        accounts.add_user(
            username,
            password=password,
            role="member",
            organisation=org.name,
            full_name=org.contact_name,
            email=org.contact_email,
        )
        accounts.disable_user(username)
    return org


def review_with_accounts(
    alliance: Alliance,
    accounts: Accounts,
    ref: int | str,
    *,
    decision: str,
    reason: str | None,
    actor: str,
) -> OrganisationOut:
    """Review an application; an approval enables the organisation's users as members."""
    org = alliance.membership.review(ref, decision=decision, actor=actor, reason=reason)
    if org.status == "approved":
        for user in accounts.list_users():
            if user.organisation == org.name:
                if not user.active:
                    accounts.enable_user(user.username)
                if user.role == "public":
                    accounts.set_role(user.username, "member")
    return org

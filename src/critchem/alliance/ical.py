"""Meetings as an iCalendar file (RFC 5545): one all-day ``VEVENT`` per meeting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from critchem.alliance.schemas import MeetingOut


def _escape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping: backslash, semicolon, comma and newlines."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        size = 75 if start == 0 else 74
        end = min(start + size, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not cut a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    return "\r\n ".join(parts)


def calendar(meetings: Iterable[MeetingOut], *, stamp: datetime, host: str = "critchem") -> str:
    """The iCalendar text of ``meetings`` (CRLF line ends, folded lines).

    >>> from datetime import date, UTC
    >>> m = MeetingOut(id=1, body="general-assembly", date=date(2026, 1, 13),
    ...                title="First General Assembly", location="Chemelot, NL", minutes=None,
    ...                motions=[])
    >>> text = calendar([m], stamp=datetime(2026, 1, 1, tzinfo=UTC))
    >>> "DTSTART;VALUE=DATE:20260113" in text and "LOCATION:Chemelot\\\\, NL" in text
    True
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//critchem//Critical Chemicals Alliance//EN",
        "CALSCALE:GREGORIAN",
    ]
    for meeting in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.id}@{host}",
            f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{meeting.date.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(meeting.date + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(meeting.title)}",
            f"CATEGORIES:{_escape(meeting.body)}",
        ]
        if meeting.location:
            lines.append(f"LOCATION:{_escape(meeting.location)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)

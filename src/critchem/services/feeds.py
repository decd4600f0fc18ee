"""The Atom feed (RFC 4287) of the early-warning alerts, filterable by molecule and severity."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from critchem.services.alerts import AlertOut

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
FEED_ID = "urn:critchem:feed:alerts"


def _when(value: datetime) -> str:
    """An RFC 3339 date-time (Atom's ``updated``), in UTC when the value has no zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    element.text = text
    return element


def alerts_feed(
    alerts: list[AlertOut],
    *,
    self_url: str,
    site_url: str,
    molecule: str | None = None,
    severity: str | None = None,
) -> bytes:
    """The Atom document of ``alerts`` (latest first): one entry per alert, linked to its page.

    Every entry has the ``id``, ``title``, ``updated``, ``link`` and ``summary`` RFC 4287 asks
    for; the feed its ``id``, ``title``, ``updated``, ``author`` and ``link rel="self"``.
    """
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    scope = ", ".join(p for p in (molecule, severity) if p)
    feed_id = FEED_ID + (f":{molecule or '*'}:{severity or '*'}" if scope else "")
    _text(feed, "id", feed_id)
    _text(feed, "title", "critchem alerts" + (f" ({scope})" if scope else ""))
    latest = max((a.updated_at for a in alerts), default=datetime(1970, 1, 1, tzinfo=UTC))
    _text(feed, "updated", _when(latest))
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", "critchem early warning")
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": site_url})
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _text(entry, "id", f"urn:critchem:alert:{alert.id}")
        _text(entry, "title", f"[{alert.severity}] {alert.title}")
        _text(entry, "updated", _when(alert.updated_at))
        _text(entry, "published", _when(alert.created_at))
        ET.SubElement(
            entry,
            f"{{{ATOM_NS}}}link",
            {"rel": "alternate", "href": f"{site_url.rstrip('/')}/{alert.id}"},
        )
        ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": alert.severity})
        if alert.molecule_id:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": alert.molecule_id})
        _text(
            entry,
            "summary",
            f"{alert.severity} alert ({alert.state}) on product {alert.product or '-'}, "
            f"{alert.reporter} from {alert.partner}, {alert.first_seen_period.isoformat()} to "
            f"{alert.last_seen_period.isoformat()}; families: {', '.join(alert.families)}.",
        )
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document

"""The Atom feed of the alerts holds the elements RFC 4287 requires (section 4.1)."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from critchem.surveillance.alerts import AlertStore
from tests.api.conftest import Api

A = "{http://www.w3.org/2005/Atom}"
FEED = "/api/v1/feeds/alerts.atom"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _one(parent: ET.Element, tag: str) -> ET.Element:
    found = parent.findall(A + tag)
    assert len(found) == 1, f"{parent.tag} must have exactly one {tag}, has {len(found)}"
    return found[0]


def check_atom(document: bytes) -> ET.Element:
    """Assert the RFC 4287 'MUST' rules of atom:feed and atom:entry; return the feed."""
    feed = ET.fromstring(document)
    assert feed.tag == A + "feed"
    for tag in ("id", "title", "updated"):
        assert (_one(feed, tag).text or "").strip()
    assert RFC3339.match(_one(feed, "updated").text or "")
    assert any(link.get("rel") == "self" for link in feed.findall(A + "link"))
    entries = feed.findall(A + "entry")
    feed_author = feed.findall(A + "author")
    for entry in entries:
        assert ":" in (_one(entry, "id").text or "")  # an IRI
        assert (_one(entry, "title").text or "").strip()
        assert RFC3339.match(_one(entry, "updated").text or "")
        has_content = entry.findall(A + "content")
        alternates = [
            k for k in entry.findall(A + "link") if k.get("rel", "alternate") == "alternate"
        ]
        assert has_content or alternates, "an entry without content needs an alternate link"
        assert has_content or entry.findall(A + "summary")
        assert feed_author or entry.findall(A + "author")
        for author in feed_author + entry.findall(A + "author"):
            assert (_one(author, "name").text or "").strip()
    ids = [_one(e, "id").text for e in entries]
    assert len(ids) == len(set(ids))
    return feed


def test_feed_of_all_alerts(api: Api, alerts_db: AlertStore) -> None:
    response = api.get(FEED)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = check_atom(response.content)
    assert len(feed.findall(A + "entry")) == api.get("/api/v1/alerts").json()["total"] == 5


def test_feed_filtered_by_severity_and_molecule(api: Api, alerts_db: AlertStore) -> None:
    red = check_atom(api.get(FEED, params={"severity": "red"}).content)
    entries = red.findall(A + "entry")
    assert len(entries) == 1
    assert {c.get("term") for c in entries[0].findall(A + "category")} >= {"red"}
    listed = api.get("/api/v1/alerts", params={"molecule": "ethylene"}).json()
    ethylene = check_atom(api.get(FEED, params={"molecule": "ethylene"}).content)
    assert [e.find(A + "id").text for e in ethylene.findall(A + "entry")] == [
        f"urn:critchem:alert:{a['id']}" for a in listed["items"]
    ]


def test_feed_rejects_a_bad_severity(api: Api, alerts_db: AlertStore) -> None:
    response = api.get(FEED, params={"severity": "purple"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"

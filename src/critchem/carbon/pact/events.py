"""The CloudEvents of PACT Action Events (Technical Specifications v3), validated.

Events arrive in CloudEvents 1.0 structured content mode (``application/cloudevents+json``):
``type``, ``specversion`` (``1.0``), ``id``, ``source``, ``time`` and ``data``. The four
PACT v3 types and their ``data``:

* ``RequestCreatedEvent``: the ListFootprints criteria (``productId``, ``companyId``,
  ``geography``, ``classification``, ``validOn``, ``validAfter``, ``validBefore``,
  ``status``) and a ``comment``; the data owner answers later with one of the next two;
* ``RequestFulfilledEvent``: ``requestEventId`` and the non-empty list ``pfs``;
* ``RequestRejectedEvent``: ``requestEventId`` and an ``error`` (``code``, ``message``);
* ``PublishedEvent``: ``pfIds``, the ids (UUIDs) of new or updated footprints.

An invalid event is ``PactError`` 400 naming the field.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from critchem.carbon.pact.filters import DateTimeText
from critchem.core.errors import PactError

PREFIX = "org.wbcsd.pact.ProductFootprint."
REQUEST_CREATED = PREFIX + "RequestCreatedEvent.3"
REQUEST_FULFILLED = PREFIX + "RequestFulfilledEvent.3"
REQUEST_REJECTED = PREFIX + "RequestRejectedEvent.3"
PUBLISHED = PREFIX + "PublishedEvent.3"
MEDIA_TYPE = "application/cloudevents+json"


class CloudEvent(BaseModel):
    """The CloudEvents 1.0 envelope of a PACT event."""

    model_config = ConfigDict(extra="allow")

    type: Literal[
        "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
        "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
        "org.wbcsd.pact.ProductFootprint.PublishedEvent.3",
    ]
    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=2000)
    time: DateTimeText
    data: dict[str, Any]


class RequestCriteria(BaseModel):
    """``data`` of a RequestCreatedEvent: the ListFootprints criteria and a comment."""

    model_config = ConfigDict(extra="allow")

    productId: list[str] = Field(default_factory=list)  # noqa: N815 - the specification's name
    companyId: list[str] = Field(default_factory=list)  # noqa: N815
    geography: list[str] = Field(default_factory=list)
    classification: list[str] = Field(default_factory=list)
    validOn: DateTimeText | None = None  # noqa: N815
    validAfter: DateTimeText | None = None  # noqa: N815
    validBefore: DateTimeText | None = None  # noqa: N815
    status: str | None = None
    comment: str | None = None


class Fulfilled(BaseModel):
    """``data`` of a RequestFulfilledEvent."""

    requestEventId: str = Field(min_length=1)  # noqa: N815
    pfs: list[dict[str, Any]] = Field(min_length=1)


class ErrorBody(BaseModel):
    """The specification's ``Error``: a code and a human-readable message."""

    code: str = Field(min_length=1)
    message: str = Field(min_length=1)


class Rejected(BaseModel):
    """``data`` of a RequestRejectedEvent."""

    requestEventId: str = Field(min_length=1)  # noqa: N815
    error: ErrorBody


class Published(BaseModel):
    """``data`` of a PublishedEvent: the ids (UUIDs) of the published footprints."""

    pfIds: list[uuid.UUID] = Field(min_length=1)  # noqa: N815


DATA_MODELS: dict[str, type[BaseModel]] = {
    REQUEST_CREATED: RequestCriteria,
    REQUEST_FULFILLED: Fulfilled,
    REQUEST_REJECTED: Rejected,
    PUBLISHED: Published,
}
"""The ``data`` model of each event type."""


def _typed(kind: str, data: type[BaseModel]) -> dict[str, Any]:
    schema = CloudEvent.model_json_schema()
    schema["properties"]["type"] = {"const": kind, "type": "string"}
    data_schema = data.model_json_schema()
    schema.setdefault("$defs", {}).update(data_schema.pop("$defs", {}))
    schema["properties"]["data"] = data_schema
    schema["title"] = kind.removeprefix(PREFIX).removesuffix(".3")
    return schema


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its local ``$defs`` inlined (OpenAPI keeps no nested ``$defs``)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return dict(walk(schema))


EVENT_SCHEMA: dict[str, Any] = {
    "oneOf": [_inline(_typed(kind, model)) for kind, model in DATA_MODELS.items()]
}
"""The JSON schema of an Action Events body: one of the four typed events."""


def _where(exc: ValidationError, prefix: str) -> str:
    first = exc.errors()[0]
    place = ".".join(str(p) for p in (prefix, *first["loc"]) if p != "")
    return f"{place or 'body'}: {first['msg']}"


def parse_event(body: Any) -> tuple[CloudEvent, BaseModel]:
    """The envelope and the typed ``data`` of an event; ``PactError`` 400 naming the field."""
    if not isinstance(body, dict):
        raise PactError(400, "BadRequest", "the event must be a JSON object (CloudEvents 1.0)")
    try:
        event = CloudEvent.model_validate(body)
    except ValidationError as exc:
        raise PactError(400, "BadRequest", f"invalid event: {_where(exc, '')}") from exc
    try:
        data = DATA_MODELS[event.type].model_validate(event.data)
    except ValidationError as exc:
        raise PactError(400, "BadRequest", f"invalid event: {_where(exc, 'data')}") from exc
    return event, data


def answer_url(source: str) -> str:
    """Where the answer to an event from ``source`` goes: its host's Action Events endpoint.

    The specification's examples give ``source`` as ``//api.example.com/3/events``: a
    scheme-relative URL is read as HTTPS, and ``/3/events`` is appended when missing.
    """
    url = f"https:{source}" if source.startswith("//") else source
    if not url.startswith(("https://", "http://")):
        raise PactError(400, "BadRequest", f"source: {source!r} is not an http(s) URL")
    return url if url.rstrip("/").endswith("/3/events") else url.rstrip("/") + "/3/events"


def make_event(kind: str, *, source: str, data: dict[str, Any]) -> dict[str, Any]:
    """A new CloudEvent of ``kind`` (one of the four types) from ``source``."""
    return {
        "type": kind,
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }

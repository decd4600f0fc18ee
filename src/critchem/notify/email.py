"""E-mail delivery over SMTP (``smtplib``), plain text with an HTML alternative.

Host, port, sender and the optional STARTTLS and login come from ``Settings``
(``smtp_*``). Connection errors and transient (4xx) SMTP replies are retried like webhooks;
permanent (5xx) replies are not.
"""

from __future__ import annotations

import html
import smtplib
from email.message import EmailMessage

from critchem.core.labels import data_source_of
from critchem.core.settings import Settings
from critchem.notify.attempts import Outcome
from critchem.surveillance.alerts.models import Alert

TIMEOUT_SECONDS = 30.0
DATA_WORDS = {
    "real": "real trade statistics",
    "synthetic": "SYNTHETIC: generated series, not real trade",
}
"""The data line of an e-mail, by the alert's data source (its own series' sources)."""


def subject(alert: Alert) -> str:
    """``[critchem] <severity>: <title>``, the title's own severity prefix not repeated."""
    title = alert.title.removeprefix(f"{alert.severity}: ")
    return f"[critchem] {alert.severity}: {title}"


def _facts(alert: Alert) -> list[tuple[str, str]]:
    about = f"molecule {alert.molecule_id}" if alert.molecule_id else f"product {alert.product}"
    flow = f" (flow {alert.flow})" if alert.flow else ""
    return [
        ("Alert", str(alert.id)),
        ("Severity", alert.severity),
        ("State", alert.state),
        ("About", about),
        ("Trade", f"{alert.reporter} <- {alert.partner}{flow}"),
        ("Evidence from", ", ".join(alert.families)),
        ("Periods", f"{alert.first_seen_period:%Y-%m} to {alert.last_seen_period:%Y-%m}"),
        ("Data", DATA_WORDS[data_source_of(alert.provenance)]),
    ]


def message(alert: Alert, *, sender: str, to: str) -> EmailMessage:
    """The e-mail about ``alert``: plain text first, then the same facts as HTML."""
    facts = _facts(alert)
    msg = EmailMessage()
    msg["Subject"] = subject(alert)
    msg["From"] = sender
    msg["To"] = to
    text = "\n".join([alert.title, "", *(f"{k}: {v}" for k, v in facts), ""])
    msg.set_content(text)
    rows = "".join(
        f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in facts
    )
    msg.add_alternative(
        f"<html><body><p><strong>{html.escape(alert.title)}</strong></p>"
        f"<table>{rows}</table></body></html>",
        subtype="html",
    )
    return msg


def send(settings: Settings, to: str, alert: Alert) -> Outcome:
    """Send one e-mail about ``alert`` to ``to``; the outcome says whether to retry."""
    msg = message(alert, sender=settings.smtp_from, to=to)
    where = f"SMTP {settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(msg)
    except smtplib.SMTPResponseException as exc:
        return Outcome(
            ok=False,
            retry=400 <= exc.smtp_code < 500,
            error=f"{where}: {exc.smtp_code} {exc.smtp_error!r}",
        )
    except smtplib.SMTPRecipientsRefused as exc:
        return Outcome(ok=False, error=f"{where}: recipient refused: {exc.recipients}")
    except (smtplib.SMTPException, OSError) as exc:
        return Outcome(ok=False, retry=True, error=f"{where}: {type(exc).__name__}: {exc}")
    return Outcome(ok=True)

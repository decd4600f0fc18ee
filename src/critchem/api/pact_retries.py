"""The server's own retries of answers to PACT requests, beside ``critchem pact deliver``.

PACT Technical Specifications v3, ``#api-action-events-case-2``: an answer the requester's
host did not take SHOULD be retried with exponential backoff, for no more than 3 days. The
outbox (:mod:`critchem.carbon.pact.outbox`) keeps the schedule; this loop sends what is due
every ``CRITCHEM_PACT_DELIVER_EVERY_SECONDS`` while the server runs (0 turns it off, for
deployments that run ``critchem pact deliver`` on a timer instead). Several server processes
may run it together: each answer is claimed before it is sent.
"""

from __future__ import annotations

import asyncio
import logging

from critchem.carbon.pact.host import PactHost

log = logging.getLogger(__name__)


async def deliver_periodically(host: PactHost, every: float) -> None:
    """Send the answers that are due every ``every`` seconds, until cancelled."""
    while True:
        await asyncio.sleep(every)
        try:
            report = await asyncio.to_thread(host.outbox.deliver_due)
        except Exception:
            log.exception("PACT answers: a run of deliveries failed; retrying in %g s", every)
            continue
        if report.attempts:
            log.info(
                "PACT answers: %d delivered, %d to retry, %d expired",
                report.delivered,
                report.retrying,
                report.expired,
            )

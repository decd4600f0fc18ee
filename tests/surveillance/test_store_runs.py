"""Monitor runs and their watermark."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from critchem.core.errors import AlertNotFoundError, AlertStateError
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.alerts.runs import finish_run, last_run, start_run


def test_runs_keep_the_watermark_of_the_last_finished_run(alert_store: AlertStore) -> None:
    assert last_run(alert_store) is None
    first = start_run(alert_store, provenance={"source": "comext_bulk"})
    finish_run(
        alert_store,
        first,
        watermark={"comext_bulk": "2024-03"},
        created=2,
        updated=1,
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    failed = start_run(alert_store)
    finish_run(alert_store, failed, watermark={"comext_bulk": "2024-04"}, status="failed")
    run = last_run(alert_store)
    assert run is not None
    assert (run.id, run.watermark, run.alerts_created, run.alerts_updated) == (
        first,
        {"comext_bulk": "2024-03"},
        2,
        1,
    )
    assert run.provenance["source"] == "comext_bulk"
    assert run.finished_at == datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(AlertStateError, match="already finished"):
        finish_run(alert_store, first, watermark={})
    with pytest.raises(AlertNotFoundError, match="no monitor run"):
        finish_run(alert_store, "nope", watermark={})
    with pytest.raises(AlertStateError, match="is not finished"):
        finish_run(alert_store, start_run(alert_store), watermark={}, status="done")

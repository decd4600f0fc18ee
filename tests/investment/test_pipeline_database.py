"""The pipeline on both databases the service runs on: SQLite and PostgreSQL."""

from __future__ import annotations

import math
from typing import Any

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import IntegrityError

from critchem.core.errors import PipelineError
from critchem.investment import Pipeline, parse_project
from tests.surveillance.conftest import alert_db_url, alert_postgres_base  # noqa: F401

INSERT = text(
    "INSERT INTO project_version (project_id, version, action, recorded_at, recorded_by, "
    "title, country, status, capex_meur, funding_gap_meur, ghg_avoided_10y_tco2e, payload) "
    "VALUES ('X', 1, 'add', CURRENT_TIMESTAMP, 'x', 't', 'DE', 'idea', :capex, 0, 0, '{}')"
)


def test_versions_round_trip_and_the_schema_refuses_non_finite(
    alert_db_url: str,  # noqa: F811
    data: dict[str, Any],
) -> None:
    pipe = Pipeline(alert_db_url)
    pipe.add(parse_project(data), by="alice")
    pipe.update(parse_project({**data, "capex_meur": 120}), by="bob")
    again = Pipeline(alert_db_url)
    assert [(v.version, v.recorded_by) for v in again.history("P-1")] == [(1, "alice"), (2, "bob")]
    assert again.get("P-1").capex_meur == 120
    with pytest.raises(PipelineError, match="already in the pipeline"):
        again.add(parse_project(data))
    engine = create_engine(alert_db_url, poolclass=pool.NullPool)
    try:
        for capex in (math.inf, math.nan, 1.7e308):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(INSERT, {"capex": capex})
    finally:
        engine.dispose()

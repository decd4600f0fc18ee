"""The project pipeline as a SQL table: one row per stored version of a project.

Nothing is ever updated or deleted: a change is a new row with the next ``version``, who
recorded it and when, so the table is its own audit trail. The money and tonnage columns are
plain numbers beside the full project (``payload``, JSON) so that the database itself refuses
non-finite and absurd values (``CHECK`` constraints, see ``LIMITS``), whatever code writes.
The table shares the declarative ``Base`` of :mod:`critchem.core.database` and its Alembic
history (revision 0004).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from critchem.core.database import Base, UtcDateTime, utcnow
from critchem.investment.projects import MAX_CAPEX_MEUR, MAX_GHG_TCO2E

CHECKS: tuple[tuple[str, str], ...] = (
    ("version_positive", "version >= 1"),
    ("action_known", "action IN ('add', 'update')"),
    ("capex_range", f"capex_meur > 0 AND capex_meur <= {MAX_CAPEX_MEUR:.1f}"),
    ("gap_range", "funding_gap_meur >= 0 AND funding_gap_meur <= capex_meur"),
    ("ghg_range", f"ghg_avoided_10y_tco2e >= 0 AND ghg_avoided_10y_tco2e <= {MAX_GHG_TCO2E:.1f}"),
)
"""Constraint name and SQL condition of the table's checks (NaN fails each comparison in
PostgreSQL's order only through ``<=``: NaN sorts above every number, so it is refused too;
SQLite stores NaN as NULL, which the NOT NULL columns refuse)."""


class ProjectVersionRow(Base):
    """One version of one project, as recorded."""

    __tablename__ = "project_version"
    __table_args__ = (
        UniqueConstraint("project_id", "version"),
        *(CheckConstraint(sql, name=f"ck_project_version_{name}") for name, sql in CHECKS),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(8))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    capex_meur: Mapped[float] = mapped_column(Float)
    funding_gap_meur: Mapped[float] = mapped_column(Float)
    ghg_avoided_10y_tco2e: Mapped[float] = mapped_column(Float)
    payload: Mapped[str] = mapped_column(Text)


class PipelineRelease(Base):
    """A release point: the pipeline as of ``released_at`` is what aggregates publish."""

    __tablename__ = "pipeline_release"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    released_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    released_by: Mapped[str] = mapped_column(String(200))

"""Serialised transactions: one writer at a time for a read-then-write that must not interleave.

A check followed by a write (count the attempts, then add one) lets concurrent transactions
all pass the check before any of them writes. ``serialise`` takes, at the start of the
session's transaction, the lock that makes the next such transaction wait for this one's end:

* SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock before the first read;
* PostgreSQL: ``pg_advisory_xact_lock(key)``, released at commit or rollback. Under READ
  COMMITTED each later statement sees what the previous holder committed.

Other databases get no lock.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def serialise(session: Session, key: int) -> None:
    """Take the write lock for ``key`` in ``session``'s transaction (its first statement)."""
    connection = session.connection()
    backend = connection.dialect.name
    if backend == "sqlite":
        # pysqlite opens transactions lazily, before the first write: nothing is open yet.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif backend == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

"""Alembic environment and revisions of the alert tables (run by ``migrate``)."""

"""Alembic revisions of the alert tables, oldest first."""

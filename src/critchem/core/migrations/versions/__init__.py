"""Alembic revisions of the application database, oldest first."""

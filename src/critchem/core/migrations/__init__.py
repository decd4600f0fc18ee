"""Alembic environment and revisions of the application database (run by ``migrate``)."""

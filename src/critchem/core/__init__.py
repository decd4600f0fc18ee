"""The core every domain package may use and that uses none of them.

* :mod:`critchem.core.database`: the declarative ``Base`` of every table, the aware UTC
  timestamp type and ``Database``, one lazily opened (and migrated) engine with its sessions;
* :mod:`critchem.core.migrate`: the Alembic history of the whole schema (``migrations/``)
  run programmatically (``migrate``, ``head``, ``current``);
* :mod:`critchem.core.registry`: ``Registry``, the one mechanism of every plug-in family.

Nothing is imported here, so that importing a core module costs only that module.
"""

"""Accounts and access control: users and roles, passwords, tokens, API keys, audit log.

The confidentiality rules for company data are in ``disclosure``.
"""

from __future__ import annotations

from critchem.accounts.roles import ANONYMOUS, ROLES, Principal, Role, at_least, check_role
from critchem.accounts.service import Accounts

__all__ = ["ANONYMOUS", "ROLES", "Accounts", "Principal", "Role", "at_least", "check_role"]

"""Who may see company-confidential data, and statistical disclosure control of aggregates.

Two rules, as pure functions, for the confidential data to come (production sites, project
financials):

* **Record visibility.** A company's own record is visible to members of that organisation
  and to the secretariat and administrators, to nobody else.
* **Minimum number of contributors.** An aggregate (a total, a mean, a capacity of a region)
  built from fewer than ``min_companies`` distinct companies is suppressed, as Eurostat
  does for confidential trade and business statistics: with one or two contributors, each
  could work out the other's figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from critchem.accounts.roles import Principal, at_least

MIN_COMPANIES = 3
"""The least number of distinct companies an aggregate may be shown with."""


def visible(record_org: str, principal: Principal) -> bool:
    """Whether ``principal`` may see a record of the organisation ``record_org``.

    >>> visible("Acme", Principal("ann", "member", "Acme"))
    True
    >>> visible("Acme", Principal("bob", "analyst", "Other"))
    False
    >>> visible("Acme", Principal("sue", "secretariat", "Alliance"))
    True
    """
    if at_least(principal.role, "secretariat"):
        return True
    if principal.username is None or not record_org:
        return False
    return principal.organisation.casefold() == record_org.casefold()


@dataclass(frozen=True)
class Aggregate:
    """One aggregate: its value, or ``None`` when suppressed, and how many companies built it."""

    value: float | None
    companies: int
    suppressed: bool


def suppress_small_aggregates(
    groups: Mapping[str, Iterable[tuple[str, float]]], min_companies: int = MIN_COMPANIES
) -> dict[str, Aggregate]:
    """The sum of each group, suppressed when fewer than ``min_companies`` companies gave to it.

    ``groups`` maps a group name to its ``(company, value)`` contributions; a company may
    contribute several values (several sites), it counts once.

    >>> out = suppress_small_aggregates({"DE": [("a", 1.0), ("b", 2.0), ("c", 3.0)],
    ...                                  "FR": [("a", 5.0), ("b", 7.0), ("b", 1.0)]})
    >>> out["DE"]
    Aggregate(value=6.0, companies=3, suppressed=False)
    >>> out["FR"]
    Aggregate(value=None, companies=2, suppressed=True)
    """
    if min_companies < 1:
        raise ValueError(f"min_companies must be at least 1, not {min_companies}")
    result: dict[str, Aggregate] = {}
    for name, contributions in groups.items():
        rows = list(contributions)
        companies = len({company for company, _ in rows})
        if companies < min_companies:
            result[name] = Aggregate(value=None, companies=companies, suppressed=True)
        else:
            result[name] = Aggregate(
                value=sum(value for _, value in rows), companies=companies, suppressed=False
            )
    return result

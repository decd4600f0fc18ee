"""Portfolio settings as a versioned data file (``data/portfolio.yaml``): budgets, balance."""

from __future__ import annotations

from functools import cache

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from critchem.core.errors import PortfolioError
from critchem.investment.portfolio.problem import Balance
from critchem.nomenclature._files import data_text

CONFIG_FILE = "portfolio.yaml"


class BalanceConfig(BaseModel):
    """Largest budget shares per Member State and per molecule (``None``: no limit)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_share_country: float | None = Field(default=None, gt=0, le=1)
    max_share_molecule: float | None = Field(default=None, gt=0, le=1)

    def to_balance(self) -> Balance:
        """The solver's :class:`Balance`."""
        return Balance(self.max_share_country, self.max_share_molecule)


class PortfolioConfig(BaseModel):
    """Budgets (M€) and minimum tickets per instrument, and the balance limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    example: bool = False
    budgets_meur: dict[str, float] = {}
    min_tickets_meur: dict[str, float] = {}
    balance: BalanceConfig = BalanceConfig()


def parse_config(text: str, *, source: str = CONFIG_FILE) -> PortfolioConfig:
    """Validate portfolio settings; the error names the key."""
    try:
        return PortfolioConfig.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(file)"
        raise PortfolioError(f"{source}: {where}: {err['msg']}") from None


@cache
def load_config() -> PortfolioConfig:
    """The shipped (EXAMPLE) portfolio settings (cached)."""
    return parse_config(data_text("critchem.investment", CONFIG_FILE))

"""``/trade``: series and supplier shares of a code or molecule, and the dependency screen."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from critchem.api.deps import StoreRootDep
from critchem.api.schemas import DependencyOut, SuppliersOut, TradePeriodOut
from critchem.services import indicators

router = APIRouter(prefix="/trade", tags=["trade"])

QueryPath = Annotated[
    str, Path(max_length=200, description="A CN8 or HS6 code, or a registry molecule.")
]
Reporter = Annotated[
    str, Query(min_length=2, max_length=10, description="Reporter: EU27 or a Member State.")
]
Source = Annotated[
    str | None,
    Query(max_length=40, description="Trade source (default: the preferred one present)."),
]
Year = Annotated[int, Query(ge=1988, le=2100, description="Calendar year.")]


@router.get(
    "/series/{query}", response_model=list[TradePeriodOut], summary="Trade indicators by period"
)
def series(
    query: QueryPath,
    store_root: StoreRootDep,
    reporter: Reporter = "EU27",
    freq: Annotated[Literal["M", "A"], Query(description="M: monthly, A: annual.")] = "M",
    source: Source = None,
) -> list[TradePeriodOut]:
    """Values, masses, unit values and supplier concentration, period by period."""
    rows = indicators.trade_series(
        query, store_root=store_root, reporter=reporter, freq=freq, source=source
    )
    return [TradePeriodOut.model_validate(r) for r in rows]


@router.get(
    "/suppliers/{query}", response_model=SuppliersOut, summary="Extra-EU suppliers in one year"
)
def suppliers(
    query: QueryPath,
    store_root: StoreRootDep,
    year: Year,
    reporter: Reporter = "EU27",
    source: Source = None,
) -> SuppliersOut:
    """Each extra-EU origin's share of the imports, with the HHI and governance-weighted HHI."""
    out = indicators.trade_suppliers(
        query, store_root=store_root, year=year, reporter=reporter, source=source
    )
    return SuppliersOut.model_validate(out)


@router.get(
    "/dependencies",
    response_model=list[DependencyOut],
    summary="The eu-dependency screen",
)
def dependencies(
    store_root: StoreRootDep,
    year: Annotated[int, Query(ge=1988, le=2100, description="Last year of the window.")],
    source: Annotated[
        str, Query(max_length=40, description="Trade source with partner detail.")
    ] = "comext_bulk",
    molecules: Annotated[
        bool, Query(description="Per registry molecule instead of per product.")
    ] = False,
) -> list[DependencyOut]:
    """The Commission's three dependency criteria over the three years ending in ``year``."""
    rows = indicators.dependency_screen(
        store_root, last_year=year, source=source, molecules=molecules
    )
    return [DependencyOut.model_validate(r) for r in rows]

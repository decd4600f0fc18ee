"""Pure formulas on EU production and trade: apparent consumption, import reliance, price.

All three take figures in one unit (EUR for values, the same physical unit for quantities)
and return ``None`` when an input is unknown: a missing figure is never read as zero.
"""

from __future__ import annotations


def apparent_consumption(
    production: float | None, imports: float | None, exports: float | None
) -> float | None:
    """Apparent consumption ``C = P + M − X``.

    ``P`` is the EU's sold production (PRODCOM), ``M`` and ``X`` the extra-EU imports and
    exports (Comext) of the same products, in the same unit. Source: the apparent consumption
    of the European Commission (2017), *Methodology for establishing the EU list of critical
    raw materials - Guidelines*, ISBN 978-92-79-68051-9, import reliance ("domestic production
    + import − export"); Eurostat uses the same definition with PRODCOM and Comext.

    >>> apparent_consumption(100.0, 40.0, 10.0)
    130.0
    >>> apparent_consumption(None, 40.0, 10.0) is None
    True
    """
    if production is None or imports is None or exports is None:
        return None
    return production + imports - exports


def import_reliance(
    production: float | None, imports: float | None, exports: float | None
) -> float | None:
    """Import reliance ``IR = (M − X) / (P + M − X)``, bounded to ``[0, 1]``.

    Source: European Commission (2017), *Guidelines* (ISBN 978-92-79-68051-9), import
    reliance = net imports over apparent consumption. A net exporter (``M ≤ X``) relies on
    no import (0); the bound to ``[0, 1]`` is critchem's, matching the declared range of the
    ``cca`` indicator ``import_reliance``. ``None`` when an input is unknown or the apparent
    consumption is not positive (the ratio is then undefined).

    >>> import_reliance(100.0, 40.0, 10.0)  # (40 - 10) / 130
    0.23076923076923078
    >>> import_reliance(100.0, 10.0, 40.0)
    0.0
    >>> import_reliance(0.0, 10.0, 10.0) is None
    True
    """
    consumption = apparent_consumption(production, imports, exports)
    if consumption is None or consumption <= 0 or imports is None or exports is None:
        return None
    return min(max((imports - exports) / consumption, 0.0), 1.0)


def producer_price(value: float | None, quantity: float | None) -> float | None:
    """EU producer price (unit value of sold production) ``p = V / Q``.

    ``V`` is PRODCOM's value of sold production (``PRODVAL``, EUR) and ``Q`` its quantity
    (``PRODQNT``) in the code's unit (``QNTUNIT``), so ``p`` is in EUR per that unit.
    Source: Eurostat PRODCOM, value and quantity of sold production (DS-059358); the unit
    value as in the trade indicators (value over quantity). ``None`` when either is unknown
    or the quantity is not positive.

    >>> producer_price(1_200_000.0, 1_500_000.0)
    0.8
    >>> producer_price(1_200_000.0, None) is None
    True
    """
    if value is None or quantity is None or quantity <= 0:
        return None
    return value / quantity

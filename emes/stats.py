"""Shared arithmetic of M&E figures: percentages (and, for evaluation, the usual descriptive statistics).

One rounding rule for every percentage EMES shows or exports: two decimals, ROUND_HALF_UP, as OBEC publishes
its tables (docs/monitoring.md "Percentages"): 24,690 of 200,000 baht is 12.35 %, everywhere.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def percentage(part: Decimal | int | float, whole: Decimal | int | float, *, places: int = 2) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (e.g. baht disbursed of baht allocated, students of students assessed).

    Returns a ``Decimal`` rounded half up to ``places`` decimals, or ``None`` when ``whole`` is 0 or ``None``
    (no base: "-" on a page, not 0 %). Floats are converted through ``str`` so 0.1 stays 0.1.
    """
    if not whole:
        return None
    exponent = Decimal(1).scaleb(-places)
    ratio = _decimal(part) * 100 / _decimal(whole)
    return ratio.quantize(exponent, rounding=ROUND_HALF_UP)


def _decimal(value: Decimal | int | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))

"""Money arithmetic of quote and order lines: pure functions, Decimal only, rounded to cents."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def to_cents(value: Decimal) -> Decimal:
    """Round half up to whole cents, as an invoice shows it."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(*, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """Quantity times unit price, less the line's discount percentage."""
    return to_cents(quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    vat: Decimal
    total: Decimal


def document_totals(*, amounts: Iterable[Decimal], vat_rate: Decimal) -> Totals:
    """Subtotal of the line amounts, VAT on the subtotal at `vat_rate` percent, and the total."""
    subtotal = to_cents(sum(amounts, Decimal("0")))
    vat = to_cents(subtotal * vat_rate / HUNDRED)
    return Totals(subtotal=subtotal, vat=vat, total=subtotal + vat)

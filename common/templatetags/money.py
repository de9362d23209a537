"""`{{ amount|money }}`: every amount on every page is shown the same way (common.money)."""

from decimal import Decimal

from django import template

from common.money import money_format

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str | None = None) -> str:
    """The amount with its currency in the active language's number format."""
    return money_format(amount, currency=currency)

"""How an amount of money is shown: in the configured currency, the way the user's language
writes numbers ("€5,000.00" in English, "€ 5.000,00" in Dutch)."""

from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import pgettext

# Symbols for the currencies people here deal in; any other shows its ISO code ("CHF 12.00").
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def currency_symbol(code: str | None = None) -> str:
    """The symbol of a currency, the configured one (settings.CURRENCY) unless named."""
    code = (code or settings.CURRENCY).upper()
    return CURRENCY_SYMBOLS.get(code, code)


AMOUNT_PLACE = "{amount}"


def money_pattern(currency: str | None = None) -> str:
    """How the user's language writes an amount of the currency, AMOUNT_PLACE standing for the
    figure: "€{amount}" in English (the running totals of the forms write theirs with it)."""
    symbol = currency_symbol(currency)
    if symbol not in CURRENCY_SYMBOLS.values():
        # An ISO code stands apart from the figure in either language: "CHF 12.00".
        return f"{symbol}\u00a0{AMOUNT_PLACE}"
    # Translators: where the currency symbol goes; Dutch writes "€ 1.234,56" (with a
    # non-breaking space).
    return pgettext("money", "%(symbol)s%(amount)s") % {"symbol": symbol, "amount": AMOUNT_PLACE}


def money_format(amount: Decimal | int | None, *, currency: str | None = None) -> str:
    """An amount with two decimals, grouped thousands and its currency; "" for no amount."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    number = number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    text = money_pattern(currency).replace(AMOUNT_PLACE, number)
    return f"-{text}" if amount < 0 else text

"""Every amount is shown one way: with its currency, in the number format of the language."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from common.money import money_format


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("en-gb", Decimal("5000"), "€5,000.00"),
        ("en-gb", Decimal("1234.5"), "€1,234.50"),
        ("en-gb", Decimal("-12.3"), "-€12.30"),
        ("en-gb", Decimal("0"), "€0.00"),
        ("nl", Decimal("5000"), "€\u00a05.000,00"),
        ("nl", Decimal("1234567.891"), "€\u00a01.234.567,89"),
        ("nl", Decimal("-12.3"), "-€\u00a012,30"),
    ],
)
def test_an_amount_shows_its_currency_in_the_language_of_the_page(language, amount, shown):
    with translation.override(language):
        assert money_format(amount) == shown


def test_no_amount_shows_nothing():
    assert money_format(None) == ""


def test_the_currency_is_configurable(settings):
    settings.CURRENCY = "USD"
    with translation.override("en-gb"):
        assert money_format(Decimal("10")) == "$10.00"
    settings.CURRENCY = "CHF"
    with translation.override("nl"):
        assert money_format(Decimal("1000")) == "CHF\u00a01.000,00"


def test_the_template_filter_is_there_without_a_load():
    """Templates write {{ amount|money }}: the filter is a builtin, like {% translate %}."""
    template = Template("{{ amount|money }}|{{ none|money }}")
    with translation.override("nl"):
        assert template.render(Context({"amount": Decimal("1234.56"), "none": None})) == (
            "€\u00a01.234,56|"
        )

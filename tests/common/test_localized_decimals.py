"""Amounts are typed the way the user's language writes them, and nonsense is still refused."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from common.forms import FiniteDecimalField


def field() -> FiniteDecimalField:
    return FiniteDecimalField(max_digits=14, decimal_places=2, required=False)


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        ("nl", "1.234,56", Decimal("1234.56")),
        ("nl", "10,50", Decimal("10.50")),
        ("nl", "25000", Decimal("25000")),
        ("en-gb", "1,234.56", Decimal("1234.56")),
        ("en-gb", "10.50", Decimal("10.50")),
    ],
)
def test_a_localized_amount_is_read(language, typed, value):
    with translation.override(language):
        assert field().clean(typed) == value


@pytest.mark.parametrize("language", ["nl", "en-gb"])
@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "-Infinity", "12abc", "abc"])
def test_nonsense_is_refused_in_either_language(language, typed):
    with translation.override(language), pytest.raises(Exception) as refused:
        field().clean(typed)
    assert refused.type.__name__ == "ValidationError"


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        # A Dutch decimal comma typed on the English pages: refused, not read as 123456.
        ("en-gb", "1234,56"),
        ("en-gb", "10,50"),
        ("en-gb", "1,23,456.00"),
        ("nl", "1.23.456,00"),
        # An exponent in an amount is a typing slip, not 1500.
        ("nl", "1,5e3"),
        ("en-gb", "1.5E3"),
        # Decimal() reads these; an amount box should not.
        ("en-gb", "1_000"),
        ("nl", "\u0661\u0662\u0663"),
    ],
)
def test_misplaced_separators_and_exponents_are_refused(language, typed):
    with translation.override(language), pytest.raises(Exception) as refused:
        field().clean(typed)
    assert refused.type.__name__ == "ValidationError"


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        ("en-gb", "1,234,567.50", Decimal("1234567.50")),
        ("nl", "-1.234.567,50", -Decimal("1234567.50")),
    ],
)
def test_grouped_millions_are_read(language, typed, value):
    with translation.override(language):
        assert FiniteDecimalField(max_digits=14, decimal_places=2).clean(typed) == value


@pytest.mark.parametrize(("language", "shown"), [("nl", "1.234,56"), ("en-gb", "1,234.56")])
def test_a_stored_amount_is_shown_back_in_the_box_the_same_way(language, shown):
    class AmountForm(forms.Form):
        amount = field()

    with translation.override(language):
        box = str(AmountForm(initial={"amount": Decimal("1234.56")})["amount"])
    assert f'value="{shown}"' in box


@pytest.mark.parametrize(
    ("language", "typed", "limit"),
    [("nl", "0,001", "0,01"), ("en-gb", "0.001", "0.01"), ("nl", "10.000,5", "9.999,99")],
)
def test_a_limit_is_written_as_the_language_writes_numbers(language, typed, limit):
    """A Dutch tester typed 0,001 and read "minstens 0.01"."""
    box = FiniteDecimalField(
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0.01"),
        max_value=Decimal("9999.99"),
    )
    with translation.override(language), pytest.raises(forms.ValidationError) as refused:
        box.clean(typed)
    with translation.override(language):
        assert limit in refused.value.messages[0]

"""The credit check on its own: figures in, decision and reason out."""

from decimal import Decimal as D

import pytest

from sales.credit import ACCEPTED, BLOCKED, PENDING_APPROVAL, credit_check, quote_credit_warning


def check(**overrides):
    values = {
        "order_value": D("300.00"),
        "prepaid": False,
        "credit_hold": False,
        "credit_limit": D("1000.00"),
        "exposure": D("500.00"),
    }
    return credit_check(**(values | overrides))


def test_within_the_limit_is_accepted_with_the_figures():
    decision = check()
    assert decision.status == ACCEPTED
    assert decision.reason == (
        "Accepted: open exposure 500.00 + this order 300.00 = 800.00, within the credit limit "
        "of 1,000.00 (200.00 left)."
    )
    assert (decision.exposure, decision.credit_limit) == (D("500.00"), D("1000.00"))


def test_exactly_at_the_limit_is_accepted():
    assert check(order_value=D("500.00")).status == ACCEPTED


def test_one_cent_above_the_limit_needs_approval():
    decision = check(order_value=D("500.01"))
    assert decision.status == PENDING_APPROVAL
    assert "500.00 + this order 500.01 = 1,000.01" in decision.reason
    assert "0.01 above the credit limit of 1,000.00" in decision.reason


def test_an_order_alone_above_the_limit_needs_approval():
    assert check(exposure=D("0"), order_value=D("1500")).status == PENDING_APPROVAL


def test_no_limit_means_no_limit():
    decision = check(credit_limit=None, order_value=D("9999999.99"))
    assert decision.status == ACCEPTED
    assert decision.reason == "Accepted: the account has no credit limit."


def test_a_zero_limit_is_a_limit():
    assert check(credit_limit=D("0"), exposure=D("0")).status == PENDING_APPROVAL


def test_credit_hold_blocks_an_order_that_is_not_prepaid():
    decision = check(credit_hold=True, credit_limit=None)
    assert decision.status == BLOCKED
    assert "credit hold" in decision.reason and "not prepaid" in decision.reason


def test_credit_hold_lets_a_prepaid_order_through():
    decision = check(credit_hold=True, prepaid=True)
    assert decision.status == ACCEPTED
    assert "on credit hold, but the order is prepaid" in decision.reason


def test_a_prepaid_order_above_the_limit_is_accepted_and_says_why():
    """A prepaid order extends no credit, so the limit does not apply to it."""
    decision = check(prepaid=True, order_value=D("600"))
    assert decision.status == ACCEPTED
    assert decision.reason == (
        "Accepted: the order is prepaid, so it uses no credit (open exposure 500.00, "
        "this order 600.00, credit limit 1,000.00)."
    )


def test_a_prepaid_order_on_hold_above_the_limit_is_accepted():
    decision = check(credit_hold=True, prepaid=True, order_value=D("600"))
    assert decision.status == ACCEPTED
    assert decision.reason.endswith(
        "credit limit 1,000.00). The account is on credit hold, but the order is prepaid."
    )


def test_a_prepaid_order_without_a_limit_says_so():
    decision = check(prepaid=True, credit_limit=None)
    assert decision.reason == (
        "Accepted: the order is prepaid, so it uses no credit (open exposure 500.00, "
        "this order 300.00, no credit limit)."
    )


def test_hold_decides_before_the_limit():
    assert check(credit_hold=True, order_value=D("5000")).status == BLOCKED


@pytest.mark.parametrize(
    ("hold", "value", "expected"),
    [
        (True, D("1"), "credit hold"),
        (False, D("600"), "would pass the credit limit"),
        (False, D("100"), ""),
    ],
)
def test_quote_warning(hold, value, expected):
    warning = quote_credit_warning(
        quote_value=value, credit_hold=hold, credit_limit=D("1000"), exposure=D("500")
    )
    assert (expected in warning) if expected else warning == ""


def test_a_quote_on_hold_and_over_the_limit_warns_of_both():
    warning = quote_credit_warning(
        quote_value=D("600"), credit_hold=True, credit_limit=D("1000"), exposure=D("500")
    )
    assert "The customer is on credit hold" in warning
    assert "would pass the credit limit" in warning
    assert "100.00 above the credit limit of 1,000.00" in warning

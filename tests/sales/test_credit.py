"""The credit check on its own: figures in, decision and reason out."""

from decimal import Decimal as D

import pytest

from sales.credit import (
    NOT_PREPAID,
    PREPAYMENT_CLAIMED,
    PREPAYMENT_CONFIRMED,
    PREPAYMENT_REFUSED,
    credit_check,
    quote_credit_warning,
)
from sales.statuses import OrderStatus

ACCEPTED, AWAITING_PREPAYMENT, BLOCKED, PENDING_APPROVAL = (
    OrderStatus.ACCEPTED,
    OrderStatus.AWAITING_PREPAYMENT,
    OrderStatus.BLOCKED,
    OrderStatus.PENDING_APPROVAL,
)


def check(**overrides):
    values = {
        "order_value": D("300.00"),
        "prepayment": NOT_PREPAID,
        "credit_hold": False,
        "credit_limit": D("1000.00"),
        "exposure": D("500.00"),
    }
    return credit_check(**(values | overrides))


def test_within_the_limit_is_accepted_with_the_figures():
    decision = check()
    assert decision.status == ACCEPTED
    assert decision.reason == (
        "Accepted: open exposure €500.00 + this order €300.00 = €800.00, within the credit limit "
        "of €1,000.00 (€200.00 left)."
    )
    assert (decision.exposure, decision.credit_limit) == (D("500.00"), D("1000.00"))


def test_exactly_at_the_limit_is_accepted():
    assert check(order_value=D("500.00")).status == ACCEPTED


def test_one_cent_above_the_limit_needs_approval():
    decision = check(order_value=D("500.01"))
    assert decision.status == PENDING_APPROVAL
    assert "€500.00 + this order €500.01 = €1,000.01" in decision.reason
    assert "€0.01 above the credit limit of €1,000.00" in decision.reason


def test_an_order_alone_above_the_limit_needs_approval():
    assert check(exposure=D("0"), order_value=D("1500")).status == PENDING_APPROVAL


def test_no_limit_means_no_limit():
    decision = check(credit_limit=None, order_value=D("9999999.99"))
    assert decision.status == ACCEPTED
    assert decision.reason == "Accepted: the account has no credit limit."


def test_a_zero_limit_is_a_limit():
    assert check(credit_limit=D("0"), exposure=D("0")).status == PENDING_APPROVAL


def test_credit_hold_blocks_an_order_that_is_not_prepaid_and_says_with_what_figures():
    decision = check(credit_hold=True)
    assert decision.status == BLOCKED
    assert decision.reason == (
        "Blocked: the account is on credit hold and this order of €300.00 is not prepaid "
        "(open exposure €500.00, credit limit €1,000.00)."
    )


def test_a_blocked_order_without_a_limit_says_so():
    assert check(credit_hold=True, credit_limit=None).reason.endswith(
        "(open exposure €500.00, no credit limit)."
    )


def test_hold_decides_before_the_limit():
    assert check(credit_hold=True, order_value=D("5000")).status == BLOCKED


# --- prepaid: a claim until Accounting confirms it --------------------------------------------


def test_the_issue_case_a_prepaid_tick_on_hold_waits_for_accounting():
    """An account on hold with a limit of 10: a 60,500 order ticked prepaid is not accepted."""
    decision = check(
        prepayment=PREPAYMENT_CLAIMED,
        credit_hold=True,
        credit_limit=D("10.00"),
        exposure=D("0"),
        order_value=D("60500.00"),
    )
    assert decision.status == AWAITING_PREPAYMENT
    assert not decision.accepted
    assert decision.reason == (
        "Waiting for Accounting to confirm the prepayment of this order of €60,500.00: a prepaid "
        "order is accepted once the money has been received. If it is not received: Blocked: "
        "the account is on credit hold and this order of €60,500.00 is not prepaid (open "
        "exposure €0.00, credit limit €10.00)."
    )


def test_a_prepaid_tick_above_the_limit_waits_too_and_says_approval_would_be_needed():
    """Not on hold: the tick alone does not bypass the limit either."""
    decision = check(prepayment=PREPAYMENT_CLAIMED, order_value=D("600"))
    assert decision.status == AWAITING_PREPAYMENT
    assert decision.reason.endswith(
        "If it is not received: Needs Management's approval: open exposure €500.00 + this order "
        "€600.00 = €1,100.00, which is €100.00 above the credit limit of €1,000.00."
    )


@pytest.mark.parametrize("limit", [D("1000.00"), None])
def test_a_prepaid_tick_within_the_limit_or_without_one_waits_as_well(limit):
    """One rule for every prepaid order: the money is received before it is accepted."""
    decision = check(prepayment=PREPAYMENT_CLAIMED, credit_limit=limit)
    assert decision.status == AWAITING_PREPAYMENT
    assert decision.reason.endswith("If it is not received: " + check(credit_limit=limit).reason)


def test_a_confirmed_prepayment_on_hold_above_the_limit_is_accepted_and_says_why():
    decision = check(
        prepayment=PREPAYMENT_CONFIRMED,
        credit_hold=True,
        credit_limit=D("10.00"),
        exposure=D("0"),
        order_value=D("60500.00"),
    )
    assert decision.status == ACCEPTED
    assert decision.reason == (
        "Accepted: Accounting confirmed the prepayment, so the order uses no credit (open "
        "exposure €0.00, this order €60,500.00, credit limit €10.00). The account is on credit "
        "hold, but the order is prepaid."
    )


def test_a_confirmed_prepayment_above_the_limit_is_accepted():
    """A confirmed prepayment extends no credit, so the limit does not apply to it."""
    decision = check(prepayment=PREPAYMENT_CONFIRMED, order_value=D("600"))
    assert decision.status == ACCEPTED
    assert decision.reason == (
        "Accepted: Accounting confirmed the prepayment, so the order uses no credit (open "
        "exposure €500.00, this order €600.00, credit limit €1,000.00)."
    )


def test_a_confirmed_prepayment_without_a_limit_says_so():
    decision = check(prepayment=PREPAYMENT_CONFIRMED, credit_limit=None)
    assert decision.reason.endswith("(open exposure €500.00, this order €300.00, no credit limit).")


@pytest.mark.parametrize(
    ("hold", "value", "status", "reason_start"),
    [
        (True, D("300"), BLOCKED, "Blocked: the account is on credit hold"),
        (False, D("600"), PENDING_APPROVAL, "Needs Management's approval: open exposure €500.00"),
        (False, D("300"), ACCEPTED, "Accepted: open exposure €500.00 + this order €300.00"),
    ],
)
def test_a_refused_prepayment_falls_back_to_the_normal_check(hold, value, status, reason_start):
    decision = check(prepayment=PREPAYMENT_REFUSED, credit_hold=hold, order_value=value)
    assert decision.status == status
    assert decision.reason.startswith(
        "The prepayment was not received, so the order is checked on credit: " + reason_start
    )


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
    assert "€100.00 above the credit limit of €1,000.00" in warning

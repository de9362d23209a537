"""The credit check of an order: a pure function of figures, so it is easy to test and to trust.

The rules (from the accounting department's wiki):

1. An account on credit hold gets no order accepted unless the order is prepaid: *blocked*.
2. A prepaid order extends no credit, since the customer pays before delivery: it is *accepted*,
   whatever the hold, the limit or the exposure, and the reason shows the figures all the same.
3. If the account's exposure (accepted orders not yet invoiced and not prepaid, plus every unpaid
   invoice) plus this order is above the credit limit, Management must approve it:
   *pending approval*. Exactly at the limit is still within it. No limit set means no
   limit.
4. Otherwise the order is *accepted*.
"""

from dataclasses import dataclass
from decimal import Decimal

# The values match sales.models.Order.Status, kept here as plain strings so this module
# needs neither the database nor Django.
ACCEPTED = "accepted"
PENDING_APPROVAL = "pending_approval"
BLOCKED = "blocked"


def money(value: Decimal) -> str:
    """1234.5 → "1,234.50"."""
    return f"{value:,.2f}"


@dataclass(frozen=True)
class CreditDecision:
    """What the credit check decided, and why, in words with the figures."""

    status: str
    reason: str
    exposure: Decimal
    credit_limit: Decimal | None

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED


def credit_check(
    *,
    order_value: Decimal,
    prepaid: bool,
    credit_hold: bool,
    credit_limit: Decimal | None,
    exposure: Decimal,
) -> CreditDecision:
    """Decide whether an order is accepted, needs Management's approval, or is blocked.

    `exposure` is what the account owes already, without this order. All amounts are Decimal.
    """
    figures = {"exposure": exposure, "credit_limit": credit_limit}
    if credit_hold and not prepaid:
        return CreditDecision(
            status=BLOCKED,
            reason="Blocked: the account is on credit hold and the order is not prepaid.",
            **figures,
        )
    hold_note = " The account is on credit hold, but the order is prepaid." if credit_hold else ""
    if prepaid:
        limit_text = (
            "no credit limit" if credit_limit is None else f"credit limit {money(credit_limit)}"
        )
        return CreditDecision(
            status=ACCEPTED,
            reason=(
                f"Accepted: the order is prepaid, so it uses no credit (open exposure "
                f"{money(exposure)}, this order {money(order_value)}, {limit_text}).{hold_note}"
            ),
            **figures,
        )
    if credit_limit is None:
        return CreditDecision(
            status=ACCEPTED,
            reason=f"Accepted: the account has no credit limit.{hold_note}",
            **figures,
        )
    after = exposure + order_value
    sum_text = f"open exposure {money(exposure)} + this order {money(order_value)} = {money(after)}"
    if after > credit_limit:
        return CreditDecision(
            status=PENDING_APPROVAL,
            reason=(
                f"Needs Management's approval: {sum_text}, which is {money(after - credit_limit)} "
                f"above the credit limit of {money(credit_limit)}.{hold_note}"
            ),
            **figures,
        )
    return CreditDecision(
        status=ACCEPTED,
        reason=(
            f"Accepted: {sum_text}, within the credit limit of {money(credit_limit)} "
            f"({money(credit_limit - after)} left).{hold_note}"
        ),
        **figures,
    )


def quote_credit_warning(
    *, quote_value: Decimal, credit_hold: bool, credit_limit: Decimal | None, exposure: Decimal
) -> str:
    """A warning for a quote whose order would not be accepted straight away, or "".

    An account both on credit hold and over its limit gets both warnings.
    """
    warnings = []
    if credit_hold:
        warnings.append(
            "The customer is on credit hold: an order for this quote is only accepted if it is "
            "prepaid."
        )
    decision = credit_check(
        order_value=quote_value,
        prepaid=False,
        credit_hold=False,
        credit_limit=credit_limit,
        exposure=exposure,
    )
    if decision.status == PENDING_APPROVAL:
        warnings.append("An order for this quote would pass the credit limit. " + decision.reason)
    return " ".join(warnings)

"""The credit check of an order: a pure function of figures, so it is easy to test and to trust.

The rules (from the accounting department's wiki), each with the figures its reason gives. The
examples use an account with a credit limit of 1,000.00 and an open exposure of 500.00.

1. *Prepaid is a claim until Accounting confirms it.* Sales ticks "prepaid"; the order then waits
   for Accounting to confirm that the money has been received: *awaiting prepayment*, whatever
   the hold, the limit or the exposure. This holds for an account that is not on hold too:
   otherwise ticking the box would still bypass the credit limit. The reason says what the
   normal check would decide should the money not arrive ("Waiting for Accounting to confirm
   the prepayment of this order of 600.00 ... If it is not received: Needs Management's
   approval: open exposure 500.00 + this order 600.00 = 1,100.00, which is 100.00 above the
   credit limit of 1,000.00."). While it waits the order is not accepted, so it counts in no
   exposure and cannot be invoiced.
2. *A confirmed prepayment uses no credit*: the order is *accepted*, on credit hold too and
   above the limit ("Accepted: Accounting confirmed the prepayment, so the order uses no credit
   (open exposure 500.00, this order 600.00, credit limit 1,000.00)."). It stays out of the
   exposure until it is invoiced; an unpaid invoice always counts.
3. *A refused prepayment* (the money did not arrive) falls back to the normal check, rules 4 to
   6, with the order no longer prepaid; the reason starts "The prepayment was not received".
4. An account on credit hold gets no order accepted unless its prepayment is confirmed:
   *blocked* ("Blocked: the account is on credit hold and this order of 300.00 is not
   prepaid (open exposure 500.00, credit limit 1,000.00).").
5. If the account's exposure (accepted orders not yet invoiced, except those whose prepayment
   was confirmed, plus every unpaid invoice) plus this order is above the credit limit,
   Management must approve it: *pending approval* ("open exposure 500.00 + this order 600.00 =
   1,100.00, which is 100.00 above the credit limit of 1,000.00"). Exactly at the limit is still
   within it. No limit set means no limit.
6. Otherwise the order is *accepted* ("open exposure 500.00 + this order 300.00 = 800.00, within
   the credit limit of 1,000.00 (200.00 left)").

A partly prepaid order is not modelled: an order is prepaid in full or not at all.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from common.money import money_format
from sales.statuses import OrderStatus

# Where the order's prepayment stands: not prepaid, ticked by Sales (a claim), confirmed by
# Accounting, or refused by Accounting just now (the money did not arrive).
NOT_PREPAID = "not_prepaid"
PREPAYMENT_CLAIMED = "claimed"
PREPAYMENT_CONFIRMED = "confirmed"
PREPAYMENT_REFUSED = "refused"


def money(value: Decimal) -> str:
    """1234.5 → "€1,234.50" (English), "€ 1.234,50" (Dutch): common.money."""
    return money_format(value)


@dataclass(frozen=True)
class CreditDecision:
    """What the credit check decided, and why, in words with the figures."""

    status: OrderStatus
    reason: str
    exposure: Decimal
    credit_limit: Decimal | None

    @property
    def accepted(self) -> bool:
        return self.status == OrderStatus.ACCEPTED


def _limit_text(credit_limit: Decimal | None) -> str:
    if credit_limit is None:
        return _("no credit limit")
    return _("credit limit %(limit)s") % {"limit": money(credit_limit)}


def _unprepaid_check(
    *,
    order_value: Decimal,
    credit_hold: bool,
    credit_limit: Decimal | None,
    exposure: Decimal,
) -> tuple[OrderStatus, str]:
    """Rules 4 to 6: the status and reason of an order that is not prepaid."""
    if credit_hold:
        return OrderStatus.BLOCKED, _(
            "Blocked: the account is on credit hold and this order of %(value)s is not prepaid "
            "(open exposure %(exposure)s, %(limit)s)."
        ) % {
            "value": money(order_value),
            "exposure": money(exposure),
            "limit": _limit_text(credit_limit),
        }
    if credit_limit is None:
        return OrderStatus.ACCEPTED, _("Accepted: the account has no credit limit.")
    after = exposure + order_value
    figures = {
        "exposure": money(exposure),
        "value": money(order_value),
        "after": money(after),
        "limit": money(credit_limit),
    }
    if after > credit_limit:
        return OrderStatus.PENDING_APPROVAL, _(
            "Needs Management's approval: open exposure %(exposure)s + this order %(value)s = "
            "%(after)s, which is %(over)s above the credit limit of %(limit)s."
        ) % {**figures, "over": money(after - credit_limit)}
    return OrderStatus.ACCEPTED, _(
        "Accepted: open exposure %(exposure)s + this order %(value)s = %(after)s, within the "
        "credit limit of %(limit)s (%(left)s left)."
    ) % {**figures, "left": money(credit_limit - after)}


def credit_check(
    *,
    order_value: Decimal,
    prepayment: str,
    credit_hold: bool,
    credit_limit: Decimal | None,
    exposure: Decimal,
) -> CreditDecision:
    """Decide whether an order is accepted, waits for its prepayment or for Management's
    approval, or is blocked.

    `prepayment` is one of NOT_PREPAID, PREPAYMENT_CLAIMED, PREPAYMENT_CONFIRMED and
    PREPAYMENT_REFUSED. `exposure` is what the account owes already, without this order. All
    amounts are Decimal.
    """
    if prepayment == PREPAYMENT_CONFIRMED:
        hold_note = (
            " " + _("The account is on credit hold, but the order is prepaid.")
            if credit_hold
            else ""
        )
        reason = _(
            "Accepted: Accounting confirmed the prepayment, so the order uses no credit (open "
            "exposure %(exposure)s, this order %(value)s, %(limit)s)."
        ) % {
            "exposure": money(exposure),
            "value": money(order_value),
            "limit": _limit_text(credit_limit),
        }
        return CreditDecision(
            status=OrderStatus.ACCEPTED,
            reason=reason + hold_note,
            exposure=exposure,
            credit_limit=credit_limit,
        )
    status, reason = _unprepaid_check(
        order_value=order_value,
        credit_hold=credit_hold,
        credit_limit=credit_limit,
        exposure=exposure,
    )
    if prepayment == PREPAYMENT_CLAIMED:
        reason = _(
            "Waiting for Accounting to confirm the prepayment of this order of %(value)s: a "
            "prepaid order is accepted once the money has been received. If it is not "
            "received: %(fallback)s"
        ) % {"value": money(order_value), "fallback": reason}
        return CreditDecision(
            status=OrderStatus.AWAITING_PREPAYMENT,
            reason=reason,
            exposure=exposure,
            credit_limit=credit_limit,
        )
    if prepayment == PREPAYMENT_REFUSED:
        reason = _("The prepayment was not received, so the order is checked on credit: ") + reason
    return CreditDecision(
        status=status, reason=reason, exposure=exposure, credit_limit=credit_limit
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
            _(
                "The customer is on credit hold: an order for this quote is only accepted if it "
                "is prepaid, once Accounting confirms the money has been received."
            )
        )
    decision = credit_check(
        order_value=quote_value,
        prepayment=NOT_PREPAID,
        credit_hold=False,
        credit_limit=credit_limit,
        exposure=exposure,
    )
    if decision.status == OrderStatus.PENDING_APPROVAL:
        warnings.append(
            _("An order for this quote would pass the credit limit.") + " " + decision.reason
        )
    return " ".join(warnings)


def credit_hold_warning(*, customer_name: str, reason: str) -> str:
    """What the order form says before an order for a customer on credit hold is submitted."""
    return _(
        "%(name)s is on credit hold (reason: %(reason)s): this order will be blocked unless it "
        "is prepaid; Accounting confirms a prepayment."
    ) % {"name": customer_name, "reason": reason or _("none recorded")}

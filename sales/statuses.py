"""The statuses of quotes and orders, in one place.

The models use them as their `Status`, their database constraints are built from them, and the
credit check (a pure rule that needs no models) decides in them. The moves between them are the
models' `TRANSITIONS`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class OrderStatus(models.TextChoices):
    AWAITING_PREPAYMENT = "awaiting_prepayment", _("Awaiting prepayment")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    BLOCKED = "blocked", _("Blocked")
    INVOICED = "invoiced", _("Invoiced")
    CANCELLED = "cancelled", _("Cancelled")


class PrepaymentDecisionKind(models.TextChoices):
    """Accounting's word on a prepaid order."""

    CONFIRMED = "confirmed", _("Prepayment confirmed")
    REFUSED = "refused", _("Prepayment not received")

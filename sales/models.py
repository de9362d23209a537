"""Quotes, orders, their approval and invoices.

Totals are stored on each document (computed by the services from its lines), so lists of many
thousands of documents need no aggregation.
"""

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.languages import in_every_language
from common.typing import StrOrPromise
from sales import credit, totals
from sales.statuses import OrderStatus, PrepaymentDecisionKind, QuoteStatus

if TYPE_CHECKING:
    from accounts.models import Address

DEFAULT_VAT_RATE = Decimal("21.00")
PAYMENT_TERM_DAYS = 30
ZERO = Decimal("0")


class TransitionNotAllowed(ValidationError):
    """A document was asked to move to a status it cannot reach from where it is."""


class DocumentSequence(models.Model):
    """The last number given out for one kind of document; locked while a number is taken."""

    name = models.CharField(max_length=20, primary_key=True, verbose_name=_("name"))
    last_number = models.PositiveBigIntegerField(default=0, verbose_name=_("last number"))

    def __str__(self) -> str:
        return f"{self.name}: {self.last_number}"


class DocumentLine(models.Model):
    """A line of a quote or order: description, quantity, unit price and discount."""

    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    description = models.CharField(max_length=200, verbose_name=_("description"))
    quantity = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        verbose_name=_("quantity"),
    )
    unit_price = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        verbose_name=_("unit price"),
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def amount(self) -> Decimal:
        return totals.line_amount(
            quantity=self.quantity,
            unit_price=self.unit_price,
            discount_percent=self.discount_percent,
        )


def _line_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(quantity__gt=0),
            name=f"{prefix}_quantity_positive",
            violation_error_message=_("The quantity must be more than zero."),
        ),
        models.CheckConstraint(
            condition=Q(unit_price__gte=0),
            name=f"{prefix}_unit_price_not_negative",
            violation_error_message=_("The unit price cannot be negative."),
        ),
        models.CheckConstraint(
            condition=Q(discount_percent__gte=0, discount_percent__lte=100),
            name=f"{prefix}_discount_0_100",
            violation_error_message=_("The discount is a percentage from 0 to 100."),
        ),
    ]


def _address_shown(address: "Address | None", as_issued: str) -> str:
    """An address on a document: the copy kept as issued, which is in the writer's language,
    unless the address is still as issued, then as the CRM has it in the reader's."""
    if address is None:
        return as_issued
    if not as_issued or as_issued in in_every_language(lambda: [str(address)]):
        return str(address)
    return as_issued


class SalesDocument(models.Model):
    """What quotes and orders share: parties, addresses, VAT and totals."""

    # Each document names its statuses, the moves between them and the words for a refused
    # move (see set_status), and has its own status field with Django's display method.
    Status: ClassVar[type[models.TextChoices]]
    TRANSITIONS: ClassVar[Mapping[str, AbstractSet[models.TextChoices]]]
    STATE_WORDS: ClassVar[Mapping[str, StrOrPromise]]
    MOVE_WORDS: ClassVar[Mapping[str, StrOrPromise]]
    status: models.CharField
    get_status_display: Callable[[], str]

    number = models.CharField(max_length=20, unique=True, editable=False, verbose_name=_("number"))
    # The one-time key of the form that wrote it: that form posted again (Back, then Submit)
    # finds this document rather than writing a second one (sales.services.AlreadySubmitted).
    submission = models.UUIDField(
        null=True, blank=True, unique=True, editable=False, verbose_name=_("form key")
    )
    customer = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("customer"),
    )
    seller_account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seller"),
    )
    seller_contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seller contact"),
    )
    invoice_address = models.ForeignKey(
        "accounts.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoice address"),
    )
    delivery_address = models.ForeignKey(
        "accounts.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery address"),
    )
    # The parties as issued (an order when submitted, a quote when sent): the document keeps
    # showing them when the contact or address is later changed or deleted. Blank on a draft.
    seller_contact_name = models.CharField(
        _("seller contact as issued"), max_length=201, blank=True
    )
    invoice_address_text = models.TextField(_("invoice address as issued"), blank=True)
    delivery_address_text = models.TextField(_("delivery address as issued"), blank=True)
    vat_rate = models.DecimalField(
        _("VAT %"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_VAT_RATE,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    subtotal = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO, editable=False, verbose_name=_("subtotal")
    )
    vat_amount = models.DecimalField(
        _("VAT"), max_digits=14, decimal_places=2, default=ZERO, editable=False
    )
    total = models.DecimalField(
        max_digits=14, decimal_places=2, default=ZERO, editable=False, verbose_name=_("total")
    )
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created at")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    @property
    def invoice_address_shown(self) -> str:
        return _address_shown(self.invoice_address, self.invoice_address_text)

    @property
    def delivery_address_shown(self) -> str:
        return _address_shown(self.delivery_address, self.delivery_address_text)

    # The pages ask the document what it can do, never compare status strings: next_statuses()
    # lists the moves TRANSITIONS allow from here (as django-oscar's available_statuses()),
    # can_become() checks one, and each model names the actions its page offers.
    def next_statuses(self) -> list[models.TextChoices]:
        """The statuses the document may move to from its status, in the order they are listed."""
        return sorted(self.TRANSITIONS.get(self.status, ()), key=list(self.Status).index)

    def can_become(self, status: str) -> bool:
        """Whether the document's TRANSITIONS allow moving from its status to `status`."""
        return status in self.TRANSITIONS.get(self.status, ())

    def set_status(self, status: str) -> None:
        """Move to `status`, or raise TransitionNotAllowed saying what the document is now.

        "Order O-000003 is invoiced already, so it cannot be cancelled."
        """
        if not self.can_become(status):
            # Pieces that read right in English and Dutch alike ("... en kan dus niet worden
            # geannuleerd"): every state and every move has its words.
            raise TransitionNotAllowed(
                _("%(document)s %(number)s %(state)s, so it cannot %(move)s.")
                % {
                    "document": str(self._meta.verbose_name).capitalize(),
                    "number": self.number,
                    "state": self.STATE_WORDS[self.status],
                    "move": self.MOVE_WORDS[status],
                }
            )
        self.status = status


class Quote(SalesDocument):
    """An offer to a customer. An accepted quote turns into an order in one step."""

    Status = QuoteStatus

    TRANSITIONS = {
        Status.DRAFT: {Status.SENT},
        Status.SENT: {Status.ACCEPTED, Status.REJECTED, Status.EXPIRED},
    }
    # How a refused move names the quote's state and the move (see set_status).
    STATE_WORDS = {
        Status.DRAFT: _("is still a draft"),
        Status.SENT: _("has been sent"),
        Status.ACCEPTED: _("is accepted already"),
        Status.REJECTED: _("was rejected"),
        Status.EXPIRED: _("has expired"),
    }
    MOVE_WORDS = {
        Status.DRAFT: _("go back to draft"),
        Status.SENT: _("be sent"),
        Status.ACCEPTED: _("be accepted"),
        Status.REJECTED: _("be rejected"),
        Status.EXPIRED: _("expire"),
    }

    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, verbose_name=_("status")
    )
    valid_until = models.DateField(null=True, blank=True, verbose_name=_("valid until"))

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-id"], name="quote_status_idx"),
            # Number searches are prefix searches (LIKE 'Q-00%'), which need a pattern index.
            models.Index(
                fields=["number"], name="quote_number_like_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["customer", "-id"], name="quote_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=QuoteStatus.values),
                name="quote_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="quote_vat_rate_0_100"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("sales:quote_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def has_lapsed(self) -> bool:
        """Whether the last day the quote was valid has passed."""
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    def clean(self) -> None:
        # A sent quote keeps the date the customer saw, even once it has passed.
        if self.is_editable and self.has_lapsed:
            raise ValidationError(
                {
                    "valid_until": _(
                        "This date has passed: a quote must be valid until today or later."
                    )
                }
            )

    def set_status(self, status: str) -> None:
        """Move to `status`; a quote past its validity is neither sent nor accepted."""
        if self.has_lapsed and status in (self.Status.SENT, self.Status.ACCEPTED):
            assert self.valid_until is not None  # it has lapsed
            figures = {"quote": self, "date": date_format(self.valid_until, "j F Y")}
            if status == self.Status.SENT:
                raise TransitionNotAllowed(
                    _(
                        "Quote %(quote)s was valid until %(date)s. Set a new validity date before "
                        "sending it."
                    )
                    % figures
                )
            raise TransitionNotAllowed(
                _(
                    "Quote %(quote)s was valid until %(date)s: it can no longer be accepted. Mark "
                    "it expired and write a new quote."
                )
                % figures
            )
        super().set_status(status)

    @property
    def may_become_an_order(self) -> bool:
        """Not rejected or expired: an order for it may still come, so its credit matters."""
        return self.status not in (self.Status.REJECTED, self.Status.EXPIRED)

    @property
    def can_turn_into_order(self) -> bool:
        """An accepted quote turns into an order (once: the service refuses a second)."""
        return self.status == self.Status.ACCEPTED


class QuoteLine(DocumentLine):
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote")
    )

    class Meta(DocumentLine.Meta):
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = _line_constraints("quoteline")


class Order(SalesDocument):
    """A customer's order. On submission the credit check decides its status.

    "Prepaid" is Sales' claim that the customer pays before delivery; it counts only once
    Accounting confirms the money has been received (see sales/credit.py).
    """

    Status = OrderStatus

    TRANSITIONS = {
        # Confirmed: accepted. Not received: the normal credit check decides.
        Status.AWAITING_PREPAYMENT: {
            Status.ACCEPTED,
            Status.PENDING_APPROVAL,
            Status.BLOCKED,
            Status.CANCELLED,
        },
        Status.PENDING_APPROVAL: {Status.ACCEPTED, Status.REJECTED, Status.CANCELLED},
        # A blocked order is checked again once the hold is lifted or the customer prepays.
        Status.BLOCKED: {
            Status.ACCEPTED,
            Status.PENDING_APPROVAL,
            Status.AWAITING_PREPAYMENT,
            Status.CANCELLED,
        },
        Status.ACCEPTED: {Status.INVOICED, Status.CANCELLED},
    }
    # How a refused move names the order's state and the move (see set_status).
    STATE_WORDS = {
        Status.AWAITING_PREPAYMENT: _("is waiting for Accounting to confirm its prepayment"),
        Status.PENDING_APPROVAL: _("is waiting for approval"),
        Status.ACCEPTED: _("is accepted already"),
        Status.REJECTED: _("was rejected"),
        Status.BLOCKED: _("is blocked"),
        Status.INVOICED: _("is invoiced already"),
        Status.CANCELLED: _("is cancelled already"),
    }
    MOVE_WORDS = {
        Status.AWAITING_PREPAYMENT: _("wait for a prepayment"),
        Status.PENDING_APPROVAL: _("go to approval"),
        Status.ACCEPTED: _("be accepted"),
        Status.REJECTED: _("be rejected"),
        Status.BLOCKED: _("be blocked"),
        Status.INVOICED: _("be invoiced"),
        Status.CANCELLED: _("be cancelled"),
    }

    status = models.CharField(max_length=20, choices=Status, verbose_name=_("status"))
    quote = models.OneToOneField(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order",
        verbose_name=_("quote"),
    )
    prepaid = models.BooleanField(
        default=False,
        help_text=_(
            "The customer pays before delivery. Accounting confirms the money has been "
            "received before the order is accepted."
        ),
        verbose_name=_("prepaid"),
    )
    prepayment_confirmed_at = models.DateTimeField(
        _("prepayment confirmed at"), null=True, blank=True, editable=False
    )
    prepayment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("prepayment confirmed by"),
    )
    customer_reference = models.CharField(
        _("customer's purchase order number"), max_length=50, blank=True
    )
    credit_reason = models.TextField(
        _("credit check"),
        blank=True,
        help_text=_("What the credit check decided, with the figures."),
    )
    credit_exposure = models.DecimalField(
        _("exposure at the check"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    credit_limit = models.DecimalField(
        _("credit limit at the check"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # With the two above, what the check was given, so that its reason is written out in the
    # reader's language (credit_reason is in the language of whoever entered the order). Empty
    # on orders checked before these were kept.
    credit_hold_at_check = models.BooleanField(
        _("on credit hold at the check"), null=True, blank=True, editable=False
    )
    credit_prepayment = models.CharField(
        _("prepayment at the check"), max_length=20, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-id"]
        permissions = [
            ("approve_order", "Can approve or reject orders above the credit limit"),
            ("confirm_prepayment", "Can confirm or refuse the prepayment of an order"),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="order_status_idx"),
            models.Index(
                fields=["number"], name="order_number_like_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["customer", "status"], name="order_customer_status_idx"),
            models.Index(fields=["customer", "-id"], name="order_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values),
                name="order_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100), name="order_vat_rate_0_100"
            ),
            models.CheckConstraint(
                condition=Q(prepaid=True) | Q(prepayment_confirmed_at__isnull=True),
                name="order_prepayment_confirmed_only_if_prepaid",
                violation_error_message=_("Only a prepaid order has its prepayment confirmed."),
            ),
            # An order is accepted as prepaid only on Accounting's confirmation, never on the
            # tick alone.
            models.CheckConstraint(
                condition=~Q(
                    status=OrderStatus.ACCEPTED, prepaid=True, prepayment_confirmed_at__isnull=True
                ),
                name="order_accepted_prepaid_is_confirmed",
                violation_error_message=_(
                    "A prepaid order is accepted only once its prepayment is confirmed."
                ),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("sales:order_detail", args=[self.pk])

    @property
    def prepayment_confirmed(self) -> bool:
        return self.prepayment_confirmed_at is not None

    @property
    def prepayment_label(self) -> StrOrPromise:
        """The prepaid column of the lists: "—", "To be confirmed" or "Confirmed"."""
        if not self.prepaid:
            return "—"
        if self.prepayment_confirmed:
            return _("Confirmed")
        return _("To be confirmed")

    @property
    def prepayment_state(self) -> str:
        """Where the prepayment stands, in the credit check's terms."""
        if not self.prepaid:
            return credit.NOT_PREPAID
        if self.prepayment_confirmed:
            return credit.PREPAYMENT_CONFIRMED
        return credit.PREPAYMENT_CLAIMED

    def credit_check_recorded(
        self, *, prepayment: str | None = None
    ) -> credit.CreditDecision | None:
        """The credit check as it ran on the figures it was given (with `prepayment` instead, if
        given); None for an order checked before those were kept."""
        if not self.credit_prepayment or self.credit_exposure is None:
            return None
        return credit.credit_check(
            order_value=self.total,
            prepayment=prepayment or self.credit_prepayment,
            credit_hold=bool(self.credit_hold_at_check),
            credit_limit=self.credit_limit,
            exposure=self.credit_exposure,
        )

    @property
    def credit_reason_shown(self) -> str:
        """What the credit check decided, with its figures, in the reader's language (as stored,
        in the writer's, for an order checked before the figures were kept)."""
        recorded = self.credit_check_recorded()
        return self.credit_reason if recorded is None else recorded.reason

    @property
    def awaits_a_decision(self) -> bool:
        """Not settled yet: waiting for Management, for the prepayment, or blocked."""
        return self.status in (
            self.Status.PENDING_APPROVAL,
            self.Status.AWAITING_PREPAYMENT,
            self.Status.BLOCKED,
        )

    # The moves the pages offer, asked here so no template compares status strings.
    @property
    def awaits_prepayment(self) -> bool:
        """Accounting may confirm the prepayment, or say it was not received."""
        return self.status == self.Status.AWAITING_PREPAYMENT

    @property
    def awaits_approval(self) -> bool:
        """Management may approve or reject it."""
        return self.status == self.Status.PENDING_APPROVAL

    @property
    def can_recheck(self) -> bool:
        """Sales may check a blocked order's credit again."""
        return self.status == self.Status.BLOCKED

    @property
    def can_invoice(self) -> bool:
        return self.can_become(self.Status.INVOICED)

    @property
    def can_cancel(self) -> bool:
        return self.can_become(self.Status.CANCELLED)


class OrderLine(DocumentLine):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )

    class Meta(DocumentLine.Meta):
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = _line_constraints("orderline")


class Approval(models.Model):
    """Management's decision on an order above the credit limit: who, when, what and why."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("order")
    )
    decision = models.CharField(max_length=10, choices=Decision, verbose_name=_("decision"))
    comment = models.TextField(verbose_name=_("comment"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(default=timezone.now, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["-decided_at", "-id"], name="approval_recent_idx")]

    def __str__(self) -> str:
        return f"{self.order}: {self.get_decision_display()}"


class PrepaymentDecision(models.Model):
    """Accounting's word on a prepaid order: the money was received, or it was not."""

    Decision = PrepaymentDecisionKind

    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="prepayment_decisions",
        verbose_name=_("order"),
    )
    decision = models.CharField(max_length=10, choices=Decision, verbose_name=_("decision"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(default=timezone.now, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("prepayment decision")
        verbose_name_plural = _("prepayment decisions")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=PrepaymentDecisionKind.values),
                name="prepaymentdecision_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.get_decision_display()}"


class Invoice(models.Model):
    """The invoice of an accepted order.

    Until it is paid its amount counts in the exposure, a prepaid order's too.
    """

    number = models.CharField(max_length=20, unique=True, editable=False, verbose_name=_("number"))
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="invoice", verbose_name=_("order")
    )
    # Kept beside the order so the exposure finds an account's unpaid invoices by index.
    customer = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("customer"),
    )
    date = models.DateField(verbose_name=_("date"))
    due_date = models.DateField(verbose_name=_("due date"))
    address = models.ForeignKey(
        "accounts.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("address"),
    )
    # The address as printed: an invoice does not change when the account's address does.
    address_text = models.TextField(blank=True, verbose_name=_("address text"))
    amount = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("amount"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created at")
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-id"]
        permissions = [("mark_invoice_paid", "Can mark an invoice paid")]
        indexes = [
            models.Index(
                fields=["customer"],
                condition=Q(paid_at__isnull=True),
                name="invoice_unpaid_customer_idx",
            ),
            models.Index(
                fields=["number"], name="invoice_number_like_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("date")),
                name="invoice_due_after_date",
                violation_error_message=_("The due date cannot be before the invoice date."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sales:invoice_detail", args=[self.pk])

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

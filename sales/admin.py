"""The back office for quotes, orders, invoices and the history of approvals.

Documents are written on the sales pages, where the services apply the rules (numbers, totals,
credit check, approval). Here they are searched and read; the few changes allowed go through the
same services, as admin actions.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext_lazy

from common.admin import (
    NoAddOrDeleteMixin,
    ReadOnlyAdminMixin,
    SafeModelAdmin,
    ServiceSaveAdminMixin,
    money_column,
)
from common.permissions import authenticated_user
from common.typing import StrOrPromise
from sales import services
from sales.models import (
    Approval,
    Invoice,
    Order,
    OrderLine,
    PrepaymentDecision,
    Quote,
    QuoteLine,
)
from users.models import User

DOCUMENT_FIELDS = (
    "number",
    "status",
    *services.PARTY_FIELDS,
    *services.SNAPSHOT_FIELDS,
    "subtotal",
    "vat_amount",
    "total",
    "created_by",
    "created_at",
)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class QuoteLineInline(ReadOnlyInline):
    model = QuoteLine
    fields = ("position", "description", "quantity", "unit_price", "discount_percent")


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = QuoteLineInline.fields


class ApprovalInline(ReadOnlyInline):
    model = Approval
    fields = ("decision", "comment", "decided_by", "decided_at")


class PrepaymentDecisionInline(ReadOnlyInline):
    model = PrepaymentDecision
    fields = ApprovalInline.fields


AdminAction = Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]


def service_action(
    act: Callable[[Any, User], object],
    *,
    description: StrOrPromise,
    permission: str,
    done: StrOrPromise,
) -> AdminAction:
    """An admin action applying a service (`act(row, user)`) to each selected row.

    It says how many were done (`done`, an ngettext_lazy text keyed on "count"), and which rows
    the service refused and why.
    """

    @admin.action(description=description, permissions=[permission])
    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        user = authenticated_user(request)
        for row in queryset:
            try:
                act(row, user)
            except ValidationError as error:
                modeladmin.message_user(request, f"{row}: {error.messages[0]}", messages.ERROR)
            except PermissionDenied as error:
                modeladmin.message_user(request, f"{row}: {error}", messages.ERROR)
            else:
                count += 1
        if count:
            modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)

    return action


class DocumentAdmin(ServiceSaveAdminMixin, NoAddOrDeleteMixin, SafeModelAdmin):
    """New documents come from the sales pages, where numbers, totals and checks are made.

    A change made here goes through a service (`save_through`) instead of saving the whole row
    read before it; a refusal is the form's error, with what was typed kept, and nothing is
    saved (ServiceSaveAdminMixin).
    """

    # Each kind of document shows, filters and keeps read only columns of its own too.
    list_display: tuple[str, ...] = ("number", "customer", "status", "total_shown", "created_at")
    total_shown = money_column("total", gettext_lazy("total"))
    list_select_related = ("customer",)
    list_filter: ClassVar[tuple[str, ...]] = ("status",)
    search_fields = ("number", "customer__name")
    date_hierarchy = "created_at"
    show_full_result_count = False  # Counting 100,000 rows on each page is slow.
    readonly_fields: ClassVar[tuple[str, ...]] = DOCUMENT_FIELDS

    def save_through(self, *, request: HttpRequest, obj: Any, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self.save_through(request=request, obj=obj, values=form.cleaned_data)


@admin.register(Quote)
class QuoteAdmin(DocumentAdmin):
    """A draft's notes and validity may be edited here; a sent quote stays as the customer saw
    it, as on the sales pages."""

    inlines = [QuoteLineInline]
    fields = (*DOCUMENT_FIELDS, "valid_until", "notes")
    actions = ["mark_expired"]

    def get_readonly_fields(self, request: HttpRequest, obj: Quote | None = None) -> Any:
        if obj is not None and obj.is_editable:
            return DOCUMENT_FIELDS
        return self.fields

    def save_through(self, *, request: HttpRequest, obj: Quote, values: dict[str, Any]) -> None:
        # The service locks the quote and refuses one sent since the form was shown.
        services.quote_set_terms(
            quote=obj,
            user=authenticated_user(request),
            valid_until=values.get("valid_until"),
            notes=values.get("notes", ""),
        )

    mark_expired = service_action(
        lambda quote, user: services.quote_set_status(
            quote=quote, status=Quote.Status.EXPIRED, user=user
        ),
        description=gettext_lazy("Mark the selected sent quotes expired"),
        permission="change",
        done=ngettext_lazy(
            "%(count)d quote marked expired.", "%(count)d quotes marked expired.", "count"
        ),
    )


@admin.register(Order)
class OrderAdmin(DocumentAdmin):
    list_display = ("number", "customer", "status", "prepaid", "total_shown", "created_at")
    list_filter = ("status", "prepaid")
    inlines = [OrderLineInline, ApprovalInline, PrepaymentDecisionInline]
    readonly_fields = (
        *DOCUMENT_FIELDS,
        "quote",
        "prepaid",
        "prepayment_confirmed_at",
        "prepayment_confirmed_by",
        "credit_reason",
        "credit_exposure",
        "credit_limit",
    )
    fields = (*readonly_fields, *services.ORDER_DETAIL_FIELDS)
    actions = ["cancel"]

    def save_through(self, *, request: HttpRequest, obj: Order, values: dict[str, Any]) -> None:
        services.order_set_details(
            order=obj,
            user=authenticated_user(request),
            customer_reference=values.get("customer_reference", ""),
            notes=values.get("notes", ""),
        )

    cancel = service_action(
        lambda order, user: services.order_cancel(order=order, user=user),
        description=gettext_lazy("Cancel the selected orders"),
        permission="change",
        done=ngettext_lazy("%(count)d order cancelled.", "%(count)d orders cancelled.", "count"),
    )


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, SafeModelAdmin):
    """Nothing of an invoice is edited here: a payment is recorded by the action, through the
    service, and a save would otherwise write back a whole row read before it."""

    list_display = ("number", "customer", "date", "due_date", "amount_shown", "paid_at")
    amount_shown = money_column("amount", gettext_lazy("amount"))
    list_select_related = ("customer",)
    list_filter = (("paid_at", admin.EmptyFieldListFilter), "date")
    search_fields = ("number", "customer__name", "order__number")
    date_hierarchy = "date"
    show_full_result_count = False
    readonly_fields = (
        "number",
        "order",
        "customer",
        "date",
        "due_date",
        "address_text",
        "amount",
        "paid_at",
        "paid_by",
        "created_by",
        "created_at",
    )
    exclude = ("address",)
    actions = ["mark_paid"]

    def has_mark_paid_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("sales.mark_invoice_paid")

    mark_paid = service_action(
        lambda invoice, user: services.invoice_mark_paid(invoice=invoice, user=user),
        description=gettext_lazy("Mark the selected invoices paid"),
        permission="mark_paid",
        done=ngettext_lazy(
            "%(count)d invoice marked paid.", "%(count)d invoices marked paid.", "count"
        ),
    )


class DecisionHistoryAdmin(ReadOnlyAdminMixin, SafeModelAdmin):
    """Who decided what on an order, when and why: read only. Decisions are taken on the order
    page or the approvals page, where the credit check runs."""

    list_display = ("order", "decision", "decided_by", "decided_at", "comment")
    list_select_related = ("order", "decided_by")
    list_filter = ("decision", "decided_at")
    search_fields = ("order__number", "order__customer__name", "comment")
    date_hierarchy = "decided_at"


@admin.register(Approval)
class ApprovalAdmin(DecisionHistoryAdmin):
    """The history of Management's decisions."""


@admin.register(PrepaymentDecision)
class PrepaymentDecisionAdmin(DecisionHistoryAdmin):
    """The history of Accounting's word on prepaid orders."""

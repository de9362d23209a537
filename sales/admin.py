"""The back office for quotes, orders, invoices and the history of approvals.

Documents are written on the sales pages, where the services apply the rules (numbers, totals,
credit check, approval). Here they are searched and read; the few changes allowed go through the
same services, as admin actions.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin import NoAddOrDeleteMixin, ReadOnlyAdminMixin
from common.admin import SafeModelAdmin
from sales import services
from sales.models import Approval, Invoice, Order, OrderLine, Quote, QuoteLine

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


def _run_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    action: Any,
    done: tuple[str, str],
) -> None:
    """Apply a service to each selected row; say which ones it refused and why."""
    count = 0
    for row in queryset:
        try:
            action(row)
        except ValidationError as error:
            modeladmin.message_user(request, f"{row}: {error.messages[0]}", messages.ERROR)
        except PermissionDenied as error:
            modeladmin.message_user(request, f"{row}: {error}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(
            request, f"{count} {done[0] if count == 1 else done[1]}.", messages.SUCCESS
        )


class DocumentAdmin(NoAddOrDeleteMixin, SafeModelAdmin):
    """New documents come from the sales pages, where numbers, totals and checks are made."""

    list_display = ("number", "customer", "status", "total", "created_at")
    list_select_related = ("customer",)
    list_filter = ("status",)
    search_fields = ("number", "customer__name")
    date_hierarchy = "created_at"
    show_full_result_count = False  # Counting 100,000 rows on each page is slow.
    readonly_fields = DOCUMENT_FIELDS


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

    def save_model(self, request: HttpRequest, obj: Quote, form: Any, change: bool) -> None:
        # Through the service: it locks the quote and refuses one sent since the form was shown.
        try:
            services.quote_set_terms(
                quote=obj,
                user=request.user,
                valid_until=form.cleaned_data.get("valid_until"),
                notes=form.cleaned_data.get("notes", ""),
            )
        except ValidationError as error:
            self.message_user(request, f"{obj}: {error.messages[0]}", messages.ERROR)

    @admin.action(description="Mark the selected sent quotes expired", permissions=["change"])
    def mark_expired(self, request: HttpRequest, queryset: QuerySet[Quote]) -> None:
        _run_each(
            self,
            request,
            queryset,
            lambda q: services.quote_set_status(
                quote=q, status=Quote.Status.EXPIRED, user=request.user
            ),
            ("quote marked expired", "quotes marked expired"),
        )


@admin.register(Order)
class OrderAdmin(DocumentAdmin):
    list_display = ("number", "customer", "status", "prepaid", "total", "created_at")
    list_filter = ("status", "prepaid")
    inlines = [OrderLineInline, ApprovalInline]
    readonly_fields = (
        *DOCUMENT_FIELDS,
        "quote",
        "prepaid",
        "credit_reason",
        "credit_exposure",
        "credit_limit",
    )
    fields = (*readonly_fields, "customer_reference", "notes")
    actions = ["cancel"]

    @admin.action(description="Cancel the selected orders", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        _run_each(
            self,
            request,
            queryset,
            lambda o: services.order_cancel(order=o, user=request.user),
            ("order cancelled", "orders cancelled"),
        )


@admin.register(Invoice)
class InvoiceAdmin(NoAddOrDeleteMixin, SafeModelAdmin):
    list_display = ("number", "customer", "date", "due_date", "amount", "paid_at")
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

    @admin.action(description="Mark the selected invoices paid", permissions=["mark_paid"])
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        _run_each(
            self,
            request,
            queryset,
            lambda i: services.invoice_mark_paid(invoice=i, user=request.user),
            ("invoice marked paid", "invoices marked paid"),
        )


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdminMixin, SafeModelAdmin):
    """The history of Management's decisions: read only."""

    list_display = ("order", "decision", "decided_by", "decided_at", "comment")
    list_select_related = ("order", "decided_by")
    list_filter = ("decision", "decided_at")
    search_fields = ("order__number", "order__customer__name", "comment")
    date_hierarchy = "decided_at"

from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from accounts.models import Account, Address, Contact
from accounts.sellers import account_is_seller
from common.forms import add_service_errors, model_values
from common.ids import parse_id
from common.money import money_pattern
from common.pagination import CappedPaginationMixin
from common.templatetags.form_errors import summary_errors
from common.typing import AuthenticatedHttpRequest
from common.views import ServiceActionView
from sales import credit, selectors, services
from sales.filters import InvoiceFilter, OrderFilter, QuoteFilter
from sales.forms import (
    ApprovalForm,
    DocumentForm,
    LineFormSet,
    OrderForm,
    OrderRecheckForm,
    PrepaymentForm,
    QuoteConvertForm,
    QuoteForm,
    line_values,
)
from sales.models import Invoice, Order, Quote

if TYPE_CHECKING:
    # The mixin below is checked as part of the action views it is mixed into.
    _ActionViewBase = ServiceActionView
else:
    _ActionViewBase = object

DECISION_MESSAGES: dict[str, int] = {
    Order.Status.ACCEPTED: messages.SUCCESS,
    Order.Status.AWAITING_PREPAYMENT: messages.WARNING,
    Order.Status.PENDING_APPROVAL: messages.WARNING,
    Order.Status.BLOCKED: messages.ERROR,
}


def _say_decision(request: HttpRequest, order: Order) -> None:
    level = DECISION_MESSAGES.get(order.status, messages.INFO)
    messages.add_message(
        request,
        level,
        _("Order %(order)s: %(reason)s") % {"order": order, "reason": order.credit_reason_shown},
    )


class DocumentListView(PermissionRequiredMixin, CappedPaginationMixin, FilterView):
    paginate_by = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        # Say whose documents these are, even when the page lists none.
        context["filter_customer"] = form.cleaned_data.get("customer") if form.is_valid() else None
        # Named as the page labels them ("Customer"), not by their parameters ("customer").
        context["filter_errors"] = summary_errors(form)
        return context


class QuoteListView(DocumentListView):
    permission_required = "sales.view_quote"
    filterset_class = QuoteFilter
    template_name = "sales/quote_list.html"

    def get_queryset(self) -> QuerySet[Quote]:
        return selectors.quote_list()


class OrderListView(DocumentListView):
    permission_required = "sales.view_order"
    filterset_class = OrderFilter
    template_name = "sales/order_list.html"

    def get_queryset(self) -> QuerySet[Order]:
        return selectors.order_list()


class InvoiceListView(DocumentListView):
    permission_required = "sales.view_invoice"
    filterset_class = InvoiceFilter
    template_name = "sales/invoice_list.html"

    def get_queryset(self) -> QuerySet[Invoice]:
        return selectors.invoice_list()


class DocumentFormView(PermissionRequiredMixin, View):
    """A quote or order with its lines: the form and the line rows are saved by one service."""

    request: AuthenticatedHttpRequest

    form_class: type[DocumentForm] = QuoteForm
    template_name = "sales/document_form.html"
    document: Quote | None = None

    def get_initial(self) -> dict[str, Any]:
        user = self.request.user
        initial: dict[str, Any] = {"submission": uuid4()}
        # The writer's own CRM link fills in the seller; they may change it. A link made before
        # only Sellers could be linked is left out, or every quote would be refused for it.
        if account_is_seller(account_id=user.crm_account_id):
            initial["seller_account"] = user.crm_account_id
            initial["seller_contact"] = user.crm_contact_id
        customer = parse_id(self.request.GET.get("customer"))
        if customer is not None:
            initial["customer"] = customer
        return initial

    def render_form(self, form: Any, formset: Any) -> HttpResponse:
        context = {
            "form": form,
            "formset": formset,
            "object": self.document,
            "kind": self.form_class._meta.model._meta.model_name,
            # The running totals (static/sales/totals.js) show amounts as the money filter
            # does and read the boxes as their FiniteDecimalFields do, thousands included.
            "number_format": {
                "decimal": get_format("DECIMAL_SEPARATOR"),
                "thousand": get_format("THOUSAND_SEPARATOR"),
                "thousand_in_input": True,
                "money": money_pattern(),
            },
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(
            self.form_class(initial=self.get_initial()), LineFormSet(prefix="lines")
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form_class(request.POST, instance=self.document)
        formset = LineFormSet(request.POST, prefix="lines")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(form, formset)
        try:
            document = self.save(
                model_values(form), line_values(formset), form.cleaned_data.get("submission")
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form, formset)
        except services.AlreadySubmitted as already:
            return self.render_form(self.form_saved_already(already.document), formset)
        return redirect(document)

    def form_saved_already(self, document: Quote | Order) -> DocumentForm:
        """The form posted again (Back, then Submit), as typed: saying what it saved, with a
        new key, so that submitting it once more is a deliberate second document."""
        data = self.request.POST.copy()
        data["submission"] = str(uuid4())
        form = self.form_class(data, instance=self.document)
        form.is_valid()
        form.add_error(
            None,
            format_html(
                _(
                    'This form was saved already, as <a href="{url}">{number}</a>. Submit it '
                    "again only to save another one."
                ),
                url=document.get_absolute_url(),
                number=document.number,
            ),
        )
        return form

    def save(
        self, fields: dict[str, Any], lines: list[dict[str, Any]], submission: UUID | None
    ) -> Any:
        raise NotImplementedError


class QuoteCreateView(DocumentFormView):
    permission_required = "sales.add_quote"

    def save(
        self, fields: dict[str, Any], lines: list[dict[str, Any]], submission: UUID | None
    ) -> Quote:
        quote = services.quote_create(
            user=self.request.user, fields=fields, lines=lines, submission=submission
        )
        messages.success(
            self.request, _("Quote %(quote)s was saved as a draft.") % {"quote": quote}
        )
        return quote


class QuoteUpdateView(DocumentFormView):
    permission_required = "sales.change_quote"
    document: Quote  # found by dispatch, before get or post

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The right first, so an unknown id is refused like a known one.
        if not self.has_permission():
            return self.handle_no_permission()
        self.document = get_object_or_404(Quote.objects.prefetch_related("lines"), pk=kwargs["pk"])
        if not self.document.is_editable:
            messages.error(request, _("Only a draft quote can be changed."))
            return redirect(self.document)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lines = [
            {f: getattr(line, f) for f in services.LINE_FIELDS}
            for line in self.document.lines.all()
        ]
        formset = LineFormSet(prefix="lines", initial=lines)
        formset.extra = 1
        return self.render_form(self.form_class(instance=self.document), formset)

    def save(
        self, fields: dict[str, Any], lines: list[dict[str, Any]], submission: UUID | None
    ) -> Quote:
        # A change saved twice is the same change: only new documents need the form's key.
        quote = services.quote_update(
            quote=self.document, user=self.request.user, fields=fields, lines=lines
        )
        messages.success(self.request, _("Quote %(quote)s was saved.") % {"quote": quote})
        return quote


class OrderCreateView(DocumentFormView):
    permission_required = "sales.add_order"
    form_class = OrderForm

    def save(
        self, fields: dict[str, Any], lines: list[dict[str, Any]], submission: UUID | None
    ) -> Order:
        order = services.order_submit(
            user=self.request.user, fields=fields, lines=lines, submission=submission
        )
        _say_decision(self.request, order)
        return order


class QuoteDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "sales.view_quote"

    def get_queryset(self) -> QuerySet[Quote]:
        return selectors.quote_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        quote: Quote = self.object
        # The selector joined the order the quote became, if any.
        order = getattr(quote, "order", None)
        if quote.may_become_an_order and order is None:
            customer = quote.customer
            context["credit_warning"] = credit.quote_credit_warning(
                quote_value=quote.total,
                credit_hold=customer.credit_hold,
                credit_limit=customer.credit_limit,
                exposure=selectors.account_exposure(account_id=customer.pk),
            )
        context.setdefault("convert_form", QuoteConvertForm())
        context["order"] = order
        return context


class QuoteStatusView(ServiceActionView):
    permission_required = "sales.change_quote"
    model = Quote

    def perform(self) -> str:
        status = self.request.POST.get("status", "")
        if status not in Quote.Status.values:
            raise ValidationError(_("Choose a status."))
        quote = services.quote_set_status(quote=self.object, status=status, user=self.request.user)
        return _("Quote %(quote)s is %(status)s.") % {
            "quote": quote,
            "status": quote.get_status_display().lower(),
        }


class QuoteConvertView(ServiceActionView):
    """The "Turn into an order" button of an accepted quote.

    A refusal shows the quote page again with the form as typed (purchase order number, prepaid
    tick) and the reason beside it, so nothing is lost.
    """

    permission_required = "sales.add_order"
    model = Quote
    form_class = QuoteConvertForm
    form: QuoteConvertForm  # checked by post, before perform
    page_view = QuoteDetailView
    form_context_name = "convert_form"

    def perform(self) -> None:
        self.order = services.quote_convert_to_order(
            quote=self.object, user=self.request.user, **self.form.cleaned_data
        )
        _say_decision(self.request, self.order)

    def get_success_url(self) -> str:
        return self.order.get_absolute_url()


class OrderDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "sales.view_order"
    template_name = "sales/order_detail.html"

    def get_queryset(self) -> QuerySet[Order]:
        return selectors.order_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("approval_form", ApprovalForm())
        context.setdefault("prepayment_form", PrepaymentForm())
        context["recheck_form"] = OrderRecheckForm(initial={"prepaid": self.object.prepaid})
        if self.object.awaits_a_decision:
            exposure = selectors.account_exposure(account_id=self.object.customer_id)
            context["credit_now"] = selectors.credit_reason_now(
                order=self.object, exposure=exposure
            )
        invoice = getattr(self.object, "invoice", None)
        context["invoice"] = invoice
        return context


class ReturnToApprovalsMixin(_ActionViewBase):
    """A decision taken on the Approvals page leads back there, to the next one waiting; a
    refused one shows that page again with the error beside the order and the comment typed."""

    def get_success_url(self) -> str:
        if self._from_approvals():
            return reverse("sales:approval_list")
        return super().get_success_url()

    def form_invalid(self, form: BaseForm) -> HttpResponse:
        if self._from_approvals():
            return render_approvals(
                self.request,
                refused_id=self.object.pk,
                refused={self.form_context_name: form},
            )
        return super().form_invalid(form)

    def _from_approvals(self) -> bool:
        return self.request.POST.get("next") == "approvals"


class OrderCancelView(ServiceActionView):
    permission_required = "sales.change_order"
    model = Order

    def perform(self) -> str:
        order = services.order_cancel(order=self.object, user=self.request.user)
        return _("Order %(order)s was cancelled.") % {"order": order}


class OrderRecheckView(ServiceActionView):
    """Checks a blocked order's credit again, after the hold was lifted or it is prepaid."""

    permission_required = "sales.change_order"
    model = Order

    def perform(self) -> None:
        # A tick box: any post is valid, and no tick means not prepaid.
        form = OrderRecheckForm(self.request.POST)
        form.is_valid()
        order = services.order_recheck(
            order=self.object, user=self.request.user, prepaid=form.cleaned_data["prepaid"]
        )
        _say_decision(self.request, order)


class OrderInvoiceView(ServiceActionView):
    permission_required = "sales.add_invoice"
    model = Order

    def perform(self) -> str:
        self.invoice = services.order_invoice(order=self.object, user=self.request.user)
        return _("Invoice %(invoice)s was made for order %(order)s.") % {
            "invoice": self.invoice,
            "order": self.object,
        }

    def get_success_url(self) -> str:
        return self.invoice.get_absolute_url()


class OrderDecideView(ReturnToApprovalsMixin, ServiceActionView):
    """Management approves or rejects an order waiting for approval."""

    permission_required = "sales.approve_order"
    model = Order
    form_class = ApprovalForm
    form: ApprovalForm  # checked by post, before perform
    page_view = OrderDetailView
    form_context_name = "approval_form"

    def perform(self) -> str:
        approve = self.form.cleaned_data["decision"] == "approve"
        services.order_decide(
            order=self.object,
            user=self.request.user,
            approve=approve,
            comment=self.form.cleaned_data["comment"],
        )
        if approve:
            return _("Order %(order)s was approved.") % {"order": self.object}
        return _("Order %(order)s was rejected.") % {"order": self.object}


class OrderPrepaymentView(ReturnToApprovalsMixin, ServiceActionView):
    """Accounting confirms that a prepaid order's money was received, or says it was not."""

    permission_required = "sales.confirm_prepayment"
    model = Order
    form_class = PrepaymentForm
    form: PrepaymentForm  # checked by post, before perform
    page_view = OrderDetailView
    form_context_name = "prepayment_form"

    def perform(self) -> None:
        act = (
            services.order_confirm_prepayment
            if self.form.cleaned_data["decision"] == "confirm"
            else services.order_refuse_prepayment
        )
        decision = act(
            order=self.object, user=self.request.user, comment=self.form.cleaned_data["comment"]
        )
        _say_decision(self.request, decision.order)


PENDING_SHOWN = 50


def render_approvals(
    request: HttpRequest,
    *,
    refused_id: int | None = None,
    refused: dict[str, BaseForm] | None = None,
) -> HttpResponse:
    """The Approvals page; `refused` holds the refused decision's form (by its context name,
    "approval_form" or "prepayment_form"), shown in the row of order `refused_id`."""
    pending, pending_count = selectors.approvals_waiting(shown=PENDING_SHOWN)
    prepayments = selectors.prepayments_waiting(shown=PENDING_SHOWN)
    refused = refused or {}
    context = {
        "pending": pending,
        "pending_count": pending_count,
        "prepayments": prepayments[:PENDING_SHOWN],
        "prepayments_more": len(prepayments) > PENDING_SHOWN,
        "can_confirm_prepayment": request.user.has_perm("sales.confirm_prepayment"),
        "decisions": list(selectors.approval_recent()[:25]),
        "can_decide": request.user.has_perm("sales.approve_order"),
        "refused_id": refused_id,
        "approval_refused": refused.get("approval_form"),
        "prepayment_refused": refused.get("prepayment_form"),
    }
    return render(request, "sales/approval_list.html", context)


class ApprovalListView(PermissionRequiredMixin, View):
    """Orders waiting for Management or for Accounting's prepayment confirmation, and the
    decisions taken: who, when and why."""

    permission_required = "sales.view_order"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render_approvals(request)


class InvoiceDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "sales.view_invoice"

    def get_queryset(self) -> QuerySet[Invoice]:
        return selectors.invoice_detail()


class InvoicePaidView(ServiceActionView):
    permission_required = "sales.mark_invoice_paid"
    model = Invoice

    def perform(self) -> str:
        services.invoice_mark_paid(invoice=self.object, user=self.request.user)
        return _("Invoice %(invoice)s was marked paid.") % {"invoice": self.object}


class AccountChoicesView(PermissionRequiredMixin, View):
    """The addresses and contacts of one account, for the quote and order forms' lists, and the
    warning the order form shows when the account is on credit hold ("" when it is not)."""

    permission_required = "accounts.view_account"

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        account = get_object_or_404(
            Account.objects.only("pk", "name", "credit_hold", "credit_hold_reason"), pk=pk
        )
        return JsonResponse(
            {
                "credit_hold_warning": (
                    credit.credit_hold_warning(
                        customer_name=account.name, reason=account.credit_hold_reason
                    )
                    if account.credit_hold
                    else ""
                ),
                "addresses": [
                    {"id": a.pk, "label": str(a)} for a in Address.objects.filter(account=account)
                ],
                "contacts": [
                    {"id": c.pk, "label": str(c)} for c in Contact.objects.filter(account=account)
                ],
            }
        )

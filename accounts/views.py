from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DeleteView, DetailView, FormView, UpdateView
from django_filters.views import FilterView

from accounts import selectors, services
from accounts.filters import AccountFilter
from accounts.forms import (
    AccountForm,
    AddressForm,
    ContactForm,
    MailingAddressForm,
    account_label,
    add_service_errors,
    model_values,
)
from accounts.models import Account, Address, Contact
from accounts.pagination import COUNT_CAP, CappedPaginationMixin
from accounts.rules import account_name_key, looks_like_po_box

CREDIT_IGNORED = (
    "Only Accounting can change the credit limit and credit hold: those were left unchanged."
)


def _warn_po_box(request: HttpRequest, address: Address) -> None:
    if address.kind == Address.Kind.VISIT and looks_like_po_box(address.street):
        messages.warning(request, services.PO_BOX_MESSAGE)


SEARCH_COUNT_CAP = 1_000


class AccountListView(PermissionRequiredMixin, CappedPaginationMixin, FilterView):
    permission_required = "accounts.view_account"
    filterset_class = AccountFilter
    paginate_by = 25
    template_name = "accounts/account_list.html"

    def get_queryset(self) -> QuerySet[Account]:
        return selectors.account_list()

    def get_paginator(self, queryset: QuerySet[Account], per_page: int, **kwargs: Any) -> Any:
        # Each match a substring search counts costs a scan: at a million accounts, counting to
        # 10,000 took a second where 1,000 takes a tenth.
        searching = bool(self.request.GET.get("q", "").strip())
        cap = SEARCH_COUNT_CAP if searching else COUNT_CAP
        return super().get_paginator(queryset, per_page, cap=cap, **kwargs)


class AccountDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "accounts.view_account"

    def get_queryset(self) -> QuerySet[Account]:
        return selectors.account_detail()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        addresses = self.object.addresses.all()
        visit = next((a for a in addresses if a.kind == Address.Kind.VISIT), None)
        mailing = next((a for a in addresses if a.kind == Address.Kind.MAILING), None)
        context["mailing_address"] = mailing
        # The copy button is only worth offering when the visit address has something in it,
        # and only worth a "Replace?" question when the copy would change the mailing address.
        context["visit_to_copy"] = bool(visit and visit.one_line())
        context["copy_replaces_mailing"] = bool(
            mailing
            and mailing.one_line()
            and not (visit and services.addresses_match(visit, mailing))
        )
        context["other_addresses"] = [a for a in addresses if not a.is_fixed]
        # Said once: the visit address card shows it already once geocoding has recorded it.
        shown_on_card = visit and visit.geocode_message == services.PO_BOX_MESSAGE
        context["po_box_warning"] = (
            services.PO_BOX_MESSAGE
            if visit and looks_like_po_box(visit.street) and not shown_on_card
            else ""
        )
        # Buttons and panels that other apps (sales, maps) own, so accounts need not import them.
        context["account_panels"] = settings.ACCOUNT_PANELS
        context["account_actions"] = settings.ACCOUNT_ACTIONS
        return context


def _unconfirmed_duplicates(
    request: HttpRequest, *, name: str, country: str, exclude_pk: int | None = None
) -> list[Account]:
    """Likely duplicates of the name, unless the user ticked that it is a different company."""
    if request.POST.get("save_anyway") == "on":
        return []
    return list(selectors.account_find_similar(name=name, country=country, exclude_pk=exclude_pk))


class AccountCreateView(PermissionRequiredMixin, FormView):
    permission_required = "accounts.add_account"
    form_class = AccountForm
    template_name = "accounts/account_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.request.POST if self.request.method == "POST" else None
        visit_form, mailing_form = self.get_address_forms(data)
        context.setdefault("visit_form", visit_form)
        context.setdefault("mailing_form", mailing_form)
        return context

    @staticmethod
    def get_address_forms(data: Any) -> tuple[AddressForm, MailingAddressForm]:
        """The new account's Visit and Mailing address forms."""
        return (
            AddressForm(data, prefix="visit", instance=Address(kind=Address.Kind.VISIT)),
            MailingAddressForm(data, prefix="mailing", instance=Address(kind=Address.Kind.MAILING)),
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        visit_form, mailing_form = self.get_address_forms(request.POST)
        context = {"form": form, "visit_form": visit_form, "mailing_form": mailing_form}
        if not all([form.is_valid(), visit_form.is_valid(), mailing_form.is_valid()]):
            return self.render_to_response(self.get_context_data(**context))
        visit = model_values(visit_form)
        same = mailing_form.cleaned_data["same_as_visit"]
        similar = _unconfirmed_duplicates(
            request, name=form.cleaned_data["name"], country=visit["country"]
        )
        if similar:
            context |= {"similar_accounts": similar, "similar_in_country": bool(visit["country"])}
            return self.render_to_response(self.get_context_data(**context))
        try:
            account = services.account_create(
                user=request.user,
                fields=model_values(form),
                visit_address=visit,
                mailing_address=visit if same else model_values(mailing_form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(**context))
        messages.success(request, f"Account “{account.name}” was created.")
        if form.ignored_credit_change:
            messages.warning(request, CREDIT_IGNORED)
        _warn_po_box(request, account.addresses.get(kind=Address.Kind.VISIT))
        return redirect(account)


class AccountUpdateView(PermissionRequiredMixin, UpdateView):
    permission_required = "accounts.change_account"
    model = Account
    form_class = AccountForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: AccountForm) -> HttpResponse:
        account = form.instance
        if account_name_key(account.name) != account.name_key:
            country = account.addresses.get(kind=Address.Kind.VISIT).country
            similar = _unconfirmed_duplicates(
                self.request, name=account.name, country=country, exclude_pk=account.pk
            )
            if similar:
                return self.render_to_response(
                    self.get_context_data(
                        form=form, similar_accounts=similar, similar_in_country=bool(country)
                    )
                )
        try:
            services.account_update(
                account=form.instance, user=self.request.user, fields=model_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The account was saved.")
        if form.ignored_credit_change:
            messages.warning(self.request, CREDIT_IGNORED)
        return redirect(form.instance)


class ConfirmDeleteMixin:
    """One confirmation page for every removal, saying what else goes and where "No" leads."""

    template_name = "confirm_delete.html"
    consequence = "This cannot be undone."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "consequence": self.consequence,
            "cancel_url": self.object.get_absolute_url(),
            "delete_panels": settings.CONFIRM_DELETE_PANELS.get(self.object._meta.label_lower, []),
        }


class AccountDeleteView(PermissionRequiredMixin, ConfirmDeleteMixin, DeleteView):
    permission_required = "accounts.delete_account"
    model = Account
    consequence = (
        "Its contacts and addresses are removed with it; its child accounts lose their parent. "
        "This cannot be undone."
    )

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.account_delete(account=self.object, user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
            return redirect(self.object)
        messages.success(self.request, f"Account “{self.object.name}” was deleted.")
        return redirect("accounts:list")


class AccountCopyVisitToMailingView(PermissionRequiredMixin, View):
    """The "Copy visit address to mailing address" button."""

    permission_required = "accounts.change_address"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = get_object_or_404(Account, pk=pk)
        try:
            services.account_copy_visit_to_mailing(account=account, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "The visit address was copied to the mailing address.")
        return redirect(account)


class AccountLookupView(PermissionRequiredMixin, View):
    """Suggestions for an account box: up to 20 accounts (or sellers) whose name starts as typed."""

    permission_required = "accounts.view_account"
    sellers_only = False

    def get(self, request: HttpRequest) -> JsonResponse:
        rows = selectors.account_suggestions(
            term=request.GET.get("q", ""), sellers_only=self.sellers_only
        )
        return JsonResponse({"results": [{"id": a.pk, "label": account_label(a)} for a in rows]})


class AddressSaveView(PermissionRequiredMixin, UpdateView):
    """Adds a named address to an account, or changes any of its addresses."""

    model = Address
    form_class = AddressForm

    def get_permission_required(self) -> tuple[str]:
        return ("accounts.change_address",) if "pk" in self.kwargs else ("accounts.add_address",)

    def get_object(self, queryset: Any = None) -> Address:
        if "pk" in self.kwargs:
            return get_object_or_404(
                Address.objects.select_related("account"), pk=self.kwargs["pk"]
            )
        return Address(account=get_object_or_404(Account, pk=self.kwargs["account_pk"]))

    def form_valid(self, form: AddressForm) -> HttpResponse:
        creating = form.instance.pk is None
        try:
            address = services.address_save(
                address=form.instance, user=self.request.user, fields=model_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"The address “{address.name}” was {'added' if creating else 'saved'}."
        )
        _warn_po_box(self.request, address)
        return redirect(address.account)


class AddressDeleteView(PermissionRequiredMixin, ConfirmDeleteMixin, DeleteView):
    permission_required = "accounts.delete_address"
    queryset = Address.objects.filter(kind=Address.Kind.OTHER).select_related("account")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.address_delete(address=self.object, user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
        else:
            messages.success(self.request, f"The address “{self.object.name}” was removed.")
        return HttpResponseRedirect(self.object.account.get_absolute_url())


class ContactSaveView(PermissionRequiredMixin, UpdateView):
    """Adds a contact to an account (the pen icon), or changes one."""

    model = Contact
    form_class = ContactForm

    def get_permission_required(self) -> tuple[str]:
        return ("accounts.change_contact",) if "pk" in self.kwargs else ("accounts.add_contact",)

    def get_object(self, queryset: Any = None) -> Contact:
        if "pk" in self.kwargs:
            return get_object_or_404(
                Contact.objects.select_related("account"), pk=self.kwargs["pk"]
            )
        return Contact(account=get_object_or_404(Account, pk=self.kwargs["account_pk"]))

    def form_valid(self, form: ContactForm) -> HttpResponse:
        creating = form.instance.pk is None
        try:
            contact = services.contact_save(
                contact=form.instance, user=self.request.user, fields=model_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{contact} was {'added' if creating else 'saved'}.")
        return redirect(contact.account)


class ContactDeleteView(PermissionRequiredMixin, ConfirmDeleteMixin, DeleteView):
    permission_required = "accounts.delete_contact"
    model = Contact

    def form_valid(self, form: Any) -> HttpResponse:
        services.contact_delete(contact=self.object, user=self.request.user)
        messages.success(self.request, f"{self.object} was removed.")
        return redirect(self.object.account)

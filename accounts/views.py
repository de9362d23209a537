from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DeleteView, DetailView, FormView, TemplateView, UpdateView
from django_filters.views import FilterView

from accounts import selectors, services
from accounts.filters import (
    ContactFilter,
    account_list_query,
    filter_fields,
    sort_headers,
    sort_order,
)
from accounts.forms import (
    AccountForm,
    ActiveForm,
    AddressForm,
    ContactForm,
    CreditHoldForm,
    MailingAddressForm,
    OwnerForm,
    PrimaryContactForm,
)
from accounts.models import Account, Address, Contact
from accounts.rules import account_name_key, looks_like_po_box
from common.forms import add_service_errors, model_values
from common.pagination import COUNT_CAP, CappedPaginationMixin, KeysetPage, keyset_page
from common.search import SEARCH_CUT_MESSAGE
from common.templatetags.form_errors import summary_errors
from common.typing import AuthenticatedHttpRequest, StrOrPromise
from common.views import ConfirmDeleteMixin, ServiceActionView, ServiceFormMixin

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

# The part of an account a page adds or changes.
_Part = TypeVar("_Part", Address, Contact)

CREDIT_IGNORED = _(
    "Only Accounting can change the credit limit, and only Accounting or Management the credit "
    "hold: those were left unchanged."
)


def _po_box_warning(address: Address) -> list[tuple[int, StrOrPromise]]:
    """A PO box saved as the visit address is kept, with a warning: it cannot go on the map."""
    if address.is_visit and looks_like_po_box(address.street):
        return [(messages.WARNING, gettext(services.PO_BOX_MESSAGE))]
    return []


class AccountListView(PermissionRequiredMixin, TemplateView):
    """The account list: search, filters, sortable columns and keyset pages of 25.

    A page costs the same at any depth and counts nothing (it reads 26 rows to know whether
    another page follows): four or five queries with the session, user and rights.
    """

    permission_required = "accounts.view_account"
    template_name = "accounts/account_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = account_list_query(self.request.GET, user_id=self.request.user.pk)
        if query.cut:
            messages.warning(self.request, SEARCH_CUT_MESSAGE)
        page = None
        if not query.errors:
            walked = query.walked_search()
            page = keyset_page(
                query.accounts(searched=walked is None),
                sort_order(query.sort),
                after=self.request.GET.get("after", ""),
                before=self.request.GET.get("before", ""),
                last=self.request.GET.get("last") == "1",
                fields=selectors.ACCOUNT_LIST_FIELDS,
                search=walked,
            )
        context.update(
            query=query,
            filter_fields=filter_fields(query),
            page=page,
            count_line=_count_line(page) if page else "",
            columns=sort_headers(self.request.GET, query),
        )
        return context


def _count_line(page: KeysetPage) -> str:
    """How many accounts match, as far as a page knows without counting them all."""
    if page.total is not None:
        return ngettext("%(count)s account", "%(count)s accounts", page.total) % {
            "count": intcomma(page.total)
        }
    if page.first_position is None:
        return ngettext("The last account", "The last %(count)s accounts", len(page.rows)) % {
            "count": len(page.rows)
        }
    shown = {"first": intcomma(page.first_position), "last": intcomma(page.last_position)}
    if page.has_next:
        return gettext("Accounts %(first)s to %(last)s; more on the next pages") % shown
    return gettext("Accounts %(first)s to %(last)s of %(last)s") % shown


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
        context["children"] = selectors.account_children(self.object)
        context["changes"], context["older_changes"] = selectors.account_changes(self.object)
        # Said once: the visit address card shows it already once geocoding has recorded it.
        shown_on_card = visit and visit.geocode_message == services.PO_BOX_MESSAGE
        context["po_box_warning"] = (
            gettext(services.PO_BOX_MESSAGE)
            if visit and looks_like_po_box(visit.street) and not shown_on_card
            else ""
        )
        # Buttons and panels that other apps (sales, maps) own, so accounts need not import them.
        context["account_panels"] = settings.ACCOUNT_PANELS
        context["account_actions"] = settings.ACCOUNT_ACTIONS
        # The forms behind "Put on credit hold…" and "Change the owner…", for those who see them.
        user = self.request.user
        if "hold_form" not in context and user.has_perm(services.HOLD_PERMISSION):
            context["hold_form"] = CreditHoldForm(
                initial={"hold": True, "credit_hold_reason": self.object.credit_hold_reason}
            )
        if "owner_form" not in context and user.has_perm(services.OWNER_PERMISSION):
            context["owner_form"] = OwnerForm(
                initial={"owner": self.object.owner_id}, keep=self.object.owner_id
            )
        return context


def _unconfirmed_duplicates(
    request: HttpRequest, *, name: str, country: str, exclude_pk: int | None = None
) -> list[Account]:
    """Likely duplicates of the name, unless the user ticked that it is a different company."""
    if request.POST.get("save_anyway") == "on":
        return []
    return list(selectors.account_find_similar(name=name, country=country, exclude_pk=exclude_pk))


class AccountCreateView(PermissionRequiredMixin, FormView):
    request: AuthenticatedHttpRequest
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
                user=self.request.user,
                fields=model_values(form),
                visit_address=visit,
                mailing_address=visit if same else model_values(mailing_form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(**context))
        messages.success(
            request, gettext("Account “%(name)s” was created.") % {"name": account.name}
        )
        if form.ignored_credit_change:
            messages.warning(request, CREDIT_IGNORED)
        for level, text in _po_box_warning(account.addresses.get(kind=Address.Kind.VISIT)):
            messages.add_message(request, level, text)
        return redirect(account)


class AccountUpdateView(PermissionRequiredMixin, ServiceFormMixin, UpdateView):
    request: AuthenticatedHttpRequest
    form: AccountForm
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
        return super().form_valid(form)

    def perform(self) -> str:
        services.account_update(
            account=self.object, user=self.request.user, fields=model_values(self.form)
        )
        return gettext("The account was saved.")

    def follow_ups(self) -> list[tuple[int, StrOrPromise]]:
        return [(messages.WARNING, CREDIT_IGNORED)] if self.form.ignored_credit_change else []


class AccountCreditHoldView(ServiceActionView):
    """Accounting's or Management's "Put on credit hold…" and "Lift the credit hold" buttons.

    A refused hold (no reason) shows the account page again with the reason box and the error.
    """

    permission_required = services.HOLD_PERMISSION
    model = Account
    form_class = CreditHoldForm
    page_view = AccountDetailView
    form_context_name = "hold_form"

    def perform(self) -> str | None:
        assert self.form is not None
        hold = self.form.cleaned_data["hold"]
        changed = services.account_set_credit_hold(
            account=self.object,
            user=self.request.user,
            hold=hold,
            reason=self.form.cleaned_data["credit_hold_reason"],
        )
        if not changed:
            return None
        if hold:
            return gettext(
                "“%(name)s” is on credit hold: no order is accepted unless it is prepaid "
                "and Accounting confirms the money."
            ) % {"name": self.object.name}
        return gettext("The credit hold of “%(name)s” was lifted.") % {"name": self.object.name}


class AccountOwnerView(ServiceActionView):
    """The account page's "Change the owner" (Sales and Management)."""

    permission_required = services.OWNER_PERMISSION
    model = Account
    form_class = OwnerForm
    page_view = AccountDetailView
    form_context_name = "owner_form"

    def get_form_kwargs(self) -> dict[str, Any]:
        # The owner the account has stays on offer, as on the page (OwnerForm).
        return {"keep": self.object.owner_id}

    def perform(self) -> str | None:
        assert self.form is not None
        owner = self.form.cleaned_data["owner"]
        if not services.account_set_owner(account=self.object, user=self.request.user, owner=owner):
            return None
        if owner is None:
            return gettext("“%(name)s” has no owner now.") % {"name": self.object.name}
        return gettext("%(owner)s owns “%(name)s” now.") % {
            "owner": owner,
            "name": self.object.name,
        }


class AccountActiveView(ServiceActionView):
    """The account page's "Make inactive…" and "Make active again" (Management, Accounting)."""

    permission_required = services.ACTIVE_PERMISSION
    model = Account
    form_class = ActiveForm
    page_view = AccountDetailView

    def perform(self) -> str | None:
        assert self.form is not None
        active = self.form.cleaned_data["active"]
        if not services.account_set_active(
            account=self.object, user=self.request.user, active=active
        ):
            return None
        if active:
            return gettext("“%(name)s” is active again.") % {"name": self.object.name}
        return gettext(
            "“%(name)s” is inactive: it no longer shows in the lists, the map or the account "
            "boxes, and gets no new quotes or orders. Its history and documents are kept."
        ) % {"name": self.object.name}


class AccountDeleteView(PermissionRequiredMixin, ConfirmDeleteMixin, DeleteView):
    request: AuthenticatedHttpRequest
    permission_required = "accounts.delete_account"
    model = Account
    consequence = _(
        "Its contacts and addresses are removed with it; its child accounts lose their parent. "
        "This cannot be undone."
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        refusal = services.account_deletion_refusal(self.object)
        return {**super().get_context_data(**kwargs), "refusal": refusal}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.account_delete(account=self.object, user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
            return redirect(self.object)
        messages.success(
            self.request, gettext("Account “%(name)s” was deleted.") % {"name": self.object.name}
        )
        return redirect("accounts:list")


class AccountCopyVisitToMailingView(ServiceActionView):
    """The "Copy visit address to mailing address" button."""

    permission_required = "accounts.change_address"
    model = Account

    def perform(self) -> str:
        services.account_copy_visit_to_mailing(account=self.object, user=self.request.user)
        return gettext("The visit address was copied to the mailing address.")


class AccountLookupView(PermissionRequiredMixin, View):
    """Suggestions for an account box: up to 20 accounts (or sellers) whose name starts as typed,
    each as the picker needs it: the id it sends, the name it shows, the city that tells apart
    accounts of the same name."""

    permission_required = "accounts.view_account"
    sellers_only = False

    def get(self, request: HttpRequest) -> JsonResponse:
        rows = selectors.account_suggestions(
            term=request.GET.get("q", ""), sellers_only=self.sellers_only
        )
        results = [{"id": a["id"], "name": a["name"], "city": a["listing_city"]} for a in rows]
        return JsonResponse({"results": results})


class AccountPartSaveView(PermissionRequiredMixin, ServiceFormMixin, UpdateView, Generic[_Part]):
    """Adds an address or contact to an account (URL with account_pk), or changes one (pk)."""

    request: AuthenticatedHttpRequest
    model: type[_Part]
    form: ModelForm
    added_message: StrOrPromise  # "%(name)s": the name the part is known by
    saved_message: StrOrPromise

    def get_permission_required(self) -> tuple[str]:
        action = "change" if "pk" in self.kwargs else "add"
        return (f"accounts.{action}_{self.model._meta.model_name}",)

    def get_object(self, queryset: Any = None) -> _Part:
        if "pk" in self.kwargs:
            return get_object_or_404(
                self.model.objects.select_related("account"), pk=self.kwargs["pk"]
            )
        return self.model(account=get_object_or_404(Account, pk=self.kwargs["account_pk"]))

    def save_part(self, *, fields: dict[str, Any]) -> _Part:
        raise NotImplementedError

    def name_of(self, part: _Part) -> str:
        return str(part)

    def perform(self) -> str:
        creating = self.object.pk is None
        part = self.save_part(fields=model_values(self.form))
        message = self.added_message if creating else self.saved_message
        return message % {"name": self.name_of(part)}


class AddressSaveView(AccountPartSaveView[Address]):
    """Adds a named address to an account, or changes any of its addresses."""

    model = Address
    form_class = AddressForm
    added_message = _("The address “%(name)s” was added.")
    saved_message = _("The address “%(name)s” was saved.")

    def save_part(self, *, fields: dict[str, Any]) -> Address:
        return services.address_save(address=self.object, user=self.request.user, fields=fields)

    def name_of(self, part: Address) -> str:
        return part.label

    def follow_ups(self) -> list[tuple[int, StrOrPromise]]:
        return _po_box_warning(self.object)


class AddressDeleteView(PermissionRequiredMixin, ConfirmDeleteMixin, DeleteView):
    request: AuthenticatedHttpRequest
    permission_required = "accounts.delete_address"
    queryset = Address.objects.filter(kind=Address.Kind.OTHER).select_related("account")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.address_delete(address=self.object, user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
        else:
            messages.success(
                self.request,
                gettext("The address “%(name)s” was removed.") % {"name": self.object.name},
            )
        return HttpResponseRedirect(self.object.account.get_absolute_url())


class ContactSaveView(AccountPartSaveView[Contact]):
    """Adds a contact to an account (the pen icon), or changes one."""

    model = Contact
    form_class = ContactForm
    added_message = _("%(name)s was added.")
    saved_message = _("%(name)s was saved.")

    def save_part(self, *, fields: dict[str, Any]) -> Contact:
        return services.contact_save(contact=self.object, user=self.request.user, fields=fields)


class ContactPrimaryView(ServiceActionView):
    """The account page's "Make primary": the contact quotes and invoices address by default."""

    permission_required = "accounts.change_contact"
    model = Contact
    form_class = PrimaryContactForm

    def perform(self) -> str:
        assert self.form is not None
        primary = self.form.cleaned_data["primary"]
        services.contact_set_primary(contact=self.object, user=self.request.user, primary=primary)
        if primary:
            return gettext("%(name)s is the primary contact now.") % {"name": self.object}
        return gettext("%(name)s is no longer the primary contact.") % {"name": self.object}

    def form_invalid(self, form: Any) -> HttpResponse:
        # A hidden yes/no cannot be mistyped by a person: whatever else came, nothing changes.
        messages.error(self.request, gettext("Nothing was changed."))
        return redirect(self.object.get_absolute_url())


# A substring search of contacts counts at most a thousand matches.
SEARCH_COUNT_CAP = 1_000


class ContactListView(PermissionRequiredMixin, CappedPaginationMixin, FilterView):
    """Contacts of every account, searched by name, email, phone or account name."""

    permission_required = "accounts.view_contact"
    filterset_class = ContactFilter
    paginate_by = 25
    template_name = "accounts/contact_list.html"

    def get_queryset(self) -> QuerySet[Contact]:
        return selectors.contact_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Named as the page labels them, as on the sales lists.
        return {
            **super().get_context_data(**kwargs),
            "filter_errors": summary_errors(self.filterset.form),
        }

    def get_paginator(
        self,
        queryset: "_SupportsPagination[Contact]",
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        **kwargs: Any,
    ) -> Paginator:
        # As the account list: a substring search counts at most a thousand matches.
        searching = bool(self.request.GET.get("q", "").strip())
        cap = SEARCH_COUNT_CAP if searching else COUNT_CAP
        return super().get_paginator(
            queryset, per_page, orphans, allow_empty_first_page, cap=cap, **kwargs
        )


class ContactDeleteView(PermissionRequiredMixin, ConfirmDeleteMixin, DeleteView):
    request: AuthenticatedHttpRequest
    permission_required = "accounts.delete_contact"
    model = Contact

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.object.is_primary:
            context["consequence"] = gettext(
                "%(name)s is the account's primary contact: until you make another one primary, "
                "new quotes and invoices address nobody by default. This cannot be undone."
            ) % {"name": self.object}
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        services.contact_delete(contact=self.object, user=self.request.user)
        messages.success(self.request, gettext("%(name)s was removed.") % {"name": self.object})
        return redirect(self.object.account)

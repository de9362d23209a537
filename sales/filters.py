import re

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from accounts.picker import AccountChoiceField
from accounts.selectors import account_search
from common.search import bounded_search_words
from sales.models import Invoice, Order, Quote

# "Q-0001", "o-12", "INV-000123": a document number (or its start) rather than a customer name.
NUMBER = re.compile(r"^(Q|O|INV)-\d*$", re.IGNORECASE)


class CustomerFilter(django_filters.Filter):
    """One customer, picked in an account box: `?customer=` is the account's id, as the account
    page's links give it. A name would find the documents of every account with a similar name;
    a name typed in full without picking names the one account that has it, as on the forms."""

    field_class = AccountChoiceField


class DocumentFilter(django_filters.FilterSet):
    """Search by number or customer name, filter by status or by one customer; newest first.

    The customer filter is an account box (see `CustomerFilter`).
    """

    q = django_filters.CharFilter(method="search", label=_("Search"))
    customer = CustomerFilter(field_name="customer", label=_("Customer"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A number's start ("O-0005") finds by number; other words find the customer as the
        account list does (name, city, email, accents ignored).

        Kept apart so each uses its index: numbers are stored upper case and searched by prefix,
        customers through the accounts' search column, resolved before the documents are scanned.
        """
        words = bounded_search_words(self, value)
        if not words:
            return queryset
        if len(words) == 1 and NUMBER.match(words[0]):
            return queryset.filter(number__startswith=words[0].upper())
        customers = account_search(Account.objects.all(), " ".join(words))
        return queryset.filter(customer__in=customers.values("pk"))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Newest first, by id: stable for paging and served by the (status, -id) indexes.
        return super().filter_queryset(queryset).order_by("-id")


class QuoteFilter(DocumentFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Quote.Status.choices, empty_label=_("Any")
    )

    class Meta:
        model = Quote
        fields = ["q", "customer", "status"]


class OrderFilter(DocumentFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Order.Status.choices, empty_label=_("Any")
    )

    class Meta:
        model = Order
        fields = ["q", "customer", "status"]


class InvoiceFilter(DocumentFilter):
    paid = django_filters.BooleanFilter(
        field_name="paid_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Paid"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Paid")), ("false", _("Unpaid"))]),
    )

    class Meta:
        model = Invoice
        fields = ["q", "customer", "paid"]

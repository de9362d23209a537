import re

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from accounts.picker import AccountChoiceField
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

    q = django_filters.CharFilter(method="search", label="Search")
    customer = CustomerFilter(field_name="customer", label=_("Customer"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A number's start ("O-0005") finds by number; other words find by customer name.

        Kept apart so each uses its index: numbers are stored upper case and searched by prefix,
        names through the accounts' trigram index, resolved before the documents are scanned.
        """
        words = bounded_search_words(self, value)
        if not words:
            return queryset
        if len(words) == 1 and NUMBER.match(words[0]):
            return queryset.filter(number__startswith=words[0].upper())
        customers = Account.objects.all()
        for word in words:
            customers = customers.filter(name__icontains=word)
        return queryset.filter(customer__in=customers.values("pk"))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Newest first, by id: stable for paging and served by the (status, -id) indexes.
        return super().filter_queryset(queryset).order_by("-id")


class QuoteFilter(DocumentFilter):
    status = django_filters.ChoiceFilter(choices=Quote.Status.choices, empty_label="Any")

    class Meta:
        model = Quote
        fields = ["q", "customer", "status"]


class OrderFilter(DocumentFilter):
    status = django_filters.ChoiceFilter(choices=Order.Status.choices, empty_label="Any")

    class Meta:
        model = Order
        fields = ["q", "customer", "status"]


class InvoiceFilter(DocumentFilter):
    paid = django_filters.BooleanFilter(
        field_name="paid_at",
        lookup_expr="isnull",
        exclude=True,
        label="Paid",
        widget=forms.Select(choices=[("", "Any"), ("true", "Paid"), ("false", "Unpaid")]),
    )

    class Meta:
        model = Invoice
        fields = ["q", "customer", "paid"]

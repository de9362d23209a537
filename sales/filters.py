import django_filters
from django.db.models import Q, QuerySet

from sales.models import Invoice, Order, Quote


class DocumentFilter(django_filters.FilterSet):
    """Search by number or customer name, filter by status; newest first."""

    q = django_filters.CharFilter(method="search", label="Search")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__istartswith=value) | Q(customer__name__icontains=value))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Newest first, by id: stable for paging and served by the (status, -id) indexes.
        return super().filter_queryset(queryset).order_by("-id")


class QuoteFilter(DocumentFilter):
    status = django_filters.ChoiceFilter(choices=Quote.Status.choices, empty_label="Any")

    class Meta:
        model = Quote
        fields = ["q", "status"]


class OrderFilter(DocumentFilter):
    status = django_filters.ChoiceFilter(choices=Order.Status.choices, empty_label="Any")

    class Meta:
        model = Order
        fields = ["q", "status"]


class InvoiceFilter(DocumentFilter):
    paid = django_filters.BooleanFilter(
        field_name="paid_at", lookup_expr="isnull", exclude=True, label="Paid"
    )

    class Meta:
        model = Invoice
        fields = ["q", "paid"]

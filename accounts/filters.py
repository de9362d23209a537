from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.db.models.expressions import Combinable
from django_countries import countries

from accounts.models import Account, Industry, RelationshipType
from accounts.selectors import with_visit_address
from common.forms import QuickSelect
from common.search import bounded_search_words

if TYPE_CHECKING:
    from accounts.selectors import AccountWithVisit


class AccountFilter(django_filters.FilterSet):
    """Search, filters and sort of the account list."""

    q = django_filters.CharFilter(method="search", label="Search")
    relationship_type = django_filters.ModelChoiceFilter(
        queryset=RelationshipType.objects.all(), label="Relationship type", empty_label="Any"
    )
    industry = django_filters.ModelChoiceFilter(queryset=Industry.objects.all(), empty_label="Any")
    country = django_filters.ChoiceFilter(
        field_name="country",
        choices=list(countries),
        label="Country",
        empty_label="Any",
        widget=QuickSelect,
    )
    credit_hold = django_filters.BooleanFilter(
        label="Credit hold",
        widget=forms.Select(choices=[("", "Any"), ("true", "On hold"), ("false", "Not on hold")]),
    )
    sort = django_filters.OrderingFilter(
        empty_label=None,
        fields=(("name", "name"), ("city", "city"), ("relationship_type__name", "type")),
        field_labels={"name": "Name", "city": "City", "relationship_type__name": "Type"},
        label="Sort by",
    )

    class Meta:
        model = Account
        fields = ["q", "relationship_type", "industry", "country", "credit_hold"]

    def search(self, queryset: QuerySet[Account], name: str, value: str) -> QuerySet[Account]:
        """Name, city or email containing the words typed, ignoring case."""
        for word in bounded_search_words(self, value):
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(city__icontains=word) | Q(email__icontains=word)
            )
        return queryset

    def filter_queryset(self, queryset: QuerySet[Account]) -> QuerySet[Account]:
        data = self.form.cleaned_data
        if data.get("q") or data.get("country") or self._sorts_by_city(data.get("sort")):
            queryset = with_visit_address(queryset)
        queryset = super().filter_queryset(queryset)
        # A stable order, so paging never repeats or skips a row.
        ordering = list(queryset.query.order_by) or ["name"]
        if self._sorts_by_city(ordering):
            # Every account has a visit address. Saying so makes the join an inner one, so
            # PostgreSQL reads the page from the visit-city index instead of sorting every row.
            # (Sorting by city joined the visit address above.)
            # The plugin checks an annotation's isnull lookup against the column's type: wrong.
            visited = cast("QuerySet[AccountWithVisit]", queryset)
            queryset = visited.filter(city__isnull=False)  # type: ignore[misc]
        # The tie-break runs the same way as the sort, so a descending page is one backward
        # index scan rather than a re-sort of the last city's (or name's) rows.
        tiebreak = "-id" if str(ordering[0]).startswith("-") else "id"
        return queryset.order_by(*ordering, tiebreak)

    @staticmethod
    def _sorts_by_city(ordering: Sequence[str | Combinable] | None) -> bool:
        return any(str(field).lstrip("-") == "city" for field in ordering or [])

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows, so a page of a million-row list stays fast.

    Past the cap the list says "more than 10,000" and asks for a narrower search.
    """

    @cached_property
    def count(self) -> int:
        # Without the ORDER BY and the selected columns, PostgreSQL counts from index-only scans
        # (10 ms instead of 170 ms for the capped count of a million accounts).
        return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP

"""Links in rows written in Python (the account list, the contacts list, the timeline, My work)."""

from collections.abc import Callable

from django.urls import reverse


def url_by_id(name: str) -> Callable[[int], str]:
    """The URL of the pattern `name` for an object's id, the pattern reversed once: reverse()
    for each link of a long list cost more than the rest of its row."""
    head, _, tail = reverse(name, args=[0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"

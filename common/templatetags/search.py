"""A list's search as its box shows it again: what the search read, not all that was sent."""

from django import template

from common.search import search_bound

register = template.Library()


@register.filter
def as_searched(text: str | None) -> str:
    """The first 200 characters and 10 words of a search, as the list read them (the page says
    when the rest was left out)."""
    return search_bound(text or "").text

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: dict, number: int) -> str:
    """The current list's URL with its search, filters and sort, at page `number`."""
    request: HttpRequest = context["request"]
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"

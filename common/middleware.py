"""Requests refused at the edge: a NUL character before any view or the admin sees it, and
methods an address does not take, drawn as a page."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

NUL = "\x00"


class NulCharacterInRequest(SuspiciousOperation):
    """A NUL in the path or a parameter: no text this app stores or looks up may hold one."""


class RefuseNulMiddleware:
    """Answers 400 to a path, query parameter or form field containing NUL.

    Why here, at the edge, and not in each form: PostgreSQL cannot hold NUL in text, and any
    query given one raises (`A string literal cannot contain NUL`). Fields that query while
    parsing (account boxes, admin filters and autocomplete, lookups, django-axes' login
    records) would each need a guard; one check before them all covers today's views and
    tomorrow's. A browser never sends NUL from a text box, so no user loses typing to it.
    A cookie with NUL is dropped instead: it is then simply absent (no session, say), and the
    400 page itself can still be drawn.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [n for n, v in request.COOKIES.items() if NUL in n or NUL in v]:
            del request.COOKIES[name]
        if NUL in request.path_info or _has_nul(request.GET):
            raise NulCharacterInRequest("NUL character in the path or query string")
        if request.method == "POST" and _has_nul(request.POST):
            raise NulCharacterInRequest("NUL character in the posted form")
        return self.get_response(request)


def _has_nul(params: QueryDict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in params.lists()
    )


class MethodNotAllowedPageMiddleware:
    """Draws Django's empty 405 (a GET on an address only forms post to, such as an account's
    owner form) as a page in the site's layout, so a typed or bookmarked address explains
    itself. The Allow header is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method == "HEAD":
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page

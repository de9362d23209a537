"""Requests mended or refused at the edge: NUL characters and bidi controls before any view or
the admin sees them, and methods an address does not take, drawn as a page."""

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from common.text import BIDI_CONTROLS

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

NUL = "\x00"
# What a value loses: NUL, and the bidi controls (common.text).
DROPPED = dict.fromkeys(map(ord, NUL + BIDI_CONTROLS))


class NulCharacterInRequest(SuspiciousOperation):
    """A NUL in the path or a parameter's name: nothing anyone typed."""


class RefuseNulMiddleware:
    """Drops NUL and the bidi controls (DROPPED) from query and form values; answers 400 to a
    path or a parameter name with a NUL.

    Why here, at the edge, and not in each form: PostgreSQL cannot hold NUL in text, and any
    query given one raises (`A string literal cannot contain NUL`). Fields that query while
    parsing (account boxes, admin filters and autocomplete, lookups, django-axes' login
    records) would each need a guard; one pass before them all covers today's views and
    tomorrow's. A value's NUL is dropped rather than refused: Chromium sends one pasted into a
    box, it is invisible, and a 400 page lost everything else the user typed.
    A cookie with NUL is dropped: it is then simply absent (no session, say), and the 400 page
    itself can still be drawn.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [n for n, v in request.COOKIES.items() if NUL in n or NUL in v]:
            del request.COOKIES[name]
        if NUL in request.path_info:
            raise NulCharacterInRequest("NUL character in the path")
        request.GET = _mended(request.GET)
        if request.method == "POST":
            request.POST = _mended(request.POST)
        return self.get_response(request)


def _mended(params: "_ImmutableQueryDict") -> "_ImmutableQueryDict":
    """The parameters with DROPPED left out of their values (the same object when none has
    any)."""
    if any(NUL in key for key in params):
        raise NulCharacterInRequest("NUL character in a parameter's name")
    lists = [
        (key, [value.translate(DROPPED) for value in values]) for key, values in params.lists()
    ]
    if lists == list(params.lists()):
        return params
    mended = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in lists:
        mended.setlist(key, values)
    mended._mutable = False
    return cast("_ImmutableQueryDict", mended)


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

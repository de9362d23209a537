"""The language a signed-in user chose, applied to each of their requests."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Activates the signed-in user's language over the one LocaleMiddleware picked.

    LocaleMiddleware runs before authentication, so it only knows the cookie and the browser's
    Accept-Language; a user's own choice (users.User.language) follows them to any browser.
    A user who chose nothing keeps what LocaleMiddleware found. Without a session cookie there
    is nobody to look up, and the health check stays free of the session table.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        language = getattr(request.user, "language", "") if signed_in else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

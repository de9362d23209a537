"""The language a signed-in user chose, applied to each of their requests."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Activates the signed-in user's language over the one LocaleMiddleware picked.

    LocaleMiddleware runs before authentication, so it only knows the cookie and the browser's
    Accept-Language; a user's own choice (users.User.language) follows them to any browser, and
    is left in its language cookie for the pages after logging out.
    A user who chose nothing keeps what LocaleMiddleware found. Without a session cookie there
    is nobody to look up, and the health check stays free of the session table.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        language = _offered(getattr(request.user, "language", "")) if signed_in else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # Not over a cookie the response sets itself: the language switcher's new choice.
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            # Kept in the browser too, so the login page after logging out speaks it.
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def _offered(language: str) -> str:
    """The offered language nearest the one stored ("en" is served as "en-gb"), or "" for one
    the site does not speak: then the browser's, as LocaleMiddleware found it, stands."""
    try:
        return translation.get_supported_language_variant(language) if language else ""
    except LookupError:
        return ""

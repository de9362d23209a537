"""Types shared by every app.

`StrOrPromise` is a text for people to read, translated now (`gettext`) or when shown
(`gettext_lazy`), as django-stubs-ext defines it (a package the app does not need at run time).

`AuthUser` is the login user, `settings.AUTH_USER_MODEL`. The apps at the bottom (common,
accounts) may not import `users`, yet they record who did what in foreign keys to that model:
django-stubs' plugin resolves its `_User` alias to the configured model, so mypy checks them
against the real `users.User` while nothing imports it at run time.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as AuthUser
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    AuthUser = AbstractBaseUser
    StrOrPromise = str | Promise


class AuthenticatedHttpRequest(HttpRequest):
    """A request that got past the login: every view's but the health check's
    (`LoginRequiredMiddleware`), so its user is never the anonymous one."""

    user: AuthUser


__all__ = ["AuthUser", "AuthenticatedHttpRequest", "StrOrPromise"]

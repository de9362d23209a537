from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.http import HttpRequest


def canonical_username(request: HttpRequest | None, credentials: dict) -> str | None:
    """The username an email-or-username login refers to, so both share one lock-out counter."""
    login = credentials.get("username")
    if not login:
        return login
    user = _find_user(login)
    return user.get_username() if user else login


def _find_user(login: str):
    User = get_user_model()
    field = "email__iexact" if "@" in login else "username__iexact"
    return User._default_manager.filter(**{field: login}).first()


class EmailOrUsernameBackend(ModelBackend):
    """Authenticates with either the username or the email address, ignoring case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = _find_user(username)
        if user is None:
            # Spend the same time as a wrong password, so timing does not reveal accounts.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """The user's rights, their own and their groups', read in one query per request.

        Django's ModelBackend reads the two in two queries on every page; this is the same
        answer (superusers hold every right) at half the cost.
        """
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            held = Permission.objects.all()
            if not user_obj.is_superuser:
                held = held.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in held.values_list(
                    "content_type__app_label", "codename"
                ).distinct()
            }
        return user_obj._perm_cache

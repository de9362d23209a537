from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
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

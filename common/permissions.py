"""The one convention for rights: services check them, views translate the refusal.

Every service that writes starts with `require_permission`; a view lets the PermissionDenied
become a 403 page, or shows its message on the form.
"""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from common.typing import AuthUser


def require_permission(
    user: AuthUser | AnonymousUser | None, permission: str, message: str | None = None
) -> None:
    """Raise PermissionDenied unless `user` holds `permission` ("app_label.codename").

    Without a message, it names the action: "Your role may not add accounts."
    """
    if user is not None and user.has_perm(permission):
        return
    if message is None:
        app_label, codename = permission.split(".")
        action, model_name = codename.split("_", 1)
        things = apps.get_model(app_label, model_name)._meta.verbose_name_plural
        message = _("Your role may not %(action)s %(things)s.") % {
            "action": action,
            "things": things,
        }
    raise PermissionDenied(message)


def authenticated_user(request: HttpRequest) -> AuthUser:
    """The user of a request that only a logged-in user can make (the admin's pages, whose
    `admin_view` sends everyone else to its login), typed as such for the services."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in."))
    return user

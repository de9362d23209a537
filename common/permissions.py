"""The one convention for rights: services check them, views translate the refusal.

Every service that writes starts with `require_permission`; a view lets the PermissionDenied
become a 403 page, or shows its message on the form.
"""

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_permission(user: Any, permission: str, message: str | None = None) -> None:
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

"""Writes to users: the link between a login user and the CRM."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, Contact
from accounts.sellers import is_contact_of
from common.permissions import require_permission
from users.models import User

VIEW_USER_PERMISSION = "users.view_user"
CHANGE_USER_PERMISSION = "users.change_user"


def user_can_see_users(user: User | AnonymousUser) -> bool:
    """The users page names everyone's email: administrators only, or who was given the right.

    Changing users implies seeing them, as in the Django admin: the link forms return there.
    """
    return bool(
        user and (user.has_perm(VIEW_USER_PERMISSION) or user.has_perm(CHANGE_USER_PERMISSION))
    )


def user_can_change_crm_link(user: User | AnonymousUser) -> bool:
    """Only users who may change users (administrators) edit the CRM links."""
    return bool(user and user.has_perm(CHANGE_USER_PERMISSION))


def _check_permission(by: User) -> None:
    require_permission(
        by,
        CHANGE_USER_PERMISSION,
        _("Only administrators can change a user's CRM account and contact."),
    )


@transaction.atomic
def user_set_crm_account(*, user: User, crm_account: Account | None, by: User) -> User:
    """Link a user to a CRM account, or unlink them with None.

    A contact that does not belong to the new account is cleared; the user's email stays as it is.
    """
    _check_permission(by)
    # PostgreSQL cannot lock the nullable side of the contact join: lock the user row only.
    user = (
        User.objects.select_for_update(of=("self",)).select_related("crm_contact").get(pk=user.pk)
    )
    user.crm_account = crm_account
    if user.crm_contact and not is_contact_of(contact=user.crm_contact, account=crm_account):
        user.crm_contact = None
    user.clean()
    user.save(update_fields=["crm_account", "crm_contact"])
    return user


@transaction.atomic
def user_set_crm_contact(*, user: User, crm_contact: Contact | None, by: User) -> User:
    """Choose the user's CRM contact; it must be a contact of the user's CRM account."""
    _check_permission(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.crm_contact = crm_contact
    user.clean()
    user.save(update_fields=["crm_contact"])
    return user


@transaction.atomic
def user_set_crm_link(
    *, user: User, crm_account: Account | None, crm_contact: Contact | None, by: User
) -> User:
    """Set the user's CRM account and contact together, as the admin's user form does.

    The contact must be a contact of the account; either may be None.
    """
    _check_permission(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.crm_account, user.crm_contact = crm_account, crm_contact
    user.clean()
    user.save(update_fields=["crm_account", "crm_contact"])
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Remembers the language a user chose for the pages ("" follows the browser).

    Everyone may choose their own; it touches nothing else on the row.
    """
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user

"""Reads of users for the pages."""

from django.db.models import QuerySet

from users.models import User


def user_list() -> QuerySet[User]:
    """Users with their CRM account and contact, in one query per page."""
    return User.objects.select_related("crm_account", "crm_contact").only(
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "crm_account__name",
        "crm_contact__first_name",
        "crm_contact__last_name",
        "crm_contact__account_id",
    )

"""Reads of users for the pages."""

from django.db.models import QuerySet

from accounts.models import Account
from accounts.sellers import seller_accounts
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


def sellers_to_offer(*, current_id: int | None, limit: int) -> tuple[QuerySet[Account], bool]:
    """The sellers a user's CRM account is chosen from at a glance: the first `limit` by name,
    plus the user's current one; and whether there are more (to be typed into a box).

    Two queries: the ids (one more than the limit, to know), then the accounts when shown.
    """
    ids = list(seller_accounts().order_by("name", "id").values_list("pk", flat=True)[: limit + 1])
    more = len(ids) > limit
    offered = [*ids[:limit], *([current_id] if current_id else [])]
    return seller_accounts().filter(pk__in=offered).order_by("name", "id").only("name"), more

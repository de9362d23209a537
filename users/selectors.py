"""Reads of users for the pages."""

from django.db.models import QuerySet

from accounts.models import Account, RelationshipType
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


def seller_accounts() -> QuerySet[Account]:
    """Our own selling entities: the accounts a user may be linked to."""
    return Account.objects.filter(relationship_type__code=RelationshipType.SELLER)


def seller_suggestions(*, term: str, limit: int = 20) -> QuerySet[Account]:
    """Sellers whose name starts as typed, for the CRM account box; none for under 2 letters."""
    term = term.strip()
    if len(term) < 2:
        return Account.objects.none()
    return (
        seller_accounts().filter(name__istartswith=term).only("name").order_by("name", "id")[:limit]
    )

"""Our own selling entities: the seller of a quote or an order, and what a user links to.

The rule in one place: the seller is an account of type Seller, and the seller's contact is a
contact of that account. The sales documents and the users' CRM link both ask here.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, RelationshipType


def seller_accounts() -> QuerySet[Account]:
    """Our own selling entities, as a query: the accounts of type Seller."""
    return Account.objects.filter(relationship_type__code=RelationshipType.SELLER)


def account_is_seller(*, account_id: int | None) -> bool:
    """Whether the account may be a seller, in one query (for a link made before the rule)."""
    return account_id is not None and seller_accounts().filter(pk=account_id).exists()


def is_contact_of(*, contact: Contact, account: Account | None) -> bool:
    """Whether the contact works for the account (a seller's contact must)."""
    return account is not None and contact.account_id == account.pk


def not_a_seller_message(*, account: Account) -> str:
    """Why an account cannot be the seller: said alike by the services and the account boxes."""
    return _(
        "%(account)s is a %(type)s, not one of our selling entities: choose an account of "
        "type Seller."
    ) % {"account": account, "type": account.relationship_type}


def seller_errors(*, on: Any, fields: tuple[str, str], label: str) -> dict[str, str]:
    """What is wrong with the seller and its contact in `on`'s two `fields`, by field name.

    Empty when both are fine. `label` names the account as the form does ("seller").
    """
    account_field, contact_field = fields
    account: Account | None = getattr(on, account_field)
    contact: Contact | None = getattr(on, contact_field)
    errors: dict[str, str] = {}
    if account is not None and account.relationship_type.code != RelationshipType.SELLER:
        errors[account_field] = not_a_seller_message(account=account)
    if contact is None:
        return errors
    if account is None:
        errors[contact_field] = _("Choose a %(label)s before its contact.") % {"label": label}
    elif not is_contact_of(contact=contact, account=account):
        errors[contact_field] = _(
            "%(contact)s is a contact of %(other)s, not of %(account)s: choose one of the "
            "%(label)s's contacts."
        ) % {
            "contact": contact,
            "other": contact.account,
            "account": account,
            "label": label,
        }
    return errors

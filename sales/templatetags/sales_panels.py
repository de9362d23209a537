from django import template

from accounts.models import Account, Address, Contact
from sales import selectors

register = template.Library()


@register.simple_tag
def account_sales(account: Account) -> selectors.AccountSales:
    """The sales panel's figures for the account page, read by the selector."""
    return selectors.account_sales(account=account)


@register.simple_tag
def documents_with_seller_contact(contact: Contact) -> selectors.DocumentsUsing:
    """The documents naming the contact, for the page confirming its removal."""
    return selectors.documents_with_seller_contact(contact=contact)


@register.simple_tag
def documents_with_address(address: Address) -> selectors.DocumentsUsing:
    """The documents using the address, for the page confirming its removal."""
    return selectors.documents_with_address(address=address)

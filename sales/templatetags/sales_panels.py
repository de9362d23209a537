from django import template

from accounts.models import Account
from sales import selectors

register = template.Library()


@register.simple_tag
def account_sales(account: Account) -> selectors.AccountSales:
    """The sales panel's figures for the account page, read by the selector."""
    return selectors.account_sales(account=account)

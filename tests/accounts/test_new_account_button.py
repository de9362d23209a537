"""The seed: "go to CRM Accounts and click on the plus in the lower right corner"."""

import pytest
from django.urls import reverse

from tests.html import parse

pytestmark = pytest.mark.django_db


def corner_buttons(html: bytes) -> list:
    return parse(html).find_all("a", class_="corner-button")


def test_the_list_has_the_plus_for_who_may_add_accounts(as_user, sales_user):
    response = as_user(sales_user).get(reverse("accounts:list"))
    [plus] = corner_buttons(response.content)
    assert plus.attrs["href"] == reverse("accounts:create")
    assert plus.attrs["aria-label"] == "New account"
    assert plus.text == "+"


def test_who_may_not_add_accounts_gets_no_plus(as_user, management_user):
    response = as_user(management_user).get(reverse("accounts:list"))
    assert corner_buttons(response.content) == []

import pytest
from django.urls import reverse

from tests.accounts.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_pages_render(as_user, sales_user):
    account = AccountFactory(name="Bodywork Group Elfsquad", crm4_id="ABC-1")
    ContactFactory(account=account)
    client = as_user(sales_user)
    for url in [
        reverse("accounts:list"),
        reverse("accounts:list") + "?q=body&sort=-city",
        reverse("accounts:create"),
        reverse("accounts:detail", args=[account.pk]),
        reverse("accounts:update", args=[account.pk]),
        reverse("accounts:contact_create", args=[account.pk]),
        reverse("accounts:address_create", args=[account.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url

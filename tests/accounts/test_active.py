"""Active and inactive accounts: an account that no longer trades is made inactive, not deleted."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import selectors, services
from accounts.models import Account, AccountChange, MapEntry
from tests.accounts.factories import AccountFactory, ContactFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def _listed_names(client, **params) -> list[str]:
    page = parse(client.get(reverse("accounts:list"), params).content)
    bodies = page.find_all("tbody")
    return [row.find("a").text for row in bodies[0].find_all("tr")] if bodies else []


class TestAccountSetActive:
    @pytest.mark.parametrize("role", ["management_user", "accounting_user", "admin_user"])
    def test_management_and_accounting_make_an_account_inactive_and_active_again(
        self, role, request
    ):
        user = request.getfixturevalue(role)
        account = AccountFactory()
        contact = ContactFactory(account=account)

        assert services.account_set_active(account=account, user=user, active=False)
        account.refresh_from_db()
        assert not account.is_active
        assert Account.objects.filter(pk=account.pk).exists()
        assert account.contacts.get() == contact  # kept, with everything attached

        assert services.account_set_active(account=account, user=user, active=True)
        account.refresh_from_db()
        assert account.is_active
        history = account.changes.filter(field=AccountChange.Field.IS_ACTIVE).order_by("id")
        assert [(c.old_value, c.new_value, c.changed_by) for c in history] == [
            ("Yes", "No", user),
            ("No", "Yes", user),
        ]

    def test_making_it_inactive_twice_changes_nothing(self, management_user):
        account = AccountFactory(is_active=False)
        assert not services.account_set_active(account=account, user=management_user, active=False)
        assert not account.changes.exists()

    @pytest.mark.parametrize("role", ["sales_user", "no_group_user"])
    def test_sales_and_others_may_not(self, role, request):
        account = AccountFactory()
        with pytest.raises(PermissionDenied):
            services.account_set_active(
                account=account, user=request.getfixturevalue(role), active=False
            )
        account.refresh_from_db()
        assert account.is_active

    def test_sales_editing_the_account_cannot_make_it_inactive(self, sales_user):
        account = AccountFactory()
        with pytest.raises(PermissionDenied):
            services.account_update(account=account, user=sales_user, fields={"is_active": False})

    def test_an_account_with_documents_cannot_be_deleted_and_is_told_to_go_inactive(
        self, admin_user
    ):
        from tests.sales.factories import QuoteFactory

        quote = QuoteFactory()
        with pytest.raises(ValidationError) as refused:
            services.account_delete(account=quote.customer, user=admin_user)
        assert "Make it inactive instead" in refused.value.messages[0]


class TestWhereInactiveAccountsAreLeftOut:
    def test_the_list_shows_active_accounts_unless_asked(self, as_user, sales_user):
        AccountFactory(name="Trading")
        AccountFactory(name="Closed", is_active=False)
        client = as_user(sales_user)

        assert _listed_names(client) == ["Trading"]
        assert _listed_names(client, status="inactive") == ["Closed"]
        assert _listed_names(client, status="all") == ["Closed", "Trading"]
        page = parse(client.get(reverse("accounts:list"), {"status": "all"}).content)
        closed_row = page.find("tbody").find_all("tr")[0]
        assert closed_row.find_all("span", data_inactive="")

    def test_the_account_boxes_do_not_suggest_them(self, as_user, sales_user):
        AccountFactory(name="Holding Trading")
        AccountFactory(name="Holding Closed", is_active=False)
        response = as_user(sales_user).get(reverse("accounts:lookup"), {"q": "hold"})
        assert [r["name"] for r in response.json()["results"]] == ["Holding Trading"]

    def test_the_map_leaves_them_out_and_takes_them_back(self, management_user):
        trading = AccountFactory(visit__latitude=51.44, visit__longitude=5.47)
        closing = AccountFactory(visit__latitude=51.45, visit__longitude=5.48)
        on_map = lambda: sorted(MapEntry.objects.values_list("account_id", flat=True))  # noqa: E731

        services.account_set_active(account=closing, user=management_user, active=False)
        assert on_map() == [trading.pk]
        services.account_set_active(account=closing, user=management_user, active=True)
        assert on_map() == sorted([trading.pk, closing.pk])

    def test_the_default_rule_is_one_selector(self):
        trading, closed = AccountFactory(), AccountFactory(is_active=False)
        assert list(selectors.accounts_listed()) == [trading]
        assert list(selectors.accounts_listed(status="inactive")) == [closed]
        assert set(selectors.accounts_listed(status="all")) == {trading, closed}


class TestActivePages:
    def test_management_makes_it_inactive_on_the_page_and_active_again(
        self, as_user, management_user
    ):
        account = AccountFactory(name="Old Customer")
        client = as_user(management_user)
        page = parse(client.get(account.get_absolute_url()).content)
        form = page.find("form", data_active_form="")
        assert form.attrs["data-confirm"].startswith("Make “Old Customer” inactive?")

        response = client.post(reverse("accounts:active", args=[account.pk]), {"active": ""})
        assert response.status_code == 302
        assert "is inactive" in str(next(iter(get_messages(response.wsgi_request))))
        page = parse(client.get(account.get_absolute_url()).content)
        assert page.find("span", data_status="inactive")
        assert page.find_all("p", data_inactive_note="")

        client.post(reverse("accounts:active", args=[account.pk]), {"active": "on"})
        account.refresh_from_db()
        assert account.is_active

    def test_sales_gets_a_403_and_no_button(self, as_user, sales_user):
        account = AccountFactory()
        client = as_user(sales_user)
        assert not parse(client.get(account.get_absolute_url()).content).find_all(
            "form", data_active_form=""
        )
        response = client.post(reverse("accounts:active", args=[account.pk]), {"active": ""})
        assert response.status_code == 403
        account.refresh_from_db()
        assert account.is_active

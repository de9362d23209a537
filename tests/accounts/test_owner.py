"""Whose account it is: the owner, set by Sales and Management, kept in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import selectors, services
from accounts.models import AccountChange
from tests.accounts.factories import AccountFactory
from tests.html import field_errors, parse
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


def _owner_history(account) -> list[tuple[str, str]]:
    changes = account.changes.filter(field=AccountChange.Field.OWNER).order_by("id")
    return [(c.old_value, c.new_value) for c in changes]


class TestAccountSetOwner:
    @pytest.mark.parametrize("role", ["sales_user", "management_user", "admin_user"])
    def test_sales_and_management_set_the_owner_and_the_history_says_so(self, role, request):
        user = request.getfixturevalue(role)
        first, second = (UserFactory(username=n, groups=["Sales"]) for n in ("anna", "bram"))
        account = AccountFactory()

        assert services.account_set_owner(account=account, user=user, owner=first)
        assert services.account_set_owner(account=account, user=user, owner=second)
        assert services.account_set_owner(account=account, user=user, owner=None)

        account.refresh_from_db()
        assert account.owner is None
        assert _owner_history(account) == [("", "anna"), ("anna", "bram"), ("bram", "")]
        assert account.changes.first().changed_by == user

    def test_the_same_owner_again_changes_nothing(self, sales_user):
        account = AccountFactory(owner=sales_user)
        assert not services.account_set_owner(account=account, user=sales_user, owner=sales_user)
        assert _owner_history(account) == []

    @pytest.mark.parametrize("role", ["accounting_user", "no_group_user"])
    def test_accounting_and_others_may_not(self, role, request, sales_user):
        account = AccountFactory()
        with pytest.raises(PermissionDenied):
            services.account_set_owner(
                account=account, user=request.getfixturevalue(role), owner=sales_user
            )
        account.refresh_from_db()
        assert account.owner is None

    @pytest.mark.parametrize("who", ["accounting_user", "admin_user"])
    def test_only_sales_and_management_own_accounts(self, sales_user, who, request):
        """The responsible salesperson, or Management: the service says so for every path
        (the page, the admin, the imports), not only the owner box."""
        account = AccountFactory(owner=sales_user)
        with pytest.raises(ValidationError) as refused:
            services.account_set_owner(
                account=account, user=sales_user, owner=request.getfixturevalue(who)
            )
        assert "is not in Sales or Management" in refused.value.message_dict["owner"][0]
        account.refresh_from_db()
        assert account.owner == sales_user

    def test_a_user_who_can_no_longer_log_in_cannot_become_owner(self, sales_user):
        gone = UserFactory(username="gone", is_active=False)
        account = AccountFactory()
        with pytest.raises(ValidationError) as refused:
            services.account_set_owner(account=account, user=sales_user, owner=gone)
        assert "owner" in refused.value.message_dict
        account.refresh_from_db()
        assert account.owner is None

    def test_accounting_editing_the_account_cannot_change_the_owner(
        self, accounting_user, sales_user
    ):
        account = AccountFactory()
        with pytest.raises(PermissionDenied):
            services.account_update(
                account=account, user=accounting_user, fields={"owner": sales_user}
            )
        # Other fields, with the owner as it was, are fine.
        services.account_update(
            account=account, user=accounting_user, fields={"owner": None, "phone": "+31 40 1"}
        )

    def test_accounts_owned_by_lists_a_users_active_accounts_by_name(self, sales_user):
        AccountFactory(name="Zeta", owner=sales_user)
        AccountFactory(name="Alpha", owner=sales_user)
        AccountFactory(name="Gone", owner=sales_user, is_active=False)
        AccountFactory(name="Someone else's", owner=UserFactory())
        assert [a.name for a in selectors.accounts_owned_by(sales_user)] == ["Alpha", "Zeta"]


class TestOwnerPages:
    def test_the_account_page_shows_the_owner_and_sales_changes_it(self, as_user, sales_user):
        colleague = UserFactory(
            username="bram", first_name="Bram", last_name="Smit", groups=["Sales"]
        )
        account = AccountFactory(owner=sales_user)
        client = as_user(sales_user)

        page = parse(client.get(account.get_absolute_url()).content)
        assert page.find("span", data_owner="").text == str(sales_user)

        response = client.post(
            reverse("accounts:owner", args=[account.pk]), {"owner": colleague.pk}
        )
        assert response.status_code == 302
        page = parse(client.get(account.get_absolute_url()).content)
        assert page.find("span", data_owner="").text == "Bram Smit"
        assert _owner_history(account) == [("sales", "bram")]

    def test_the_owners_offered_are_sales_and_management(
        self, as_user, sales_user, management_user, accounting_user, admin_user
    ):
        """The responsible salesperson, or Management; not Accounting or an administrator,
        nor anyone who can no longer log in. An owner already set stays on offer."""
        UserFactory(username="gone", groups=["Sales"], is_active=False)
        account = AccountFactory(owner=accounting_user)
        page = parse(as_user(sales_user).get(account.get_absolute_url()).content)
        select = page.find("form", data_owner_form="").find("select", name="owner")
        offered = {o.attrs["value"] for o in select.find_all("option")} - {""}
        expected = {sales_user.pk, management_user.pk, accounting_user.pk}
        assert offered == {str(pk) for pk in expected}

    def test_saving_an_owner_who_left_sales_unchanged_keeps_them(
        self, as_user, sales_user, accounting_user
    ):
        """The box offers the owner an account has, though they left Sales or Management since;
        saving it as shown keeps them, rather than refusing and then offering only Nobody."""
        account = AccountFactory(owner=accounting_user)
        client = as_user(sales_user)
        response = client.post(
            reverse("accounts:owner", args=[account.pk]), {"owner": accounting_user.pk}
        )
        assert response.status_code == 302
        account.refresh_from_db()
        assert account.owner == accounting_user
        assert _owner_history(account) == []

    def test_accounting_gets_a_403_and_no_owner_form(self, as_user, accounting_user, sales_user):
        account = AccountFactory()
        client = as_user(accounting_user)
        assert not parse(client.get(account.get_absolute_url()).content).find_all(
            "form", data_owner_form=""
        )
        response = client.post(
            reverse("accounts:owner", args=[account.pk]), {"owner": sales_user.pk}
        )
        assert response.status_code == 403
        account.refresh_from_db()
        assert account.owner is None

    def test_a_bad_owner_is_refused_on_the_page(self, as_user, management_user):
        account = AccountFactory()
        response = as_user(management_user).post(
            reverse("accounts:owner", args=[account.pk]), {"owner": "99999999"}
        )
        assert response.status_code == 200
        assert field_errors(response.content, "owner")
        account.refresh_from_db()
        assert account.owner is None

    def test_a_new_account_is_the_writers_by_default(self, as_user, sales_user):
        response = as_user(sales_user).get(reverse("accounts:create"))
        assert response.context["form"]["owner"].value() == sales_user.pk

    def test_an_administrators_new_account_starts_with_nobody_shown_as_its_owner(
        self, as_user, admin_user
    ):
        """An administrator as such owns no accounts: the box does not claim one it then
        cannot show (the browser would post "Nobody" without a word)."""
        response = as_user(admin_user).get(reverse("accounts:create"))
        assert response.context["form"]["owner"].value() is None

    def test_the_list_shows_the_owner_and_my_accounts_filters(self, as_user, sales_user):
        other = UserFactory(username="bram", first_name="Bram", last_name="Smit")
        AccountFactory(name="Mine", owner=sales_user)
        AccountFactory(name="Theirs", owner=other)
        AccountFactory(name="Nobody's")
        client = as_user(sales_user)

        def listed(**params):
            page = parse(client.get(reverse("accounts:list"), params).content)
            return [
                (row.find("a").text, row.find("td", data_owner="").text)
                for row in page.find("tbody").find_all("tr")
            ]

        assert listed() == [("Mine", str(sales_user)), ("Nobody's", ""), ("Theirs", "Bram Smit")]
        assert listed(owner="mine") == [("Mine", str(sales_user))]
        assert listed(owner="none") == [("Nobody's", "")]

    @pytest.mark.parametrize("rows", [2, 25])
    def test_the_list_with_its_owner_column_costs_the_same_queries_at_any_size(
        self, as_user, sales_user, rows, django_assert_max_num_queries
    ):
        for n in range(rows):
            AccountFactory(owner=UserFactory(username=f"owner{n}"))
        client = as_user(sales_user)
        client.get(reverse("accounts:list"))  # the session and permissions are read once
        with django_assert_max_num_queries(5):
            response = client.get(reverse("accounts:list"), {"owner": "", "sort": "name"})
        assert len(response.context["page"].rows) == rows


def test_the_history_names_owners_as_the_owner_field_does(as_user, sales_user):
    """Kept by username, shown by name: a tester read "sales -> management" beside "Sanne de
    Vries" in the Owner field. A user renamed since shows by the new name; one deleted since,
    by the username kept."""
    anna = UserFactory(username="anna", first_name="Anna", last_name="de Vries", groups=["Sales"])
    bram = UserFactory(username="bram", first_name="Bram", last_name="Jansen", groups=["Sales"])
    gone = UserFactory(username="gone", groups=["Sales"])
    account = AccountFactory()
    for owner in (gone, anna, bram):
        services.account_set_owner(account=account, user=sales_user, owner=owner)
    gone.delete()
    anna.first_name = "Annie"
    anna.save()

    page = parse(as_user(sales_user).get(account.get_absolute_url()).content)
    history = [
        [cell.text for cell in row.find_all("td")][2:]
        for row in page.find("section", aria_labelledby="credit-h").find("tbody").find_all("tr")
    ]
    assert ["Owner", "Annie de Vries", "Bram Jansen"] in history
    assert ["Owner", "gone", "Annie de Vries"] in history
    timeline = page.find("ol", class_="timeline").text
    assert "Annie de Vries → Bram Jansen" in timeline

"""Management's and Accounting's credit hold, with a reason (seed: "Credit Hold")."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.models import Account
from tests.accounts.factories import AccountFactory
from tests.html import field_errors, parse

pytestmark = pytest.mark.django_db


def _history(account) -> list[tuple[str, str, str]]:
    return [(c.field, c.old_value, c.new_value) for c in account.changes.order_by("id")]


def _reason_on_page(html: bytes) -> str:
    spans = [e for e in parse(html).find_all("span") if "data-hold-reason" in e.attrs]
    return spans[0].text if spans else ""


class TestAccountSetCreditHold:
    @pytest.mark.parametrize("role", ["accounting_user", "management_user", "admin_user"])
    def test_accounting_and_management_put_on_hold_and_lift_it(self, role, request):
        user = request.getfixturevalue(role)
        account = AccountFactory()

        services.account_set_credit_hold(
            account=account, user=user, hold=True, reason="  Disputes invoice 12  "
        )
        account.refresh_from_db()
        assert (account.credit_hold, account.credit_hold_reason) == (True, "Disputes invoice 12")

        services.account_set_credit_hold(account=account, user=user, hold=False, reason="")
        account.refresh_from_db()
        assert (account.credit_hold, account.credit_hold_reason) == (False, "")
        assert _history(account) == [
            ("credit_hold", "No", "Yes"),
            ("credit_hold_reason", "", "Disputes invoice 12"),
            ("credit_hold", "Yes", "No"),
            ("credit_hold_reason", "Disputes invoice 12", ""),
        ]
        assert {c.changed_by for c in account.changes.all()} == {user}

    @pytest.mark.parametrize("role", ["sales_user", "no_group_user"])
    def test_sales_may_not_put_on_hold(self, role, request):
        account = AccountFactory()
        with pytest.raises(PermissionDenied):
            services.account_set_credit_hold(
                account=account, user=request.getfixturevalue(role), hold=True, reason="Doubts"
            )
        account.refresh_from_db()
        assert account.credit_hold is False
        assert not account.changes.exists()

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_hold_needs_a_reason(self, management_user, reason):
        account = AccountFactory()
        with pytest.raises(ValidationError) as error:
            services.account_set_credit_hold(
                account=account, user=management_user, hold=True, reason=reason
            )
        assert "credit_hold_reason" in error.value.message_dict
        account.refresh_from_db()
        assert account.credit_hold is False
        assert not account.changes.exists()

    def test_changing_the_reason_is_recorded(self, management_user):
        account = AccountFactory(credit_hold=True, credit_hold_reason="Disputes")
        services.account_set_credit_hold(
            account=account, user=management_user, hold=True, reason="Paid late three times"
        )
        assert _history(account) == [("credit_hold_reason", "Disputes", "Paid late three times")]

    def test_the_same_hold_again_records_nothing(self, management_user):
        account = AccountFactory(credit_hold=True, credit_hold_reason="Disputes")
        changed = services.account_set_credit_hold(
            account=account, user=management_user, hold=True, reason="Disputes"
        )
        assert changed is False
        assert not account.changes.exists()

    def test_a_reason_longer_than_200_characters_is_refused(self, management_user):
        account = AccountFactory()
        with pytest.raises(ValidationError) as error:
            services.account_set_credit_hold(
                account=account, user=management_user, hold=True, reason="x" * 201
            )
        assert "credit_hold_reason" in error.value.message_dict

    def test_the_database_keeps_no_reason_without_a_hold(self):
        account = AccountFactory()
        account.credit_hold_reason = "Disputes"
        with pytest.raises(IntegrityError), transaction.atomic():
            account.save(update_fields=["credit_hold_reason"])


class TestLimitAndHoldRights:
    def test_management_may_not_set_the_limit(self, management_user):
        """Management's hold right does not reach the limit, whatever the path."""
        account = AccountFactory()
        with pytest.raises(PermissionDenied):
            services.require_credit_permission(
                user=management_user, before=account, fields={"credit_limit": Decimal("1")}
            )

    def test_accounting_puts_on_hold_on_the_account_form_with_a_reason(self, accounting_user):
        account = AccountFactory()
        with pytest.raises(ValidationError):
            services.account_update(
                account=account, user=accounting_user, fields={"credit_hold": True}
            )
        services.account_update(
            account=account,
            user=accounting_user,
            fields={"credit_hold": True, "credit_hold_reason": "Disputes"},
        )
        # Lifting it on the form drops the reason, even when the form sent the old one.
        services.account_update(
            account=account,
            user=accounting_user,
            fields={"credit_hold": False, "credit_hold_reason": "Disputes"},
        )
        account.refresh_from_db()
        assert (account.credit_hold, account.credit_hold_reason) == (False, "")

    def test_an_imported_hold_without_a_reason_stays(self, accounting_user):
        """CRM 4's files carry no reason; an account edited later keeps its hold."""
        account = AccountFactory(credit_hold=True)
        services.account_update(account=account, user=accounting_user, fields={"name": "Renamed"})
        account.refresh_from_db()
        assert account.credit_hold is True


class TestCreditHoldAction:
    def url(self, account) -> str:
        return reverse("accounts:credit_hold", args=[account.pk])

    def test_management_puts_an_account_on_hold_from_its_page(self, as_user, management_user):
        account = AccountFactory(name="Acme Panels")
        client = as_user(management_user)
        page = client.get(account.get_absolute_url())
        assert parse(page.content).find("form", data_hold_form="")  # the action is offered

        response = client.post(
            self.url(account), {"hold": "true", "credit_hold_reason": "Disputes invoice"}
        )

        assert response.status_code == 302
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages == [
            "“Acme Panels” is on credit hold: no order is accepted unless it is prepaid "
            "and Accounting confirms the money."
        ]
        page = client.get(account.get_absolute_url())
        assert _reason_on_page(page.content) == "Disputes invoice"

    def test_management_lifts_the_hold(self, as_user, management_user):
        account = AccountFactory(name="Acme Panels", credit_hold=True, credit_hold_reason="x")
        response = as_user(management_user).post(self.url(account), {"hold": ""})
        assert response.status_code == 302
        account.refresh_from_db()
        assert (account.credit_hold, account.credit_hold_reason) == (False, "")
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages == ["The credit hold of “Acme Panels” was lifted."]

    def test_no_reason_shows_the_page_again_with_the_error(self, as_user, management_user):
        account = AccountFactory()
        response = as_user(management_user).post(
            self.url(account), {"hold": "true", "credit_hold_reason": ""}
        )
        assert response.status_code == 200
        assert "Say why" in field_errors(response.content, "credit_hold_reason")
        account.refresh_from_db()
        assert account.credit_hold is False

    def test_sales_gets_403_and_no_button(self, as_user, sales_user):
        account = AccountFactory()
        client = as_user(sales_user)
        response = client.post(self.url(account), {"hold": "true", "credit_hold_reason": "x"})
        assert response.status_code == 403
        account.refresh_from_db()
        assert account.credit_hold is False
        page = client.get(account.get_absolute_url())
        assert not parse(page.content).find_all("form", data_hold_form="")


class TestTheHistoryNamesOnlyWhatEachPersonChanged:
    """A page reads the account, someone else changes it, then the page saves: the history
    does not credit the page's user with undoing the other person's change."""

    def test_a_hold_after_a_limit_raise_records_no_limit_change(
        self, accounting_user, management_user
    ):
        account = AccountFactory(credit_limit=Decimal("1000.00"))
        read_by_management = Account.objects.get(pk=account.pk)
        services.account_update(
            account=Account.objects.get(pk=account.pk),
            user=accounting_user,
            fields={"credit_limit": Decimal("5000.00")},
        )

        services.account_set_credit_hold(
            account=read_by_management, user=management_user, hold=True, reason="Dispute"
        )

        account.refresh_from_db()
        assert account.credit_limit == Decimal("5000.00")
        assert _history(account) == [
            ("credit_limit", "1000.00", "5000.00"),
            ("credit_hold", "No", "Yes"),
            ("credit_hold_reason", "", "Dispute"),
        ]

    def test_an_edit_after_a_hold_records_no_lifted_hold(self, sales_user, accounting_user):
        account = AccountFactory()
        read_by_sales = Account.objects.get(pk=account.pk)
        services.account_set_credit_hold(
            account=Account.objects.get(pk=account.pk),
            user=accounting_user,
            hold=True,
            reason="Late",
        )

        services.account_update(
            account=read_by_sales, user=sales_user, fields={"phone": "+31 40 123 4567"}
        )

        account.refresh_from_db()
        assert account.credit_hold is True
        assert account.changes.filter(changed_by=sales_user).count() == 0
        assert _history(account) == [
            ("credit_hold", "No", "Yes"),
            ("credit_hold_reason", "", "Late"),
        ]

    def test_an_owner_change_after_it_was_made_inactive_records_the_owner_only(
        self, sales_user, management_user
    ):
        account = AccountFactory()
        read_by_sales = Account.objects.get(pk=account.pk)
        services.account_set_active(
            account=Account.objects.get(pk=account.pk), user=management_user, active=False
        )

        services.account_set_owner(account=read_by_sales, user=sales_user, owner=sales_user)

        assert [c.field for c in account.changes.filter(changed_by=sales_user)] == ["owner"]

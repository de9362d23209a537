"""The CRM4 id (IK) identifies the record an account was imported from: Sales sees it, only an
administrator changes it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import RelationshipType
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.factories import relationship_type as rtype
from tests.accounts.test_admin import change_url, form_data
from tests.accounts.test_import_command import (
    HEADER,
    old_crm_row,
    refused_lines,
    run,
    write_csv,
)
from tests.accounts.test_views import edit_data
from tests.html import parse
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

IK = "{1A2B3C4D-5E6F-7A8B-9C0D-1E2F3A4B5C6D}"


def new_fields(**overrides) -> dict:
    return {
        "name": "Kempen Trailers B.V.",
        "relationship_type": rtype(RelationshipType.PROSPECT),
        "industry": IndustryFactory(name="_Transport"),
        **overrides,
    }


class TestTheService:
    @pytest.mark.parametrize("role", ["sales_user", "accounting_user"])
    def test_staff_cannot_change_the_crm4_id(self, role, request):
        user = request.getfixturevalue(role)
        account = AccountFactory(crm4_id=IK)

        with pytest.raises(PermissionDenied, match="Only an administrator can change the CRM4"):
            services.account_update(account=account, user=user, fields={"crm4_id": "{OTHER-1}"})

        account.refresh_from_db()
        assert account.crm4_id == IK

    def test_a_new_account_keeps_the_ik_it_was_imported_with(self, sales_user):
        """Setting the IK of a new account is the import itself; changing it later is not."""
        account = services.account_create(user=sales_user, fields=new_fields(crm4_id=IK))
        assert account.crm4_id == IK

    def test_staff_may_save_the_account_with_its_crm4_id_unchanged(self, sales_user):
        account = AccountFactory(crm4_id=IK)
        services.account_update(
            account=account, user=sales_user, fields={"crm4_id": IK, "name": "Renamed B.V."}
        )
        account.refresh_from_db()
        assert (account.name, account.crm4_id) == ("Renamed B.V.", IK)

    def test_an_administrator_changes_it(self, admin_user):
        account = AccountFactory(crm4_id=IK)
        services.account_update(account=account, user=admin_user, fields={"crm4_id": "{NEW-2}"})
        account.refresh_from_db()
        assert account.crm4_id == "{NEW-2}"

    def test_no_role_group_holds_the_right(self):
        right = Permission.objects.get(
            codename="change_crm4_id", content_type__app_label="accounts"
        )
        assert not Group.objects.filter(permissions=right).exists()


class TestTheAccountForm:
    def test_sales_sees_the_crm4_id_read_only_on_the_edit_form(self, as_user, sales_user):
        account = AccountFactory(crm4_id=IK)
        response = as_user(sales_user).get(reverse("accounts:update", args=[account.pk]))
        box = parse(response.content).find("input", name="crm4_id")
        assert box.attrs["value"] == IK
        assert "disabled" in box.attrs

    def test_an_administrator_gets_an_editable_box(self, as_user, admin_user):
        account = AccountFactory(crm4_id=IK)
        response = as_user(admin_user).get(reverse("accounts:update", args=[account.pk]))
        assert "disabled" not in parse(response.content).find("input", name="crm4_id").attrs

    def test_a_crm4_id_sales_sends_anyway_is_ignored(self, as_user, sales_user):
        account = AccountFactory(crm4_id=IK)
        response = as_user(sales_user).post(
            reverse("accounts:update", args=[account.pk]),
            edit_data(account, crm4_id="{FORGED-1}", name="Renamed B.V."),
        )
        assert response.status_code == 302
        account.refresh_from_db()
        assert (account.name, account.crm4_id) == ("Renamed B.V.", IK)

    def test_the_crm4_tab_shows_the_ik_to_sales(self, as_user, sales_user):
        account = AccountFactory(crm4_id=IK)
        response = as_user(sales_user).get(account.get_absolute_url())
        tab = parse(response.content).find("section", aria_labelledby="crm4-h")
        assert tab.find("dd").text == IK


class TestTheAdmin:
    def test_staff_without_the_right_sees_it_read_only(self, client):
        user = UserFactory(is_staff=True, groups=["Sales"])
        client.force_login(user)
        account = AccountFactory(crm4_id=IK)

        response = client.get(change_url(account))

        assert "crm4_id" not in response.context["adminform"].form.fields
        data = form_data(response)
        client.post(change_url(account), {**data, "crm4_id": "{FORGED-2}"})
        account.refresh_from_db()
        assert account.crm4_id == IK


class TestTheImportCommand:
    def test_a_file_run_as_sales_cannot_change_an_ik(self, tmp_path, sales_user):
        IndustryFactory(name="_Automotive")
        account = AccountFactory(crm4_id="A1B2C3D4-0001", name="Brabant Carrosserie B.V.")
        rows = [old_crm_row(id=account.pk, crm4_id="NEW-0001")]

        out, _ = run(write_csv(tmp_path / "a.csv", rows, header=["id", *HEADER]), "--user", "sales")

        assert "Only an administrator can change the CRM4 id" in refused_lines(out)[2]
        account.refresh_from_db()
        assert account.crm4_id == "A1B2C3D4-0001"

    def test_a_file_run_by_an_administrator_changes_it(self, tmp_path, admin_user):
        IndustryFactory(name="_Automotive")
        account = AccountFactory(crm4_id="A1B2C3D4-0001", name="Brabant Carrosserie B.V.")
        rows = [old_crm_row(id=account.pk, crm4_id="NEW-0001")]

        run(write_csv(tmp_path / "a.csv", rows, header=["id", *HEADER]), "--user", "admin")

        account.refresh_from_db()
        assert account.crm4_id == "NEW-0001"

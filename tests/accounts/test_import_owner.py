"""The owner in the CSV files, by username: the export writes it, both imports read it."""

import pytest

from accounts.models import Account, AccountChange
from tests.accounts import test_import_export
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.test_import_command import refused_lines, run, write_csv
from tests.accounts.test_import_export import (
    HEADER,
    admin_import,
    old_crm_row,
    preview,
    to_csv,
)
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def industry(db):
    IndustryFactory(name="_Automotive")


def _owner_of(crm4_id: str) -> str:
    owner = Account.objects.select_related("owner").get(crm4_id=crm4_id).owner
    return owner.username if owner else ""


class TestImportCommand:
    def test_owners_are_read_by_username_and_kept_in_the_history(self, tmp_path, admin_user):
        UserFactory(username="anna", groups=["Sales"])
        account = AccountFactory(
            crm4_id="IK-OLD", owner=UserFactory(username="bram", groups=["Sales"])
        )
        rows = [
            old_crm_row(crm4_id="IK-NEW", name="New B.V.", owner="anna"),
            old_crm_row(crm4_id="IK-OLD", name=account.name, owner="anna"),
        ]
        out, _err = run(write_csv(tmp_path / "in.csv", rows))

        assert refused_lines(out) == {}
        assert (_owner_of("IK-NEW"), _owner_of("IK-OLD")) == ("anna", "anna")
        change = AccountChange.objects.get(account=account, field=AccountChange.Field.OWNER)
        assert (change.old_value, change.new_value, change.changed_by) == (
            "bram",
            "anna",
            admin_user,
        )

    def test_an_unknown_username_refuses_the_row_clearly(self, tmp_path, admin_user):
        rows = [
            old_crm_row(crm4_id="IK-1", name="One B.V.", owner="nobody-like-this"),
            old_crm_row(crm4_id="IK-2", name="Two B.V.", owner=""),
        ]
        out, _err = run(write_csv(tmp_path / "in.csv", rows))

        refused = refused_lines(out)
        assert list(refused) == [2]
        assert "No user has the username “nobody-like-this”" in refused[2]
        assert Account.objects.get().crm4_id == "IK-2"
        assert _owner_of("IK-2") == ""

    def test_an_owner_outside_sales_and_management_is_refused_unless_already_set(
        self, tmp_path, accounting_user, admin_user
    ):
        kept = AccountFactory(crm4_id="IK-1", name="One B.V.", owner=accounting_user)
        AccountFactory(crm4_id="IK-2", name="Two B.V.")
        rows = [
            old_crm_row(crm4_id="IK-1", name="One B.V. renamed", owner="accounting"),
            old_crm_row(crm4_id="IK-2", name="Two B.V.", owner="accounting"),
        ]
        out, _err = run(write_csv(tmp_path / "in.csv", rows), "--user", admin_user.username)
        assert list(refused_lines(out)) == [3]
        assert "is not in Sales or Management" in refused_lines(out)[3]
        kept.refresh_from_db()
        assert (kept.name, kept.owner) == ("One B.V. renamed", accounting_user)
        assert _owner_of("IK-2") == ""

    def test_accounting_may_not_change_owners_through_a_file(self, tmp_path, accounting_user):
        UserFactory(username="anna", groups=["Sales"])
        AccountFactory(crm4_id="IK-1", name="One B.V.")
        rows = [old_crm_row(crm4_id="IK-1", name="One B.V.", owner="anna")]
        out, _err = run(write_csv(tmp_path / "in.csv", rows), "--user", "accounting")
        assert "Only Sales or Management may change an account's owner." in refused_lines(out)[2]
        assert _owner_of("IK-1") == ""


class TestAdminImportAndExport:
    def test_the_export_names_the_owner_by_username(self, client, admin_user):
        client.force_login(admin_user)
        AccountFactory(name="Owned", owner=UserFactory(username="anna", groups=["Sales"]))
        AccountFactory(name="Nobody's")
        rows = test_import_export.TestExport.export(None, client)
        assert {row["name"]: row["owner"] for row in rows} == {"Owned": "anna", "Nobody's": ""}

    def test_the_admin_import_reads_the_owner(self, client, admin_user):
        client.force_login(admin_user)
        UserFactory(username="anna", groups=["Sales"])
        admin_import(client, to_csv([old_crm_row(owner="anna")], header=[*HEADER]))
        assert _owner_of(old_crm_row()["crm4_id"]) == "anna"

    def test_the_admin_import_shows_an_unknown_username_as_a_row_error(self, client, admin_user):
        client.force_login(admin_user)
        response = preview(client, to_csv([old_crm_row(owner="ghost")]))
        result = response.context["result"]
        assert result.has_validation_errors()
        errors = [str(e) for row in result.invalid_rows for e in row.error_dict.get("owner", [])]
        assert any("No user has the username “ghost”" in e for e in errors)
        assert not Account.objects.exists()

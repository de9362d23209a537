"""Whether an account trades, in the CSV files: the export writes it, both imports read it.

Without the column an export re-imported elsewhere made every inactive account active again.
"""

import pytest

from accounts.models import Account, AccountChange
from tests.accounts import test_import_export
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.test_import_command import refused_lines, run, write_csv
from tests.accounts.test_import_export import HEADER, admin_import, old_crm_row, preview, to_csv

pytestmark = pytest.mark.django_db
WITH_ACTIVE = [*HEADER, "is_active"]


@pytest.fixture(autouse=True)
def industry(db):
    IndustryFactory(name="_Automotive")


def _active(crm4_id: str) -> bool:
    return Account.objects.get(crm4_id=crm4_id).is_active


def _active_changes(account: Account) -> list[tuple[str, str]]:
    changes = AccountChange.objects.filter(account=account, field=AccountChange.Field.IS_ACTIVE)
    return [(c.old_value, c.new_value) for c in changes]


class TestExport:
    def test_the_export_says_which_accounts_trade(self, client, admin_user):
        client.force_login(admin_user)
        AccountFactory(name="Trading")
        AccountFactory(name="Stopped", is_active=False)
        rows = test_import_export.TestExport.export(None, client)
        assert {row["name"]: row["is_active"] for row in rows} == {"Trading": "1", "Stopped": "0"}


class TestImportCommand:
    def test_accounting_makes_accounts_inactive_and_active_through_a_file(
        self, tmp_path, accounting_user
    ):
        stopping = AccountFactory(crm4_id="IK-1", name="One B.V.")
        resuming = AccountFactory(crm4_id="IK-2", name="Two B.V.", is_active=False)
        rows = [
            {"crm4_id": "IK-1", "name": "One B.V.", "is_active": "No"},
            {"crm4_id": "IK-2", "name": "Two B.V.", "is_active": "yes"},
        ]
        path = write_csv(tmp_path / "in.csv", rows, header=["crm4_id", "name", "is_active"])
        out, _err = run(path, "--user", accounting_user.username)
        assert refused_lines(out) == {}
        assert (_active("IK-1"), _active("IK-2")) == (False, True)
        assert _active_changes(stopping) == [("Yes", "No")]
        assert _active_changes(resuming) == [("No", "Yes")]

    def test_sales_may_not_stop_an_account_through_a_file(self, tmp_path, sales_user):
        AccountFactory(crm4_id="IK-1", name="One B.V.")
        rows = [old_crm_row(crm4_id="IK-1", name="One B.V.", is_active="no")]
        out, _err = run(write_csv(tmp_path / "in.csv", rows, header=WITH_ACTIVE), "--user", "sales")
        assert "Only Management or Accounting may make an account inactive" in refused_lines(out)[2]
        assert _active("IK-1")

    def test_an_empty_cell_or_no_column_leaves_it_as_it_is(self, tmp_path, admin_user):
        """...and a new account trades unless its cell says no."""
        stopped = AccountFactory(crm4_id="IK-1", name="One B.V.", is_active=False)
        AccountFactory(crm4_id="IK-2", name="Two B.V.", is_active=False)
        rows = [
            old_crm_row(crm4_id="IK-1", name="One B.V.", email="new@one.example", is_active=""),
            old_crm_row(crm4_id="IK-3", name="Three B.V.", is_active=" "),
            old_crm_row(crm4_id="IK-4", name="Four B.V.", is_active="0"),
        ]
        out, _err = run(write_csv(tmp_path / "in.csv", rows, header=WITH_ACTIVE))
        assert refused_lines(out) == {}
        rows = [old_crm_row(crm4_id="IK-2", name="Two B.V.", email="new@two.example")]
        out, _err = run(write_csv(tmp_path / "old.csv", rows))
        assert refused_lines(out) == {}
        assert [_active(f"IK-{n}") for n in range(1, 5)] == [False, False, True, False]
        # An inactive account changed by a file is not recorded as made inactive again.
        assert _active_changes(stopped) == []

    def test_a_cell_that_is_not_yes_or_no_refuses_the_row(self, tmp_path, admin_user):
        rows = [old_crm_row(crm4_id="IK-1", name="One B.V.", is_active="maybe")]
        out, _err = run(write_csv(tmp_path / "in.csv", rows, header=WITH_ACTIVE))
        assert "“maybe” is not yes or no." in refused_lines(out)[2]
        assert not Account.objects.exists()


class TestAdminImport:
    def test_the_admin_import_reads_it_and_keeps_it_in_the_history(self, client, admin_user):
        client.force_login(admin_user)
        account = AccountFactory(crm4_id="IK-1", name="One B.V.")
        rows = [
            old_crm_row(crm4_id="IK-1", name="One B.V.", is_active="No"),
            old_crm_row(crm4_id="IK-2", name="Two B.V.", is_active=""),
        ]
        admin_import(client, to_csv(rows, header=WITH_ACTIVE))
        assert (_active("IK-1"), _active("IK-2")) == (False, True)
        assert _active_changes(account) == [("Yes", "No")]

    def test_an_empty_cell_leaves_an_inactive_account_inactive(self, client, admin_user):
        client.force_login(admin_user)
        account = AccountFactory(crm4_id="IK-1", name="One B.V.", is_active=False)
        rows = [old_crm_row(crm4_id="IK-1", name="One B.V.", email="x@one.example", is_active="")]
        admin_import(client, to_csv(rows, header=WITH_ACTIVE))
        assert not _active("IK-1")
        assert _active_changes(account) == []

    def test_sales_may_not_stop_an_account_through_the_admin(self, client, sales_user):
        sales_user.is_staff = True
        sales_user.save()
        client.force_login(sales_user)
        AccountFactory(crm4_id="IK-1", name="One B.V.")
        rows = [old_crm_row(crm4_id="IK-1", name="One B.V.", is_active="No")]
        result = preview(client, to_csv(rows, header=WITH_ACTIVE)).context["result"]
        errors = [str(e) for row in result.invalid_rows for e in row.error_dict.values()]
        assert any("Only Management or Accounting" in e for e in errors), errors
        assert _active("IK-1")

"""CSV export that spreadsheets cannot run, exact round trips, and the admin import's limits."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.formulae import escape_formula, unescape_formula
from accounts.models import Account, Address
from accounts.resources import ADMIN_IMPORT_MAX_ROWS, AccountResource, count_csv_rows
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.test_import_export import (
    EXPORT_URL,
    IMPORT_URL,
    admin_import,
    old_crm_row,
    preview,
    to_csv,
)

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize(
    "value",
    ["", "plain", HOSTILE, "+31 40 123 4567", "-minus", "@at", "\tTab", "'quoted", "'=x", "''"],
)
def test_escape_then_unescape_gives_the_value_back(value):
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_an_escaped_cell_does_not_start_like_a_formula(value):
    assert escape_formula(value).startswith("'")


def test_a_cell_from_another_program_keeps_its_apostrophe():
    assert unescape_formula("'t Hoen B.V.") == "'t Hoen B.V."


def export_csv(client) -> str:
    fields = {f"accountresource_{name}": "on" for name in AccountResource().fields}
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


@pytest.fixture
def hostile_accounts(db):
    """Accounts whose values a spreadsheet would run, and others starting with an apostrophe."""
    parent = AccountFactory(
        name=HOSTILE,
        business_unit="HQ",
        crm4_id="{ABC-1}",
        phone="+31 40 123 4567",
        email="=x@example.com",
        credit_limit=Decimal("1500.50"),
        credit_hold=True,
        credit_hold_reason="=cmd|' /C calc'!A0",
        visit__street="@Home 1",
        visit__city="-Venlo",
        mailing__street="'=Postbus 7",
    )
    AccountFactory(name="-Minus B.V.", parent=parent, business_unit="+Plant", phone="+49 221 55")
    AccountFactory(name="@At GmbH", crm4_id="IK-2", website="https://at.example/=x")
    AccountFactory(name="'t Hoen B.V.")


def snapshot() -> tuple[list[dict], list[dict]]:
    """Every field of every account and address, apart from the time of the last change."""
    accounts = list(Account.objects.order_by("pk").values())
    for row in accounts:
        row.pop("updated_at")
    addresses = list(Address.objects.order_by("pk").values())
    return accounts, addresses


class TestExportEscapesFormulae:
    def test_a_cell_starting_with_equals_is_exported_as_text(self, client, admin_user):
        client.force_login(admin_user)
        AccountFactory(name=HOSTILE, phone="+31 40 123 4567")

        rows = list(csv.DictReader(io.StringIO(export_csv(client))))

        assert rows[0]["name"] == "'" + HOSTILE
        assert rows[0]["phone"] == "'+31 40 123 4567"
        live = [cell for row in rows for cell in row.values() if cell[:1] in ("=", "+", "-", "@")]
        assert live == []


class TestRoundTrip:
    def test_admin_export_then_admin_import_is_exact(self, client, admin_user, hostile_accounts):
        client.force_login(admin_user)
        before = snapshot()

        response = admin_import(client, export_csv(client).encode())

        assert "4 update" in response.content.decode()
        assert snapshot() == before

    def test_admin_export_then_import_command_is_exact(
        self, client, admin_user, hostile_accounts, tmp_path
    ):
        client.force_login(admin_user)
        before = snapshot()
        path = tmp_path / "export.csv"
        path.write_text(export_csv(client), encoding="utf-8")
        out = io.StringIO()

        call_command(
            "import_accounts",
            str(path),
            "--user",
            admin_user.username,
            stdout=out,
            stderr=io.StringIO(),
        )

        assert "0 accounts added, 0 updated, 4 unchanged, 0 rows refused" in out.getvalue()
        assert snapshot() == before

    def test_exported_file_imports_as_new_accounts_elsewhere(
        self, client, admin_user, hostile_accounts, tmp_path
    ):
        """Into an empty CRM (ids and parent ids removed): the same values, escapes undone."""
        client.force_login(admin_user)
        exported = list(csv.DictReader(io.StringIO(export_csv(client))))
        expected = {
            row["name"]: (row["phone"], row["business_unit"]) for row in Account.objects.values()
        }
        Account.objects.all().delete()
        for row in exported:
            row["id"] = row["parent_id"] = ""
        path = tmp_path / "export.csv"
        path.write_bytes(to_csv(exported, header=list(exported[0])))

        call_command(
            "import_accounts",
            str(path),
            "--user",
            admin_user.username,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

        # The parent without a CRM4 id cannot be named without its id; the rest is exact.
        got = {
            row["name"]: (row["phone"], row["business_unit"]) for row in Account.objects.values()
        }
        assert got == expected
        assert Account.objects.get(name=HOSTILE).credit_hold_reason == "=cmd|' /C calc'!A0"
        assert Address.objects.get(kind=Address.Kind.MAILING, street="'=Postbus 7")


class TestAdminImportLimits:
    def test_a_file_over_the_limit_is_refused_before_the_preview(self, client, admin_user):
        client.force_login(admin_user)
        rows = [
            old_crm_row(crm4_id=f"X-{n}", name=f"Company {n}")
            for n in range(ADMIN_IMPORT_MAX_ROWS + 1)
        ]

        response = preview(client, to_csv(rows))

        form = response.context["form"]
        assert "manage.py import_accounts" in " ".join(form.errors["import_file"])
        assert "result" not in response.context
        assert not Account.objects.exists()

    def test_the_limit_counts_rows_not_lines(self):
        rows = [
            old_crm_row(crm4_id=f"X-{n}", visit_street="Line one\nLine two")
            for n in range(ADMIN_IMPORT_MAX_ROWS)
        ]
        upload = SimpleUploadedFile("a.csv", b"\xef\xbb\xbf" + to_csv(rows))
        assert count_csv_rows(upload, stop_after=ADMIN_IMPORT_MAX_ROWS) == ADMIN_IMPORT_MAX_ROWS
        assert upload.read(3) == b"\xef\xbb\xbf"  # rewound for the import itself

    def test_the_import_page_names_the_command(self, client, admin_user):
        client.force_login(admin_user)
        page = client.get(IMPORT_URL).content.decode()
        note = re.search(r'<p class="help" data-import-limit="1000">(.*?)</p>', page, re.S)
        assert note and "manage.py import_accounts" in note[1]

    def test_a_crm4_id_twice_in_a_file_is_an_error_naming_the_other_line(self, client, admin_user):
        client.force_login(admin_user)
        AccountFactory(crm4_id="X-1", industry__name="_Automotive")
        rows = [
            old_crm_row(crm4_id="X-1", name="First"),
            old_crm_row(crm4_id="X-2", name="Other"),
            old_crm_row(crm4_id="X-1", name="Second"),
        ]

        response = preview(client, to_csv(rows))

        result = response.context["result"]
        errors = {row.number: row.error_dict["crm4_id"] for row in result.invalid_rows}
        assert sorted(errors) == [1, 3]
        assert "is on line 3 of this file too" in errors[1][0]
        assert "is on line 1 of this file too" in errors[3][0]
        assert not response.context.get("confirm_form")
        assert not Account.objects.filter(name__in=["First", "Second", "Other"]).exists()


def test_admin_import_makes_a_row_without_relationship_type_a_prospect(client, admin_user):
    IndustryFactory(name="_Automotive")
    client.force_login(admin_user)
    admin_import(client, to_csv([old_crm_row(relationship_type="")]))
    assert Account.objects.get().relationship_type.code == "prospect"

import csv
import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from accounts.models import Account, AccountChange, Address, RelationshipType
from accounts.resources import AccountResource
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.factories import relationship_type as rtype
from tests.html import parse
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "crm4_id",
    "name",
    "relationship_type",
    "industry",
    "business_unit",
    "parent_crm4_id",
    "email",
    "phone",
    "website",
    "credit_limit",
    "credit_hold",
    "owner",
    "visit_street",
    "visit_postal_code",
    "visit_city",
    "visit_country",
    "mailing_street",
    "mailing_postal_code",
    "mailing_city",
    "mailing_country",
]

IMPORT_URL = reverse("admin:accounts_account_import")
PROCESS_URL = reverse("admin:accounts_account_process_import")
EXPORT_URL = reverse("admin:accounts_account_export")


def old_crm_row(**values) -> dict:
    """A row as the old CRM exports it (no id column of ours)."""
    return {
        "crm4_id": "A1B2C3D4-0001",
        "name": "Brabant Carrosserie B.V.",
        "relationship_type": "customer",
        "industry": "_automotive",
        "business_unit": "HQ",
        "parent_crm4_id": "",
        "email": "info@brabant.example",
        "phone": "+31 40 123 4567",
        "website": "https://brabant.example",
        "credit_limit": "",
        "credit_hold": "No",
        "visit_street": "Kastanjelaan 12",
        "visit_postal_code": "5616 LZ",
        "visit_city": "Eindhoven",
        "visit_country": "NL",
        "mailing_street": "Postbus 100",
        "mailing_postal_code": "5600 AA",
        "mailing_city": "Eindhoven",
        "mailing_country": "nl",
        **values,
    }


def to_csv(rows: list[dict], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client, content: bytes):
    """Upload a file to the admin import page: it shows a preview or the row errors."""
    upload = SimpleUploadedFile("accounts.csv", content, content_type="text/csv")
    return client.post(IMPORT_URL, {"import_file": upload, "format": "0", "resource": "0"})


def admin_import(client, content: bytes):
    """Upload, check the preview has no errors, then confirm as the admin would."""
    response = preview(client, content)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    confirm = response.context["confirm_form"]
    return client.post(PROCESS_URL, {**confirm.initial}, follow=True)


@pytest.fixture
def importer(client, admin_user):
    IndustryFactory(name="_Automotive")
    client.force_login(admin_user)
    return client


def addresses_of(account: Account) -> dict[str, Address]:
    return {a.kind: a for a in account.addresses.all()}


class TestImport:
    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
    def test_a_file_from_excel_on_windows_reads_as_the_command_reads_it(self, importer, encoding):
        """Excel on Windows saves CSV in cp1252; the command read it, the admin refused it with
        "'UnicodeDecodeError' encountered while trying to read file"."""
        row = old_crm_row(name="Café Müller B.V.", visit_city="Düsseldorf", visit_country="DE")
        content = to_csv([row]).decode().encode(encoding)

        admin_import(importer, content)

        account = Account.objects.get(crm4_id=row["crm4_id"])
        assert account.name == "Café Müller B.V."
        assert addresses_of(account)[Address.Kind.VISIT].city == "Düsseldorf"

    @pytest.mark.parametrize("cell", ["nl", "Netherlands", "netherlands", "Nederland"])
    def test_a_country_by_its_code_or_its_name(self, importer, cell):
        admin_import(importer, to_csv([old_crm_row(visit_country=cell)]))
        account = Account.objects.get()
        assert addresses_of(account)[Address.Kind.VISIT].country == "NL"

    def test_a_file_in_neither_encoding_is_refused_with_what_to_do(self, importer):
        content = to_csv([old_crm_row(name="Caf\u00e9 B.V.")]).decode().encode("cp1252")
        response = preview(importer, content.replace(b"\xe9", b"\x81\xe9"))
        assert response.context["form"].errors["import_file"] == [
            "The file is neither UTF-8 nor Windows (cp1252) text: byte 0x81 cannot be read. "
            "Save it as \u201cCSV UTF-8\u201d."
        ]
        assert not Account.objects.exists()

    def test_new_accounts_with_addresses_and_parent(self, importer, admin_user):
        """Accounts from the old CRM keep their CRM4 ids; types and industries match by name."""
        rows = [
            old_crm_row(credit_limit="25000", credit_hold="yes"),
            old_crm_row(
                crm4_id="A1B2C3D4-0002",
                name="Brabant Carrosserie Venlo B.V.",
                business_unit="Plant",
                parent_crm4_id="A1B2C3D4-0001",
                visit_street="Venrayseweg 50",
                visit_postal_code="5928 RH",
                visit_city="Venlo",
                mailing_street="",
                mailing_postal_code="",
                mailing_city="",
                mailing_country="",
            ),
        ]

        response = admin_import(importer, to_csv(rows))

        assert "2 new" in response.content.decode()
        hq = Account.objects.get(crm4_id="A1B2C3D4-0001")
        child = Account.objects.get(crm4_id="A1B2C3D4-0002")
        assert hq.relationship_type.code == RelationshipType.CUSTOMER
        assert hq.industry.name == "_Automotive"
        assert child.parent == hq
        assert (hq.credit_limit, hq.credit_hold) == (Decimal("25000"), True)
        assert hq.name_key == "brabant carrosserie"
        hq_addresses = addresses_of(hq)
        assert hq_addresses[Address.Kind.VISIT].city == "Eindhoven"
        assert hq_addresses[Address.Kind.MAILING].street == "Postbus 100"
        assert hq_addresses[Address.Kind.MAILING].country.code == "NL"
        assert addresses_of(child)[Address.Kind.VISIT].city == "Venlo"
        # The credit set by the import is in the account's history, by the importing admin.
        changes = AccountChange.objects.filter(account=hq)
        assert {c.field for c in changes} == {"credit_limit", "credit_hold"}
        assert {c.changed_by for c in changes} == {admin_user}

    def test_reimport_updates_by_crm4_id(self, importer):
        admin_import(importer, to_csv([old_crm_row()]))
        account = Account.objects.get()
        changed = old_crm_row(
            name="Brabant Carrosserie Groep B.V.", visit_street="Hurksestraat 1", credit_limit=""
        )

        response = admin_import(importer, to_csv([changed]))

        assert "1 update" in response.content.decode()
        assert Account.objects.count() == 1
        account.refresh_from_db()
        assert account.name == "Brabant Carrosserie Groep B.V."
        assert addresses_of(account)[Address.Kind.VISIT].street == "Hurksestraat 1"
        assert account.addresses.count() == 2

    def test_bad_row_is_reported_and_nothing_is_saved(self, importer):
        rows = [
            old_crm_row(),
            old_crm_row(crm4_id="X-2", name="Rhein Fahrzeugbau GmbH", industry="_Nope"),
            old_crm_row(crm4_id="X-3", name="Maas Logistics B.V.", visit_country="XX"),
            old_crm_row(crm4_id="X-4", name="Delta Trailers B.V.", credit_hold="maybe"),
        ]

        response = preview(importer, to_csv(rows))

        content = response.content.decode()
        assert "No industry is called “_Nope”" in content
        assert "visit_country" in content
        assert "“XX” is no country: write its two-letter code, such as NL, BE or DE." in content
        assert "“maybe” is not yes or no." in content
        assert "confirm_form" not in response.context or not response.context["confirm_form"]
        assert not Account.objects.exists()

    def test_confirmed_import_with_a_bad_row_saves_nothing(self, importer):
        """Even posted straight to the confirm step, one bad row rolls the whole file back."""
        good = to_csv([old_crm_row()])
        response = preview(importer, good)
        confirm = dict(response.context["confirm_form"].initial)
        # Swap the stored file for one with a bad second row, as if the data changed meanwhile.
        storage_name = confirm["import_file_name"]
        bad = to_csv([old_crm_row(), old_crm_row(crm4_id="X-2", relationship_type="Nope")])
        TempFolderStorage(name=storage_name, encoding="utf-8").save(bad.decode())

        importer.post(PROCESS_URL, confirm)

        assert not Account.objects.exists()

    def test_rule_broken_in_a_row_is_reported(self, importer):
        rows = [
            old_crm_row(),
            old_crm_row(crm4_id="X-2", name="Maas B.V.", parent_crm4_id="A1B2C3D4-0001"),
        ]

        response = preview(importer, to_csv(rows))

        assert "has no parent account" in response.content.decode()
        assert not Account.objects.exists()

    def test_child_before_its_parent_is_reported(self, importer):
        rows = [old_crm_row(crm4_id="X-2", business_unit="", parent_crm4_id="NOT-YET")]

        response = preview(importer, to_csv(rows))

        assert "No account has CRM4 id “NOT-YET”" in response.content.decode()

    def test_staff_without_credit_permission_cannot_import_credit(self, client):
        IndustryFactory(name="_Automotive")
        user = UserFactory(is_staff=True, groups=["Sales"])
        client.force_login(user)

        response = preview(client, to_csv([old_crm_row(credit_limit="1000")]))

        assert "Only Accounting may change the credit limit" in response.content.decode()
        assert not Account.objects.exists()

    def test_import_needs_add_and_change_rights(self, client):
        client.force_login(UserFactory(is_staff=True, groups=["Accounting"]))
        assert client.get(IMPORT_URL).status_code == 403
        client.force_login(UserFactory(is_staff=True, groups=["Sales"]))
        assert client.get(IMPORT_URL).status_code == 200


def test_a_bad_amount_is_a_row_error_beside_the_others(client, admin_user):
    """A tester's "1.234,56" showed only "[<class 'decimal.ConversionSyntax'>]", and hid every
    other row's error: it is the command's message now, on its row."""
    IndustryFactory(name="_Automotive")
    client.force_login(admin_user)
    rows = [
        old_crm_row(crm4_id="IK-1", credit_limit="1.234,56"),
        old_crm_row(crm4_id="IK-2", name="Second B.V.", industry="_nope"),
        old_crm_row(crm4_id="IK-3", name="Third B.V.", credit_limit="25000.00"),
    ]
    result = preview(client, to_csv(rows)).context["result"]
    assert not result.has_errors()
    errors = {
        row.number: {field: [str(e) for e in errs] for field, errs in row.error_dict.items()}
        for row in result.invalid_rows
    }
    assert errors[1]["credit_limit"] == [
        "“1.234,56” is not an amount: write it as 25000 or 25000.00."
    ]
    assert "industry" in errors[2]
    assert 3 not in errors
    assert not Account.objects.exists()


class TestExport:
    def export(self, client) -> list[dict]:
        fields = {f"accountresource_{name}": "on" for name in AccountResource().fields}
        response = client.post(EXPORT_URL, {"format": "0", "resource": "0", **fields})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    def test_export_has_the_import_columns_and_addresses(self, importer):
        AccountFactory(
            name="Brabant Carrosserie B.V.",
            crm4_id="IK-1",
            credit_limit=Decimal("5000"),
            relationship_type=rtype(RelationshipType.CUSTOMER),
            mailing__street="Postbus 7",
            mailing__city="Eindhoven",
            mailing__country="NL",
        )

        rows = self.export(importer)

        parent_at = HEADER.index("parent_crm4_id") + 1
        hold_at = HEADER.index("credit_hold") + 1
        owner_at = HEADER.index("owner") + 1
        assert list(rows[0]) == [
            "id",
            *HEADER[:parent_at],
            "parent_id",
            *HEADER[parent_at:hold_at],
            "credit_hold_reason",
            *HEADER[hold_at:owner_at],
            "is_active",
            *HEADER[owner_at:],
        ]
        row = rows[0]
        assert row["crm4_id"] == "IK-1"
        assert row["relationship_type"] == "Customer"
        assert row["credit_limit"] == "5000.00"
        assert row["credit_hold"] == "0"
        assert (row["visit_street"], row["visit_city"], row["visit_country"]) == (
            "Kastanjelaan 12",
            "Eindhoven",
            "NL",
        )
        assert row["mailing_street"] == "Postbus 7"

    def test_export_queries_do_not_grow_with_rows(self, importer, django_assert_max_num_queries):
        AccountFactory.create_batch(2)
        self.export(importer)
        with django_assert_max_num_queries(20) as few:
            self.export(importer)
        AccountFactory.create_batch(10, parent=Account.objects.first())
        with django_assert_max_num_queries(len(few)):
            assert len(self.export(importer)) == 12

    def test_export_then_import_round_trips(self, importer):
        """Accounts with and without CRM4 id import back onto themselves, unchanged."""
        parent = AccountFactory(name="Rhein Fahrzeugbau GmbH", crm4_id="IK-9", business_unit="HQ")
        AccountFactory(name="Maas Logistics B.V.", parent=parent, credit_limit=Decimal("750"))
        before = list(Account.objects.order_by("pk").values())
        exported = self.export(importer)

        response = admin_import(importer, to_csv(exported, header=list(exported[0])))

        assert "2 update" in response.content.decode()
        assert Account.objects.count() == 2
        after = list(Account.objects.order_by("pk").values())
        for row in before + after:
            row.pop("updated_at")
        assert after == before
        assert not AccountChange.objects.exists()

    def test_round_trip_keeps_parents_with_and_without_crm4_id(self, importer):
        """Every child keeps its parent, whether or not the parent has a CRM4 id."""
        with_ik = AccountFactory(name="Rhein Fahrzeugbau GmbH", crm4_id="IK-9", business_unit="HQ")
        without_ik = AccountFactory(name="Maas Logistics B.V.", business_unit="HQ")
        AccountFactory(name="Rhein Fahrzeugbau Köln", parent=with_ik, crm4_id="IK-10")
        AccountFactory(name="Maas Logistics Venlo", parent=without_ik)
        AccountFactory(name="Maas Logistics Tilburg", parent=without_ik, crm4_id="IK-11")
        parents = dict(Account.objects.values_list("name", "parent__name"))
        exported = self.export(importer)
        by_name = {row["name"]: row for row in exported}
        assert by_name["Maas Logistics Venlo"]["parent_id"] == str(without_ik.pk)
        assert by_name["Maas Logistics Venlo"]["parent_crm4_id"] == ""

        response = admin_import(importer, to_csv(exported, header=list(exported[0])))

        assert "5 update" in response.content.decode()
        assert dict(Account.objects.values_list("name", "parent__name")) == parents

    def test_file_without_parent_id_keeps_a_parent_it_cannot_name(self, importer):
        """A file from before the parent_id column cannot name a parent without CRM4 id."""
        parent = AccountFactory(name="Maas Logistics B.V.", business_unit="HQ")
        child = AccountFactory(name="Maas Logistics Venlo", parent=parent)
        exported = self.export(importer)
        for row in exported:
            del row["parent_id"]

        admin_import(importer, to_csv(exported, header=list(exported[0])))

        child.refresh_from_db()
        assert child.parent == parent

    def test_emptied_parent_cells_remove_the_parent(self, importer):
        parent = AccountFactory(name="Maas Logistics B.V.", business_unit="HQ")
        child = AccountFactory(name="Maas Logistics Venlo", parent=parent)
        exported = self.export(importer)
        row = next(row for row in exported if row["id"] == str(child.pk))
        row["parent_id"] = ""

        admin_import(importer, to_csv(exported, header=list(exported[0])))

        child.refresh_from_db()
        assert child.parent is None

    def test_crm4_id_names_the_parent_before_the_id(self, importer):
        old = AccountFactory(name="Maas Logistics B.V.", business_unit="HQ")
        new = AccountFactory(name="Rhein Fahrzeugbau GmbH", crm4_id="IK-9", business_unit="HQ")
        child = AccountFactory(name="Maas Logistics Venlo", parent=old)
        exported = self.export(importer)
        row = next(row for row in exported if row["id"] == str(child.pk))
        row["parent_crm4_id"] = new.crm4_id

        admin_import(importer, to_csv(exported, header=list(exported[0])))

        child.refresh_from_db()
        assert child.parent == new

    def test_parent_id_that_matches_nothing_is_a_row_error(self, importer):
        parent = AccountFactory(name="Maas Logistics B.V.", business_unit="HQ")
        child = AccountFactory(name="Maas Logistics Venlo", parent=parent)
        exported = self.export(importer)
        for row in exported:
            row["name"] += " (renamed)"
        row = next(row for row in exported if row["id"] == str(child.pk))
        row["parent_id"] = "999999"

        response = preview(importer, to_csv(exported, header=list(exported[0])))

        assert "No account has id 999999" in response.content.decode()
        assert not response.context.get("confirm_form")
        assert not Account.objects.filter(name__endswith="(renamed)").exists()
        child.refresh_from_db()
        assert child.parent == parent

    def test_preview_shows_the_addresses(self, importer):
        """The preview shows each address as it is and will be, so nothing looks wiped."""
        AccountFactory(name="Maas Logistics B.V.", mailing__street="Postbus 7")
        exported = self.export(importer)
        exported[0]["visit_city"] = "Venlo"

        response = preview(importer, to_csv(exported, header=list(exported[0])))

        result = response.context["result"]
        shown = dict(zip(result.diff_headers, result.rows[0].diff, strict=True))
        assert "Kastanjelaan 12" in shown["visit_street"]
        assert "Postbus 7" in shown["mailing_street"]
        assert "<del" in shown["visit_city"] and "Eindhoven" in shown["visit_city"]
        assert "<ins" in shown["visit_city"] and "Venlo" in shown["visit_city"]
        assert "Postbus 7" in response.content.decode()

    def test_export_needs_view_permission(self, client):
        client.force_login(UserFactory(is_staff=True))
        assert client.get(EXPORT_URL).status_code == 403


WAITING_FOR_GEOCODE_ACCOUNTS = (
    "The imported visit addresses are not located yet: run manage.py geocode_accounts to place "
    "them on the map."
)


def warnings(response) -> list[str]:
    """The admin's warning messages at the top of the page."""
    return [li.text for li in parse(response.content).find_all("li", class_="warning")]


class TestImportLeavesGeocodingToTheCommand:
    """An import never geocodes inside the request: 500 rows at Nominatim's one a second would
    hold it over 8 minutes, and Nominatim's policy forbids such bulk jobs."""

    def test_new_accounts_wait_for_geocode_accounts(
        self, importer, lookups, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_import(importer, to_csv([old_crm_row()]))
        assert lookups == []
        visit = Address.objects.get(kind=Address.Kind.VISIT)
        assert (visit.geocode_status, visit.latitude) == (Address.GeocodeStatus.PENDING, None)
        assert "1 new" in response.content.decode()
        assert WAITING_FOR_GEOCODE_ACCOUNTS in warnings(response)
        page = parse(importer.get(visit.account.get_absolute_url()).content)
        assert page.find("p", class_="geo-pending").text == (
            "Not geocoded yet: It will be placed on the map at the next scheduled geocoding run."
        )

    def test_a_changed_visit_address_waits_too(
        self, importer, lookups, django_capture_on_commit_callbacks
    ):
        account = AccountFactory(crm4_id="A1B2C3D4-0001", industry__name="_Automotive")
        Address.objects.filter(account=account, kind=Address.Kind.VISIT).update(
            latitude=1.0, longitude=2.0, geocode_status=Address.GeocodeStatus.OK
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_import(importer, to_csv([old_crm_row(visit_city="Venlo")]))
        assert lookups == []
        visit = account.addresses.get(kind=Address.Kind.VISIT)
        assert (visit.city, visit.latitude) == ("Venlo", None)
        assert visit.geocode_status == Address.GeocodeStatus.PENDING
        assert WAITING_FOR_GEOCODE_ACCOUNTS in warnings(response)


def test_an_unchanged_file_says_nothing_of_addresses_to_locate(importer):
    """A tester re-imported an export as it was and read that the visit addresses were not
    located yet, though none had changed and every one kept its place."""
    AccountFactory(crm4_id="IK-1", industry__name="_Automotive")
    Address.objects.filter(kind=Address.Kind.VISIT).update(
        latitude=1.0, longitude=2.0, geocode_status=Address.GeocodeStatus.OK
    )
    exported = TestExport.export(None, importer)
    response = admin_import(importer, to_csv(exported, header=list(exported[0])))
    assert WAITING_FOR_GEOCODE_ACCOUNTS not in warnings(response)
    assert Address.objects.get(kind=Address.Kind.VISIT).latitude == 1.0


@pytest.mark.parametrize("url", [EXPORT_URL, reverse("admin:accounts_account_import")])
def test_the_import_and_export_pages_need_no_inline_script_or_style(as_user, admin_user, url):
    """The CSP refuses inline handlers and styles, so the admin's pages carry none."""
    response = as_user(admin_user).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert " onchange=" not in page and " onclick=" not in page
    assert " style=" not in page
    if url == EXPORT_URL:
        assert 'id="select-all-toggle"' in page
        assert "/static/js/admin_export.js" in page


def test_an_account_without_a_mailing_address_exports_its_cells_empty():
    """Every account should have both addresses, but one that lost its mailing address still
    exports: empty mailing cells, country included, not an error."""
    account = AccountFactory()
    account.addresses.filter(kind=Address.Kind.MAILING).delete()
    row = AccountResource().export(queryset=Account.objects.filter(pk=account.pk)).dict[0]
    assert row["name"] == account.name
    assert (row["mailing_street"], row["mailing_country"]) == ("", "")


def test_an_import_without_a_user_is_refused_and_writes_nothing():
    """The admin says who imports; without a user every row is refused with a reason."""
    IndustryFactory(name="_Automotive")
    dataset = tablib.Dataset().load(to_csv([old_crm_row()]).decode(), format="csv")
    result = AccountResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    errors = [str(e) for row in result.invalid_rows for e in row.error.messages]
    assert errors == ["Only a logged-in user can import accounts."]
    assert not Account.objects.exists()


def test_a_semicolon_file_from_a_dutch_excel_imports_as_the_command_reads_it(importer):
    """The admin read "id;crm4_id;name;..." as one column and showed a traceback."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=";")
    writer.writeheader()
    writer.writerow(old_crm_row(name="Puntkomma B.V."))
    admin_import(importer, out.getvalue().encode())
    assert Account.objects.get(crm4_id="A1B2C3D4-0001").name == "Puntkomma B.V."


def test_a_file_the_import_cannot_read_gets_no_traceback(importer):
    """A file without the id and crm4_id columns (the import's keys) says so, without server
    paths."""
    page = preview(importer, b"naam,plaats\nPuntkomma B.V.,Eindhoven\n").content.decode()
    assert "crm4_id" in page
    assert "neither an id nor a crm4_id column" in page
    assert "Traceback" not in page and "site-packages" not in page
    assert not Account.objects.exists()


def test_a_row_repeated_without_any_id_is_refused_in_the_admin_too(importer):
    same = old_crm_row(crm4_id="", name="Dup NoId B.V.")
    result = preview(importer, to_csv([same, old_crm_row(crm4_id="X-9"), same])).context["result"]
    refused = {row.number: row.error_dict for row in result.invalid_rows}
    assert list(refused) == [3], refused
    assert "The same as line 1, which adds this account already" in str(refused[3]["name"])


def test_a_column_the_admin_does_not_read_is_refused_not_ignored(importer):
    """A tester's parent_name column (which only manage.py import_accounts reads) was dropped
    without a word: the accounts came in without their parents."""
    header = [*HEADER, "parent_name"]
    row = old_crm_row(parent_name="Bos Handel B.V.")
    page = preview(importer, to_csv([row], header=header)).content.decode()
    assert "columns this import does not read: “parent_name”" in page
    assert not Account.objects.exists()


def test_an_unknown_industry_is_refused_in_the_users_language(importer, admin_user):
    admin_user.language = "nl"
    admin_user.save(update_fields=["language"])
    result = preview(importer, to_csv([old_crm_row(industry="_Nope")])).context["result"]
    errors = str([row.error_dict for row in result.invalid_rows])
    assert "Er is geen branche “_Nope”" in errors


def test_a_column_given_twice_is_refused_not_overwritten(importer):
    """A tester's file had credit_hold_reason twice: the last cell won without a word."""
    header = [*HEADER, "business_unit"]
    page = preview(importer, to_csv([old_crm_row()], header=header)).content.decode()
    assert "These columns occur twice: business_unit." in page
    assert not Account.objects.exists()


def test_a_file_of_ids_alone_updates_those_accounts(importer):
    """The README: a row finds its account by id, else by CRM4 id; a tester's file of id and
    name was refused for want of a crm4_id column."""
    account = AccountFactory(name="Old name B.V.", crm4_id="")
    content = f"id,name\n{account.pk},New name B.V.\n".encode()

    admin_import(importer, content)

    account.refresh_from_db()
    assert account.name == "New name B.V."
    assert Account.objects.count() == 1


def test_a_file_with_neither_id_nor_crm4_id_is_refused(importer):
    page = preview(importer, b"name,email\nNew B.V.,info@new.example\n").content.decode()
    assert "The file has neither an id nor a crm4_id column" in page
    assert not Account.objects.exists()

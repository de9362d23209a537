"""manage.py import_accounts: big CSV files, streamed and written in batches."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import Account, AccountChange, Address, RelationshipType
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.factories import relationship_type as rtype
from tests.accounts.test_import_export import HEADER, old_crm_row
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def industries(db):
    IndustryFactory(name="_Automotive")
    IndustryFactory(name="Metal")  # an old CRM4 industry, not offered for new choices


@pytest.fixture(autouse=True)
def importer(admin_user):
    """The user the imports act for unless a test names another: a superuser."""
    return admin_user


def write_csv(path: Path, rows: list[dict], *, header=HEADER, encoding="utf-8") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    """Run the command, as the superuser unless --user is given; its stdout and stderr."""
    if "--user" not in args:
        args = (*args, "--user", "admin")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_accounts", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_lines(out: str) -> dict[int, str]:
    """The refused rows the command lists: line number to reason."""
    lines = {}
    for text in out.splitlines():
        if text.startswith("  line "):
            head, reason = text.strip().split(": ", 1)
            lines[int(head.split()[1])] = reason
    return lines


def names() -> set[str]:
    return set(Account.objects.values_list("name", flat=True))


class TestEncodings:
    ROW = old_crm_row(name="Société Générale Équipement", visit_city="Liège", visit_country="BE")

    @pytest.mark.parametrize(
        ("encoding", "bom"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")]
    )
    def test_reads_utf8_with_or_without_bom_and_cp1252(self, tmp_path, encoding, bom):
        """The encoding is detected: "é" arrives as "é", and a BOM is not part of the header."""
        path = write_csv(tmp_path / "in.csv", [self.ROW], encoding=encoding)
        path.write_bytes(bom + path.read_bytes())

        out, _ = run(path)

        account = Account.objects.get()
        assert account.name == "Société Générale Équipement"
        assert account.addresses.get(kind=Address.Kind.VISIT).city == "Liège"
        assert account.crm4_id == "A1B2C3D4-0001"
        assert "1 accounts added" in out

    def test_reads_the_semicolons_of_a_dutch_excel(self, tmp_path):
        path = tmp_path / "in.csv"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=";")
        writer.writeheader()
        writer.writerow(old_crm_row(name="Van Dijk, Bouw & Zn B.V."))
        path.write_bytes(out.getvalue().encode("cp1252"))

        run(path)

        assert Account.objects.get().name == "Van Dijk, Bouw & Zn B.V."

    def test_encoding_can_be_named(self, tmp_path):
        path = write_csv(tmp_path / "in.csv", [self.ROW], encoding="cp1252")
        run(path, "--encoding", "latin-1")
        assert Account.objects.get().name == "Société Générale Équipement"

    def test_bytes_that_are_not_cp1252_stop_the_file(self, tmp_path):
        path = write_csv(tmp_path / "in.csv", [self.ROW], encoding="cp1252")
        path.write_bytes(path.read_bytes() + b"\x81\r\n")
        with pytest.raises(CommandError, match="not valid cp1252"):
            run(path)
        assert not Account.objects.exists()


class TestRows:
    def test_new_accounts_with_addresses_parent_and_credit(self, tmp_path, importer):
        rows = [
            old_crm_row(credit_limit="25000", credit_hold="yes"),
            old_crm_row(
                crm4_id="A1B2C3D4-0002",
                name="Brabant Carrosserie Venlo B.V.",
                business_unit="Plant",
                parent_crm4_id="A1B2C3D4-0001",
                industry="metal",
                visit_city="Venlo",
            ),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        hq = Account.objects.get(crm4_id="A1B2C3D4-0001")
        child = Account.objects.get(crm4_id="A1B2C3D4-0002")
        assert child.parent == hq
        assert child.industry.name == "Metal"
        assert hq.relationship_type.code == RelationshipType.CUSTOMER
        assert (hq.credit_limit, hq.credit_hold) == (Decimal("25000"), True)
        assert hq.name_key == "brabant carrosserie"
        addresses = {a.kind: a for a in hq.addresses.all()}
        assert addresses[Address.Kind.MAILING].street == "Postbus 100"
        assert addresses[Address.Kind.MAILING].country.code == "NL"
        changes = AccountChange.objects.filter(account=hq)
        assert {c.field for c in changes} == {"credit_limit", "credit_hold"}
        assert {c.changed_by for c in changes} == {importer}
        assert "2 accounts added" in out

    def test_a_row_without_relationship_type_is_a_prospect(self, tmp_path):
        rows = [old_crm_row(relationship_type="")]
        header = [c for c in HEADER if c != "relationship_type"]
        run(write_csv(tmp_path / "a.csv", rows))
        run(write_csv(tmp_path / "b.csv", [old_crm_row(crm4_id="X-2")], header=header))
        types = set(Account.objects.values_list("relationship_type__code", flat=True))
        assert types == {RelationshipType.PROSPECT}

    def test_existing_account_is_updated_by_crm4_id(self, tmp_path):
        account = AccountFactory(
            crm4_id="A1B2C3D4-0001",
            industry__name="_Automotive",
            relationship_type=rtype(RelationshipType.CUSTOMER),
        )
        parent = AccountFactory(crm4_id="P-1", business_unit="HQ")
        row = old_crm_row(
            name="Brabant Groep B.V.",
            visit_street="Hurksestraat 1",
            relationship_type="",
            business_unit="Plant",
            parent_crm4_id="P-1",
            credit_limit="750.50",
            credit_hold="yes",
        )

        out, _ = run(write_csv(tmp_path / "in.csv", [row]))

        assert "0 accounts added, 1 updated" in out
        account.refresh_from_db()
        assert account.name == "Brabant Groep B.V."
        assert (account.parent, account.business_unit) == (parent, "Plant")
        assert (account.credit_limit, account.credit_hold) == (Decimal("750.50"), True)
        history = {c.field: (c.old_value, c.new_value) for c in account.changes.all()}
        assert history == {"credit_limit": ("", "750.50"), "credit_hold": ("No", "Yes")}
        assert account.name_key == "brabant groep"
        # An empty cell does not turn a customer back into a prospect.
        assert account.relationship_type.code == RelationshipType.CUSTOMER
        assert account.addresses.get(kind=Address.Kind.VISIT).street == "Hurksestraat 1"
        assert Account.objects.count() == 2

    def test_rows_without_crm4_id_are_added_again_and_the_summary_says_so(self, tmp_path):
        path = write_csv(tmp_path / "in.csv", [old_crm_row(crm4_id=""), old_crm_row()])
        out, _ = run(path)
        assert "1 new account has no CRM4 id (nor id)" in out
        run(path)
        assert Account.objects.count() == 3

    def test_a_file_imported_twice_changes_nothing_the_second_time(self, tmp_path):
        path = write_csv(tmp_path / "in.csv", [old_crm_row(), old_crm_row(crm4_id="X-2")])
        run(path)
        before = list(Account.objects.order_by("pk").values())

        out, _ = run(path)

        assert "0 accounts added, 0 updated, 2 unchanged" in out
        assert list(Account.objects.order_by("pk").values()) == before

    def test_children_above_their_parents_wait_for_them(self, tmp_path):
        """The admin's export sorts by name, so a child may come before its parent."""
        rows = [
            old_crm_row(crm4_id="C", name="Child", business_unit="", parent_crm4_id="B"),
            old_crm_row(crm4_id="B", name="Branch", business_unit="", parent_crm4_id="A"),
            old_crm_row(crm4_id="D", name="Orphan", business_unit="", parent_crm4_id="Z"),
            old_crm_row(crm4_id="A", name="Top"),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        parents = dict(Account.objects.values_list("crm4_id", "parent__crm4_id"))
        assert parents == {"A": None, "B": "A", "C": "B"}
        assert "No account has CRM4 id “Z”" in refused_lines(out)[4]

    def test_an_existing_account_gets_a_new_parent_from_the_same_file(self, tmp_path):
        account = AccountFactory(crm4_id="X", industry__name="_Automotive")
        rows = [
            old_crm_row(crm4_id="N", name="New Holding"),
            old_crm_row(crm4_id="X", name=account.name, business_unit="", parent_crm4_id="N"),
        ]

        run(write_csv(tmp_path / "in.csv", rows))

        account.refresh_from_db()
        assert account.parent.crm4_id == "N"

    def test_parent_by_name(self, tmp_path):
        AccountFactory(name="Rhein Fahrzeugbau GmbH", business_unit="HQ")
        rows = [
            old_crm_row(crm4_id="X-1", business_unit="", parent_name="rhein fahrzeugbau gmbh"),
            old_crm_row(crm4_id="X-2", name="Maas B.V.", business_unit="HQ", parent_name=""),
            old_crm_row(crm4_id="X-3", business_unit="", parent_name="Maas B.V."),
            old_crm_row(crm4_id="X-4", business_unit="", parent_name="Nobody GmbH"),
        ]
        header = [*HEADER, "parent_name"]

        out, _ = run(write_csv(tmp_path / "in.csv", rows, header=header))

        parents = dict(Account.objects.values_list("crm4_id", "parent__name"))
        assert parents["X-1"] == "Rhein Fahrzeugbau GmbH"
        assert parents["X-3"] == "Maas B.V."
        assert "No account is called “Nobody GmbH”" in refused_lines(out)[5]

    def test_an_empty_parent_cell_keeps_a_parent_without_crm4_id(self, tmp_path):
        """A file naming parents by CRM4 id only cannot name this one: its empty cell keeps it."""
        unnamed = AccountFactory(name="Maas Logistics B.V.", business_unit="HQ")
        named = AccountFactory(name="Rhein Fahrzeugbau GmbH", crm4_id="IK-9", business_unit="HQ")
        kept = AccountFactory(crm4_id="X-1", industry__name="_Automotive", parent=unnamed)
        dropped = AccountFactory(crm4_id="X-2", industry__name="_Automotive", parent=named)
        rows = [
            old_crm_row(crm4_id="X-1", business_unit="", parent_crm4_id=""),
            old_crm_row(crm4_id="X-2", business_unit="", parent_crm4_id=""),
        ]

        run(write_csv(tmp_path / "in.csv", rows))

        kept.refresh_from_db()
        dropped.refresh_from_db()
        assert (kept.parent, dropped.parent) == (unnamed, None)

    def test_a_parent_loop_through_rows_of_the_file_is_refused(self, tmp_path):
        top = AccountFactory(crm4_id="T", industry__name="_Automotive")
        middle = AccountFactory(crm4_id="M", industry__name="_Automotive", parent=top)
        rows = [old_crm_row(crm4_id="T", business_unit="", parent_crm4_id="M")]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        assert "would make a loop" in refused_lines(out)[2]
        top.refresh_from_db()
        middle.refresh_from_db()
        assert (top.parent, middle.parent) == (None, top)

    def test_visit_addresses_are_not_geocoded(self, tmp_path, lookups):
        moved = AccountFactory(crm4_id="X-2", industry__name="_Automotive")
        Address.objects.filter(account=moved, kind=Address.Kind.VISIT).update(
            latitude=1.0, longitude=2.0, geocode_status=Address.GeocodeStatus.OK
        )
        rows = [old_crm_row(), old_crm_row(crm4_id="X-2", visit_city="Venlo")]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        assert lookups == []
        visits = Address.objects.filter(kind=Address.Kind.VISIT)
        assert {(v.geocode_status, v.latitude) for v in visits} == {
            (Address.GeocodeStatus.PENDING, None)
        }
        assert "run manage.py geocode_accounts" in out

    def test_credit_needs_the_users_permission(self, tmp_path):
        UserFactory(username="sam", groups=["Sales"])
        rows = [old_crm_row(credit_limit="1000"), old_crm_row(crm4_id="X-2")]

        out, _ = run(write_csv(tmp_path / "in.csv", rows), "--user", "sam")

        assert "Only Accounting may change the credit limit" in refused_lines(out)[2]
        assert names() == {"Brabant Carrosserie B.V."}

    @pytest.mark.parametrize(
        ("row", "account"),
        [
            # A headquarters with a parent.
            ({"crm4_id": "M", "business_unit": "hq", "parent_crm4_id": "T"}, "middle"),
            # A parent below the account.
            ({"crm4_id": "T", "business_unit": "", "parent_crm4_id": "M"}, "top"),
        ],
    )
    def test_hierarchy_refusals_are_the_account_pages_messages(self, tmp_path, row, account):
        """The import and the model decide by one rule, so they refuse with the same words."""
        top = AccountFactory(crm4_id="T", industry__name="_Automotive")
        middle = AccountFactory(crm4_id="M", industry__name="_Automotive", parent=top)
        accounts = {"top": top, "middle": middle}

        out, _ = run(write_csv(tmp_path / "in.csv", [old_crm_row(**row)]))

        changed = accounts[account]
        changed.business_unit = row["business_unit"]
        changed.parent = {"top": middle, "middle": top}[account]
        with pytest.raises(ValidationError) as error:
            changed.full_clean()
        assert refused_lines(out)[2] == f"parent: {error.value.message_dict['parent'][0]}"

    def test_a_website_is_read_as_the_account_form_reads_it(self, tmp_path):
        rows = [
            old_crm_row(crm4_id="X-1", website="www.brabant.example"),
            old_crm_row(crm4_id="X-2", website="brabant.example:8080"),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        assert Account.objects.get(crm4_id="X-1").website == "https://www.brabant.example"
        assert refused_lines(out)[3].startswith("website:")

    def test_a_country_by_its_name_or_a_clear_refusal(self, tmp_path):
        rows = [
            old_crm_row(crm4_id="X-1", visit_country="Germany"),
            old_crm_row(crm4_id="X-2", visit_country="Holland"),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        assert Account.objects.get(crm4_id="X-1").addresses.get(kind="visit").country == "DE"
        assert refused_lines(out)[3] == (
            "visit_country: “Holland” is no country: "
            "write its two-letter code, such as NL, BE or DE."
        )


class TestActingUser:
    """The import acts for a named user: that user's rights decide, and the history names them."""

    def test_the_user_must_be_named(self, tmp_path):
        path = write_csv(tmp_path / "in.csv", [old_crm_row()])
        with pytest.raises(CommandError, match="--user"):
            call_command("import_accounts", str(path), stdout=io.StringIO())
        assert not Account.objects.exists()

    def test_an_unknown_user_stops_the_import(self, tmp_path):
        with pytest.raises(CommandError, match="No user nobody-here"):
            run(write_csv(tmp_path / "in.csv", [old_crm_row()]), "--user", "nobody-here")
        assert not Account.objects.exists()

    def test_an_inactive_user_stops_the_import(self, tmp_path):
        UserFactory(username="gone", is_active=False, is_superuser=True)
        with pytest.raises(CommandError, match="gone"):
            run(write_csv(tmp_path / "in.csv", [old_crm_row()]), "--user", "gone")
        assert not Account.objects.exists()

    def test_a_user_who_may_neither_add_nor_change_accounts_stops_the_import(
        self, tmp_path, management_user
    ):
        path = write_csv(tmp_path / "in.csv", [old_crm_row()])
        with pytest.raises(CommandError, match="may neither add nor change accounts"):
            run(path, "--user", management_user.username)
        assert not Account.objects.exists()

    def test_each_row_needs_the_right_for_what_it_does(self, tmp_path, accounting_user):
        """Accounting changes accounts and their credit, but adds none and moves no address."""
        AccountFactory(crm4_id="X-1", industry__name="_Automotive")
        AccountFactory(crm4_id="X-2", industry__name="_Automotive")
        # The file names X-1's addresses as they are: only the account itself changes.
        addresses = {
            f"{a.kind}_{part}": str(getattr(a, part))
            for a in Address.objects.filter(account__crm4_id="X-1")
            for part in ("street", "postal_code", "city", "country")
        }
        rows = [
            old_crm_row(crm4_id="X-1", name="Renamed B.V.", credit_limit="5000", **addresses),
            old_crm_row(crm4_id="X-2", visit_street="Elsewhere 1"),
            old_crm_row(crm4_id="X-3", name="New B.V."),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows), "--user", accounting_user.username)

        refused = refused_lines(out)
        assert sorted(refused) == [3, 4]
        assert refused[3] == "Your role may not change addresses."
        assert refused[4] == "Your role may not add accounts."
        renamed = Account.objects.get(crm4_id="X-1")
        assert (renamed.name, renamed.credit_limit) == ("Renamed B.V.", Decimal("5000"))
        history = {c.field: (c.new_value, c.changed_by) for c in renamed.changes.all()}
        assert history["credit_limit"] == ("5000.00", accounting_user)
        assert not Account.objects.filter(crm4_id="X-3").exists()


class TestRefusedRows:
    def test_bad_rows_are_reported_with_their_line_and_the_rest_is_imported(self, tmp_path):
        rows = [
            old_crm_row(crm4_id="X-1"),
            old_crm_row(crm4_id="X-2", industry="_Nope"),
            old_crm_row(crm4_id="X-3", visit_country="XX"),
            old_crm_row(crm4_id="X-4", credit_hold="maybe"),
            old_crm_row(crm4_id="X-5", industry=""),
            old_crm_row(crm4_id="X-6", relationship_type="Friend"),
            old_crm_row(crm4_id="X-7", business_unit="", parent_crm4_id="X-2"),
            old_crm_row(crm4_id="X-8", business_unit="hq", parent_crm4_id="X-1"),
            old_crm_row(crm4_id="X 9"),
            old_crm_row(crm4_id="X-10", email="not an email", phone="call me"),
            old_crm_row(crm4_id="X-11", credit_limit="-5"),
            old_crm_row(crm4_id="X-12", name=""),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        refused = refused_lines(out)
        assert sorted(refused) == list(range(3, 14))
        assert "No industry is called “_Nope”" in refused[3]
        assert refused[4].startswith("visit_country:")
        assert "“maybe” is not yes or no." in refused[5]
        assert "industry: Every account needs an industry." in refused[6]
        assert "No relationship type is called “Friend”" in refused[7]
        assert "The parent with CRM4 id “X-2” (line 3) was refused." in refused[8]
        assert "has no parent account" in refused[9]
        assert refused[10].startswith("crm4_id:")
        assert "email:" in refused[11] and "phone:" in refused[11]
        assert refused[12].startswith("credit_limit:")
        assert refused[13].startswith("name:")
        assert names() == {"Brabant Carrosserie B.V."}
        assert "1 accounts added, 0 updated, 0 unchanged, 11 rows refused" in out

    def test_duplicate_crm4_id_refuses_both_rows_and_names_both_lines(self, tmp_path):
        rows = [
            old_crm_row(crm4_id="X-1", name="First"),
            old_crm_row(crm4_id="X-2", name="Other"),
            old_crm_row(crm4_id="X-1", name="Second"),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        refused = refused_lines(out)
        assert sorted(refused) == [2, 4]
        for line in (2, 4):
            assert "CRM4 id “X-1” is on lines 2, 4" in refused[line]
        assert names() == {"Other"}

    def test_a_row_repeated_without_any_id_is_added_once(self, tmp_path):
        """An operator's file held the same line twice: both were added."""
        same = old_crm_row(crm4_id="", name="Dup NoId B.V.")
        rows = [same, old_crm_row(crm4_id="", name="Another B.V."), dict(same)]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        refused = refused_lines(out)
        assert sorted(refused) == [4]
        assert "The same as line 2, which adds this account already" in refused[4]
        assert sorted(Account.objects.values_list("name", flat=True)) == [
            "Another B.V.",
            "Dup NoId B.V.",
        ]

    def test_hostile_values_are_refused_rows_not_crashes(self, tmp_path):
        rows = [
            old_crm_row(crm4_id="X-1", name="Nul\x00Byte B.V."),
            old_crm_row(crm4_id="X-2", credit_limit="sNaN"),
            old_crm_row(crm4_id="X-3", name="A" * 10_000),
            old_crm_row(crm4_id="X-4", credit_limit="1e400"),
            old_crm_row(crm4_id="X-5", visit_city="x" * 200_000),
            old_crm_row(crm4_id="X-6", parent_crm4_id="P\x00", business_unit=""),
            old_crm_row(crm4_id="X-7"),
        ]

        out, _ = run(write_csv(tmp_path / "in.csv", rows))

        refused = refused_lines(out)
        assert sorted(refused) == [2, 3, 4, 5, 6, 7]
        assert "NUL" in refused[2]
        assert refused[3].startswith("credit_limit:")
        assert "at most 200 characters" in refused[4]
        assert refused[5].startswith("credit_limit:")
        assert "cannot be read as CSV" in refused[6]
        assert set(Account.objects.values_list("crm4_id", flat=True)) == {"X-7"}

    def test_a_row_with_too_many_cells_is_refused(self, tmp_path):
        path = write_csv(tmp_path / "in.csv", [old_crm_row()])
        path.write_text(path.read_text() + path.read_text().splitlines()[1] + ",extra\r\n")

        out, _ = run(path)

        columns = len(HEADER)
        expected = f"has {columns + 1} cells where the header has {columns} columns"
        assert expected in refused_lines(out)[3]

    def test_refused_rows_go_to_a_report_file(self, tmp_path):
        rows = [old_crm_row(crm4_id="X-1"), old_crm_row(crm4_id="X-2", name="=cmd|'/c calc'!A1")]
        rows[1]["industry"] = "_Nope"
        report = tmp_path / "refused.csv"

        out, _ = run(write_csv(tmp_path / "in.csv", rows), "--report", str(report))

        with report.open(encoding="utf-8-sig", newline="") as file:
            lines = list(csv.DictReader(file))
        assert [(r["line"], r["crm4_id"]) for r in lines] == [("3", "X-2")]
        assert "No industry is called" in lines[0]["reason"]
        # The report is opened in spreadsheets too: a name like a formula stays text.
        assert lines[0]["name"] == "'=cmd|'/c calc'!A1"
        assert "refused.csv" in out

    def test_a_file_without_a_name_column_is_refused_whole(self, tmp_path):
        path = tmp_path / "in.csv"
        path.write_text("foo;bar\n1;2\n")
        with pytest.raises(CommandError, match="no name column"):
            run(path)


class TestDryRun:
    def test_dry_run_writes_nothing_and_says_what_it_would_do(self, tmp_path):
        AccountFactory(crm4_id="X-1", industry__name="_Automotive")
        rows = [
            old_crm_row(crm4_id="X-1", name="Renamed"),
            old_crm_row(crm4_id="X-2"),
            old_crm_row(crm4_id="X-3", business_unit="", parent_crm4_id="X-2"),
            old_crm_row(crm4_id="X-4", industry="_Nope"),
        ]
        before = list(Account.objects.values())

        out, _ = run(write_csv(tmp_path / "in.csv", rows), "--dry-run")

        assert list(Account.objects.values()) == before
        assert Address.objects.count() == 2
        assert not AccountChange.objects.exists()
        assert "Dry run, nothing written" in out
        assert "2 would be added, 1 would be updated, 0 are unchanged, 1 would be refused" in out
        assert list(refused_lines(out)) == [5]


class TestProgress:
    def test_progress_bar_on_stderr_in_plain_lines_without_a_terminal(self, tmp_path, monkeypatch):
        monkeypatch.setenv("CI", "true")
        rows = [old_crm_row(crm4_id=f"X-{n}", name=f"Company {n}") for n in range(25)]

        out, err = run(write_csv(tmp_path / "in.csv", rows), "--batch-size", "10")

        lines = err.splitlines()
        assert lines[-1].startswith("[##############################] 25/25 rows")
        assert "\r" not in err
        assert "25 accounts added" in out

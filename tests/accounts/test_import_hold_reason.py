"""The credit hold's reason in the files: exported, read back, and asked for as on the form.

A file without the column (CRM 4's own export) brings its holds in without a reason, as before;
a file with it follows the form's rule: a hold put on needs a reason.
"""

import csv
import io

import pytest

from accounts.models import Account
from accounts.resources import AccountResource
from tests.accounts.factories import AccountFactory, IndustryFactory
from tests.accounts.test_import_command import refused_lines, run, write_csv
from tests.accounts.test_import_export import EXPORT_URL, HEADER, admin_import, old_crm_row, preview
from tests.accounts.test_import_export import to_csv as admin_csv

pytestmark = pytest.mark.django_db

WITH_REASON = [*HEADER, "credit_hold_reason"]
NEEDS_REASON = "Say why the account goes on credit hold"


@pytest.fixture
def admin_client(client, admin_user):
    IndustryFactory(name="_Automotive")
    client.force_login(admin_user)
    return client


def export(client) -> list[dict]:
    fields = {f"accountresource_{name}": "on" for name in AccountResource().fields}
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0", **fields})
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_export_carries_the_reason_and_a_round_trip_keeps_it(admin_client):
    AccountFactory(name="Held B.V.", credit_hold=True, credit_hold_reason="Disputed invoice")
    exported = export(admin_client)
    assert exported[0]["credit_hold_reason"] == "Disputed invoice"
    admin_import(admin_client, admin_csv(exported, header=list(exported[0])))
    assert Account.objects.get().credit_hold_reason == "Disputed invoice"


def test_the_admin_import_reads_the_reason(admin_client):
    row = old_crm_row(credit_hold="yes", credit_hold_reason="Pays late")
    admin_import(admin_client, admin_csv([row], header=WITH_REASON))
    account = Account.objects.get()
    assert (account.credit_hold, account.credit_hold_reason) == (True, "Pays late")


def test_the_admin_import_refuses_a_hold_without_its_reason(admin_client):
    row = old_crm_row(credit_hold="yes", credit_hold_reason="")
    result = preview(admin_client, admin_csv([row], header=WITH_REASON)).context["result"]
    errors = [str(e) for row in result.invalid_rows for e in row.error_dict.values()]
    assert any(NEEDS_REASON in error for error in errors), errors


def test_the_command_reads_the_reason_and_refuses_a_hold_without_one(tmp_path, admin_user):
    IndustryFactory(name="_Automotive")
    path = write_csv(
        tmp_path / "holds.csv",
        [
            old_crm_row(
                crm4_id="IK-1",
                name="Reasoned B.V.",
                credit_hold="yes",
                credit_hold_reason="Pays late",
            ),
            old_crm_row(
                crm4_id="IK-2", name="Silent B.V.", credit_hold="yes", credit_hold_reason=""
            ),
        ],
        header=WITH_REASON,
    )
    out, _err = run(path)
    assert Account.objects.get(crm4_id="IK-1").credit_hold_reason == "Pays late"
    assert NEEDS_REASON in refused_lines(out)[3]
    assert not Account.objects.filter(crm4_id="IK-2").exists()


def test_a_file_without_the_column_brings_crm4s_holds_in_as_before(tmp_path, admin_user):
    IndustryFactory(name="_Automotive")
    path = write_csv(tmp_path / "crm4.csv", [old_crm_row(credit_hold="yes")])
    run(path)
    account = Account.objects.get()
    assert (account.credit_hold, account.credit_hold_reason) == (True, "")


def test_both_imports_drop_bidi_controls_as_forms_do(admin_client, tmp_path, admin_user):
    """A tester's reason holding a right-to-left override (U+202E) reversed the order form's
    warning about the customer's hold; a form's value loses it at the edge, a file's cell now
    too."""
    reason = "Disputed \u202einvoice\u202c"
    row = old_crm_row(crm4_id="IK-1", credit_hold="yes", credit_hold_reason=reason)
    admin_import(admin_client, admin_csv([row], header=WITH_REASON))
    path = write_csv(
        tmp_path / "bidi.csv",
        [old_crm_row(crm4_id="IK-2", name="Bidi \u2067B.V.", credit_hold="yes",
                     credit_hold_reason=reason)],
        header=WITH_REASON,
    )  # fmt: skip
    run(path)
    assert Account.objects.get(crm4_id="IK-1").credit_hold_reason == "Disputed invoice"
    second = Account.objects.get(crm4_id="IK-2")
    assert (second.name, second.credit_hold_reason) == ("Bidi B.V.", "Disputed invoice")

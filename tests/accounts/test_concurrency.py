"""People saving the same unique value at one moment: one wins, the others get the form's message.

The form and the service both check for a duplicate before saving, but eight requests can all
pass those checks before any of them has saved: the database's unique constraint then refuses
all but one, and those refusals must read like the form's own message, not a server error.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

import accounts.models
from accounts import services
from accounts.models import Account, Address
from accounts.rules import PARENT_LOOP
from tests.accounts.factories import AccountFactory
from tests.accounts.test_views import create_data, edit_data
from tests.threads import at_once, form_errors, logged_in_client
from tests.users.factories import UserFactory

PEOPLE = 8

# On SQLite too: the test database is a file (crm/settings_test.py) that the threads share.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def outcome(responses: list) -> tuple[int, list[list[str]], list]:
    """(saved, the form errors of those refused, anything else such as a 500 or an exception)."""
    saved = [r for r in responses if getattr(r, "status_code", None) == 302]
    refused = [r for r in responses if getattr(r, "status_code", None) == 200]
    other = [r for r in responses if r not in saved and r not in refused]
    return len(saved), [form_errors(r.content.decode()) for r in refused], other


def test_eight_new_accounts_with_one_crm4_id():
    """One account is created; seven people are told another account has this CRM4 id."""
    # An administrator: only they type a CRM4 id.
    user = UserFactory(username="racer", is_superuser=True)
    clients = [logged_in_client(user) for _ in range(PEOPLE)]
    data = create_data(crm4_id="{1A2B-RACE}", save_anyway="on")

    responses = at_once(PEOPLE, lambda i: clients[i].post(reverse("accounts:create"), data))

    saved, refused, other = outcome(responses)
    assert (saved, len(refused), other) == (1, PEOPLE - 1, [])
    assert Account.objects.filter(crm4_id="{1A2B-RACE}").count() == 1
    # The same words as when the duplicate exists already.
    late = clients[0].post(reverse("accounts:create"), data)
    assert late.status_code == 200
    assert refused == [form_errors(late.content.decode())] * (PEOPLE - 1)
    assert form_errors(late.content.decode()) == ["Another account already has this CRM4 id."]


def test_eight_accounts_given_one_crm4_id_at_once():
    """Eight accounts edited to carry the same CRM4 id: one keeps it, seven are told why not."""
    user = UserFactory(username="racer", is_superuser=True)
    accounts = AccountFactory.create_batch(PEOPLE)
    clients = [logged_in_client(user) for _ in range(PEOPLE)]

    def edit(i: int):
        url = reverse("accounts:update", args=[accounts[i].pk])
        return clients[i].post(url, edit_data(accounts[i], crm4_id="IK-RACE"))

    saved, refused, other = outcome(at_once(PEOPLE, edit))
    assert (saved, len(refused), other) == (1, PEOPLE - 1, [])
    assert refused == [["Another account already has this CRM4 id."]] * (PEOPLE - 1)
    assert Account.objects.filter(crm4_id="IK-RACE").count() == 1


def test_eight_addresses_with_one_name_on_one_account():
    """One "Shipping" address is added; seven people are told the account has one already."""
    user = UserFactory(username="racer", groups=["Sales"])
    account = AccountFactory()
    clients = [logged_in_client(user) for _ in range(PEOPLE)]
    url = reverse("accounts:address_create", args=[account.pk])
    data = {"name": "Shipping", "street": "Dock 4", "city": "Rotterdam", "country": "NL"}

    saved, refused, other = outcome(at_once(PEOPLE, lambda i: clients[i].post(url, data)))

    assert (saved, len(refused), other) == (1, PEOPLE - 1, [])
    late = clients[0].post(url, data)
    assert refused == [form_errors(late.content.decode())] * (PEOPLE - 1)
    assert form_errors(late.content.decode()) == [
        "This account already has an address with this name."
    ]
    assert account.addresses.filter(kind=Address.Kind.OTHER).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write")
@pytest.mark.parametrize("second", ["C under A", "B under A"])
def test_two_parent_changes_at_one_moment_make_no_loop(monkeypatch, second):
    """B's parent is C. One person puts A under B while another puts C (or B) under A: each
    check alone finds no loop, together they would make one. One change waits for the other
    and is then refused with the form's message (no loop, no deadlock)."""
    user = UserFactory(username="racer", groups=["Sales"])
    c = AccountFactory(name="C")
    b = AccountFactory(name="B", parent=c)
    a = AccountFactory(name="A")
    # Each change reads the chain, then waits (a while) for the other to have read it too.
    both_read = threading.Barrier(2)
    real = accounts.models._parent_id_of

    def parent_id_of(account_id):
        found = real(account_id)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=2)
        return found

    monkeypatch.setattr(accounts.models, "_parent_id_of", parent_id_of)
    changes = [(a, b), (c if second == "C under A" else b, a)]

    def set_parent(i):
        child, parent = changes[i]
        try:
            services.account_update(
                account=Account.objects.get(pk=child.pk), user=user, fields={"parent": parent}
            )
        except ValidationError as refused:
            return refused.message_dict["parent"]
        return "saved"

    results = at_once(2, set_parent)

    assert sorted(map(str, results)) == sorted(["saved", str([PARENT_LOOP])]), results

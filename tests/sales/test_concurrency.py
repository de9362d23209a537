"""Orders submitted at the same moment for one account are checked one after the other.

PostgreSQL locks the account row; SQLite lets one writer in at a time (transaction_mode
IMMEDIATE). The SQLite test database is a file (crm/settings_test.py), so threads share it.
"""

import threading
import uuid
from collections import Counter
from decimal import Decimal as D

import pytest
from django.db import connections
from django.urls import reverse

from sales import services
from sales.models import Order
from tests.sales.conftest import line
from tests.sales.factories import CustomerFactory
from tests.sales.test_views import form_data
from tests.threads import at_once, logged_in_client
from tests.users.factories import UserFactory

CLIENTS = 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_orders_never_both_slip_under_the_limit():
    """Four orders of 600.00 against a limit of 1,000.00: exactly one is accepted."""
    customer = CustomerFactory(credit_limit=D("1000.00"))
    user = UserFactory(username="racer", groups=["Sales"])
    barrier = threading.Barrier(CLIENTS)
    errors: list[BaseException] = []

    def place() -> None:
        try:
            barrier.wait(timeout=10)
            services.order_submit(
                user=user,
                fields={"customer": customer, "vat_rate": D("0")},
                lines=[line("6", "100.00")],
            )
        except BaseException as error:  # Reported below, in the test's own thread.
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    statuses = sorted(Order.objects.filter(customer=customer).values_list("status", flat=True))
    assert statuses == ["accepted"] + ["pending_approval"] * (CLIENTS - 1)
    # Each check saw the orders committed before it.
    exposures = sorted(Order.objects.values_list("credit_exposure", flat=True))
    assert exposures == [D("0.00")] + [D("600.00")] * (CLIENTS - 1)
    assert len(set(Order.objects.values_list("number", flat=True))) == CLIENTS


SUBMISSIONS = 32


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thirty_two_orders_at_once_all_get_an_answer_and_the_limit_holds():
    """32 people submit an order of 1,000.00 for one customer with a limit of 10,000.00 at the
    same moment: every one gets a page (no "database is locked", no 500), ten are accepted, the
    rest wait for approval, and the accepted ones stay within the limit."""
    customer = CustomerFactory(credit_limit=D("10000.00"))
    user = UserFactory(username="racer", groups=["Sales"])
    clients = [logged_in_client(user) for _ in range(SUBMISSIONS)]
    data = form_data(customer, ("Machine", "1", "1000.00"), vat_rate="0")

    responses = at_once(SUBMISSIONS, lambda i: clients[i].post(reverse("sales:order_create"), data))

    codes = Counter(getattr(r, "status_code", type(r).__name__) for r in responses)
    assert codes == {302: SUBMISSIONS}
    orders = Order.objects.filter(customer=customer)
    assert Counter(orders.values_list("status", flat=True)) == {
        Order.Status.ACCEPTED: 10,
        Order.Status.PENDING_APPROVAL: SUBMISSIONS - 10,
    }
    accepted = orders.filter(status=Order.Status.ACCEPTED)
    assert sum(o.total for o in accepted) <= customer.credit_limit


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_form_posted_four_times_at_once_enters_one_order():
    """The same form sent four times at the same moment (a tester's two identical POSTs made two
    orders): one order is entered; the other posts get the form back, naming it."""
    customer = CustomerFactory(credit_limit=D("10000.00"))
    user = UserFactory(username="racer", groups=["Sales"])
    clients = [logged_in_client(user) for _ in range(CLIENTS)]
    data = form_data(
        customer, ("Machine", "1", "100.00"), vat_rate="0", submission=str(uuid.uuid4())
    )

    responses = at_once(CLIENTS, lambda i: clients[i].post(reverse("sales:order_create"), data))

    order = Order.objects.get()
    codes = sorted(getattr(r, "status_code", type(r).__name__) for r in responses)
    assert codes == [200] * (CLIENTS - 1) + [302]
    for response in responses:
        if response.status_code == 200:  # the form back, saying what was saved
            assert order.number in response.content.decode()

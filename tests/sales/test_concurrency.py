"""Orders submitted at the same moment for one account are checked one after the other."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection, connections

from sales import services
from sales.models import Order
from tests.sales.conftest import line
from tests.sales.factories import CustomerFactory
from tests.users.factories import UserFactory

CLIENTS = 4


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to race against"
)
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

from decimal import Decimal

import pytest

from accounts.models import Address
from tests.accounts.factories import AccountFactory, AddressFactory, ContactFactory
from tests.sales.factories import CustomerFactory, SellerAccountFactory


@pytest.fixture
def seller(db):
    return SellerAccountFactory(name="Bodywork Group Elfsquad")


@pytest.fixture
def seller_contact(seller):
    return ContactFactory(account=seller, first_name="Pat", last_name="Jansen")


@pytest.fixture
def customer(db):
    """A customer with a credit limit of 1,000.00, its Visit and Mailing addresses."""
    return CustomerFactory(name="Acme Panels", credit_limit=Decimal("1000.00"))


@pytest.fixture
def prospect(db):
    return AccountFactory(name="New Prospect")


@pytest.fixture
def shipping(customer):
    return AddressFactory(account=customer, name="Shipping", city="Utrecht")


def address(account, kind):
    return account.addresses.get(kind=kind)


def visit(account):
    return address(account, Address.Kind.VISIT)


def mailing(account):
    return address(account, Address.Kind.MAILING)


def line(quantity="1", unit_price="100.00", discount="0", description="Service hour"):
    return {
        "description": description,
        "quantity": Decimal(quantity),
        "unit_price": Decimal(unit_price),
        "discount_percent": Decimal(discount),
    }

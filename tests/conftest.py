import pytest

from tests.users.factories import UserFactory

ROLES = ["Sales", "Accounting", "Management"]


@pytest.fixture
def sales_user(db):
    return UserFactory(username="sales", groups=["Sales"])


@pytest.fixture
def accounting_user(db):
    return UserFactory(username="accounting", groups=["Accounting"])


@pytest.fixture
def management_user(db):
    return UserFactory(username="management", groups=["Management"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def no_group_user(db):
    return UserFactory(username="nobody")


@pytest.fixture
def as_user(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def lookups(monkeypatch) -> list[dict]:
    """Every address the geocoder is asked about, still answered by the real backend."""
    from maps import geocoders

    asked = []
    real = geocoders.geocode

    def spy(**address):
        asked.append(address)
        return real(**address)

    monkeypatch.setattr(geocoders, "geocode", spy)
    return asked

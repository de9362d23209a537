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


@pytest.fixture
def slow_geocoder(settings, monkeypatch):
    """Make the configured geocoder one that takes the given seconds to answer."""
    from maps import geocoders
    from tests.maps.fakes import SlowGeocoder

    made: list[SlowGeocoder] = []

    def install(seconds: float) -> SlowGeocoder:
        made.append(SlowGeocoder(seconds))
        monkeypatch.setitem(geocoders.BACKENDS, "slow", lambda: made[-1])
        geocoders._geocoder.cache_clear()
        settings.GEOCODER = "slow"
        return made[-1]

    yield install
    for geocoder in made:
        geocoder.released.set()  # Lets a lookup given up on finish, rather than outlive the test.
    geocoders._geocoder.cache_clear()

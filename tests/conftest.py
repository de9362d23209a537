import pytest
from django.utils import translation

from tests.users.factories import UserFactory

ROLES = ["Sales", "Accounting", "Management"]


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (Django's middleware activates one
    and never deactivates it), so a Dutch user's page made the next test's services speak
    Dutch, depending on the order the tests ran in. Each test starts from the default."""
    yield
    translation.deactivate()


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
def use_geocoder(settings, monkeypatch):
    """Make a test double the configured geocoder, selected by settings.GEOCODER like the real
    backends, and the real one again after the test."""
    from maps import geocoders

    def install(geocoder):
        monkeypatch.setitem(geocoders.BACKENDS, "test-double", lambda: geocoder)
        geocoders._geocoder.cache_clear()
        settings.GEOCODER = "test-double"
        return geocoder

    yield install
    geocoders._geocoder.cache_clear()


@pytest.fixture
def failing_geocoder(use_geocoder):
    """Make the configured geocoder a service that fails with the given geopy error."""
    from tests.maps.fakes import FailingGeocoder

    return lambda error=None: use_geocoder(FailingGeocoder(error))


@pytest.fixture
def slow_geocoder(use_geocoder):
    """Make the configured geocoder one that takes the given seconds to answer."""
    from tests.maps.fakes import SlowGeocoder

    made: list[SlowGeocoder] = []

    def install(seconds: float) -> SlowGeocoder:
        made.append(SlowGeocoder(seconds))
        return use_geocoder(made[-1])

    yield install
    for geocoder in made:
        geocoder.released.set()  # Lets a lookup given up on finish, rather than outlive the test.

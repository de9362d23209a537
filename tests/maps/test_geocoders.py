import json
import time
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

from maps import geocoders
from maps.geocoders import (
    NominatimGeocoder,
    OfflineGeocoder,
    Query,
    Status,
    get_geocoder,
)


def query(city="Eindhoven", country="NL", street="Kastanjelaan 12", postal_code="5616 LZ"):
    return Query(street=street, postal_code=postal_code, city=city, country=country)


@pytest.fixture(scope="module")
def offline():
    return OfflineGeocoder()


def test_offline_gives_real_city_coordinates(offline):
    result = offline.geocode(query())
    assert result.status == Status.APPROXIMATE
    assert (result.latitude, result.longitude) == pytest.approx((51.44, 5.48), abs=0.02)
    assert result.message == geocoders.APPROXIMATE_CITY_MESSAGE


@pytest.mark.parametrize(
    ("city", "country", "expected"),
    [
        ("Amsterdam", "NL", (52.37, 4.89)),
        ("Amsterdam", "US", (42.94, -74.19)),  # Amsterdam, New York: the country decides.
        ("MÜNCHEN", "DE", (48.14, 11.58)),
        ("Den Haag", "NL", (52.08, 4.30)),
        ("Bruxelles", "BE", (50.85, 4.35)),
        ("Hengelo (Ov)", "NL", (52.27, 6.79)),
        ("Tokyo", "JP", (35.69, 139.69)),
    ],
)
def test_offline_matches_by_country_case_accents_and_other_names(offline, city, country, expected):
    result = offline.geocode(query(city=city, country=country))
    assert (result.latitude, result.longitude) == pytest.approx(expected, abs=0.05)


def test_offline_unknown_city_fails_saying_what_to_check(offline):
    result = offline.geocode(query(city="Eindhovenn"))
    assert result.status == Status.FAILED and result.latitude is None
    assert result.message == "No match for this city in this country: check the city and country."


@pytest.mark.parametrize(("city", "country"), [("", "NL"), ("Eindhoven", ""), ("  ", "NL")])
def test_an_incomplete_address_fails(offline, city, country):
    result = offline.geocode(query(city=city, country=country))
    assert result.status == Status.FAILED
    assert "city and country" in result.message


def test_offline_builds_its_index_once_from_the_geonames_data(tmp_path):
    """The first use indexes the data; later geocoders only open the index."""
    source = tmp_path / "cities.json"
    city = {"countrycode": "NL", "population": 5340, "latitude": 51.418, "longitude": 5.403}
    source.write_text(
        json.dumps({"1": {**city, "name": "Veldhoven", "alternatenames": ["Veldhoven-Dorp"]}})
    )
    path = tmp_path / "index.sqlite3"
    found = OfflineGeocoder(index_path=path, source=source).geocode(query(city="veldhoven dorp"))
    assert (found.latitude, found.longitude) == (51.418, 5.403)
    built = path.stat().st_mtime_ns
    source.unlink()
    again = OfflineGeocoder(index_path=path, source=source).geocode(query(city="Veldhoven"))
    assert again.latitude == 51.418
    assert path.stat().st_mtime_ns == built


class FakeNominatim:
    def __init__(self, answer=None, error=None):
        self.answer, self.error, self.calls = answer, error, []

    def geocode(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        if self.error:
            raise self.error
        return self.answer


def location(rank):
    return SimpleNamespace(latitude=51.4, longitude=5.4, raw={"place_rank": rank})


def test_nominatim_street_level_is_ok_and_sends_a_structured_query():
    client = FakeNominatim(answer=location(30))
    result = NominatimGeocoder(client=client, min_delay_seconds=0).geocode(query())
    assert (result.status, result.latitude, result.message) == (Status.OK, 51.4, "")
    (sent,), options = client.calls[0]
    assert sent == {
        "street": "Kastanjelaan 12",
        "postalcode": "5616 LZ",
        "city": "Eindhoven",
        "country": "NL",
    }
    assert options["country_codes"] == "nl"


def test_nominatim_area_only_is_approximate():
    result = NominatimGeocoder(client=FakeNominatim(location(16)), min_delay_seconds=0).geocode(
        query()
    )
    assert result.status == Status.APPROXIMATE
    assert result.message == "Only the area was found, not the street."


def test_nominatim_no_match():
    result = NominatimGeocoder(client=FakeNominatim(None), min_delay_seconds=0).geocode(query())
    assert result.status == Status.FAILED
    assert result.message.startswith("No match for this address: check the street")


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (GeocoderTimedOut("slow"), "did not answer in time"),
        (GeocoderUnavailable("down"), "is unavailable"),
        (GeocoderServiceError("500"), "is unavailable"),
    ],
)
def test_nominatim_service_failures_are_results_not_exceptions(error, says):
    geocoder = NominatimGeocoder(client=FakeNominatim(error=error), min_delay_seconds=0)
    result = geocoder.geocode(query())
    assert result.status == Status.RETRY and says in result.message


def test_nominatim_waits_between_requests():
    """At most one request per `min_delay_seconds` (a second in production)."""
    geocoder = NominatimGeocoder(client=FakeNominatim(location(30)), min_delay_seconds=0.3)
    started = time.monotonic()
    for _ in range(3):
        geocoder.geocode(query())
    assert time.monotonic() - started >= 0.6


def test_nominatim_needs_a_user_agent(settings):
    settings.NOMINATIM_USER_AGENT = ""
    with pytest.raises(ImproperlyConfigured, match="NOMINATIM_USER_AGENT"):
        NominatimGeocoder()


def test_nominatim_is_built_from_settings(settings):
    settings.NOMINATIM_USER_AGENT = "crm-tests (it@example.com)"
    settings.GEOCODER_TIMEOUT = 3
    geocoder = NominatimGeocoder()
    client = geocoder._geocode.func.__self__
    assert client.headers["User-Agent"] == "crm-tests (it@example.com)"
    assert client.timeout == 3


def test_the_backend_comes_from_settings(settings):
    settings.NOMINATIM_USER_AGENT = "crm-tests (it@example.com)"
    geocoders._geocoder.cache_clear()
    try:
        settings.GEOCODER = "offline"
        assert isinstance(get_geocoder(), OfflineGeocoder)
        settings.GEOCODER = "nominatim"
        assert isinstance(get_geocoder(), NominatimGeocoder)
        assert get_geocoder() is get_geocoder()  # One per process: one rate limit.
        settings.GEOCODER = "google"
        with pytest.raises(ImproperlyConfigured, match="GEOCODER must be one of"):
            get_geocoder()
    finally:
        geocoders._geocoder.cache_clear()


def test_geocode_uses_the_configured_backend(failing_geocoder):
    failing_geocoder(GeocoderTimedOut())
    result = geocoders.geocode(street="", postal_code="", city="Eindhoven", country="NL")
    assert result.status == Status.RETRY
    assert result.message == "The geocoding service did not answer in time."


def test_nominatim_leaves_retrying_to_geocode_accounts(settings):
    """geopy's HTTP adapter retried a failed connection twice: a save waited three timeouts."""
    settings.NOMINATIM_USER_AGENT = "crm-tests (it@example.com)"
    client = NominatimGeocoder()._geocode.func.__self__
    for scheme in ("http://", "https://"):
        assert client.adapter.session.get_adapter(scheme).max_retries.total == 0

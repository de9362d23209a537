"""Test doubles for the geocoding service."""

import threading
from typing import Any

from geopy.exc import GeocoderUnavailable

from maps.geocoders import GeocodeResult, NominatimGeocoder, Query, Status


class SlowGeocoder:
    """A geocoding service that takes `seconds` to answer each lookup (until released)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.released = threading.Event()
        self.asked: list[Query] = []

    def prepare(self) -> None:
        pass

    def geocode(self, query: Query) -> GeocodeResult:
        self.asked.append(query)
        self.released.wait(self.seconds)
        return GeocodeResult(status=Status.OK, latitude=51.44, longitude=5.48)


class FailingGeocoder:
    """A service that fails every lookup with `error`, as geopy raises it to the real backend.

    The result is whatever NominatimGeocoder makes of that error, so tests see its real messages.
    """

    def __init__(self, error: Exception | None = None) -> None:
        self.nominatim = NominatimGeocoder(
            client=_RaisingClient(error or GeocoderUnavailable("forced failure")),
            min_delay_seconds=0,
        )

    def prepare(self) -> None:
        pass

    def geocode(self, query: Query) -> GeocodeResult:
        return self.nominatim.geocode(query)


class _RaisingClient:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def geocode(self, *args: Any, **kwargs: Any) -> None:
        raise self.error

"""Test doubles for the geocoding service."""

import threading

from maps.geocoders import GeocodeResult, Query, Status


class SlowGeocoder:
    """A geocoding service that takes `seconds` to answer each lookup (until released)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.released = threading.Event()
        self.asked: list[Query] = []

    def geocode(self, query: Query) -> GeocodeResult:
        self.asked.append(query)
        self.released.wait(self.seconds)
        return GeocodeResult(status=Status.OK, latitude=51.44, longitude=5.48)

import math

from accounts.models import Address
from maps.geo import EARTH_RADIUS_KM
from tests.accounts.factories import AccountFactory, relationship_type

EINDHOVEN = (51.44083, 5.47778)


def point_north_of(latitude: float, longitude: float, km: float) -> tuple[float, float]:
    """The point `km` due north on the haversine sphere: exactly that far by the radius rule."""
    return latitude + math.degrees(km / EARTH_RADIUS_KM), longitude


def located_account(
    *,
    name: str | None = None,
    at: tuple[float, float] = EINDHOVEN,
    country: str = "NL",
    city: str = "Eindhoven",
    type_code: str = "prospect",
    **kwargs,
):
    """An account whose visit address has coordinates."""
    values = {"name": name} if name else {}
    return AccountFactory(
        **values,
        relationship_type=relationship_type(type_code),
        visit__latitude=at[0],
        visit__longitude=at[1],
        visit__country=country,
        visit__city=city,
        visit__geocode_status=Address.GeocodeStatus.OK,
        **kwargs,
    )

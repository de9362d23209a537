import pytest

from maps.geo import bounding_box, geodesic_km, haversine_km

# Published geodesic (WGS-84) distances between city centres, in km.
CITY_PAIRS = [
    ((51.5074, -0.1278), (48.8566, 2.3522), 343.9),  # London to Paris
    ((0.0, 0.0), (0.0, 1.0), 111.3195),  # one degree of longitude on the equator (WGS-84)
    ((0.0, 0.0), (1.0, 0.0), 110.574),  # one degree of latitude from the equator
    ((52.5200, 13.4050), (48.1351, 11.5820), 504.2),  # Berlin to Munich
    ((40.6413, -73.7781), (33.9416, -118.4085), 3983.1),  # JFK to LAX airports
]


@pytest.mark.parametrize(("a", "b", "km"), CITY_PAIRS)
def test_geodesic_distance_of_known_city_pairs(a, b, km):
    """The distances shown agree with published values to 0.1%."""
    assert geodesic_km(*a, *b) == pytest.approx(km, rel=1e-3)


@pytest.mark.parametrize(("a", "b", "km"), CITY_PAIRS)
def test_haversine_stays_within_a_percent_of_geodesic(a, b, km):
    """The radius rule (haversine on a sphere) is within 0.6% of the shown distance."""
    assert haversine_km(*a, *b) == pytest.approx(geodesic_km(*a, *b), rel=6e-3)


def test_bounding_box_holds_the_circle():
    box = bounding_box(51.44, 5.48, 50)
    ((west, east),) = box.longitudes
    assert haversine_km(51.44, 5.48, box.max_latitude, 5.48) == pytest.approx(50)
    assert haversine_km(51.44, 5.48, box.min_latitude, 5.48) == pytest.approx(50)
    # The circle's widest point is slightly north of the centre's latitude, still inside.
    assert west < 5.48 - 0.7 and east > 5.48 + 0.7
    assert haversine_km(51.44, 5.48, 51.44, east) > 50


def test_bounding_box_near_a_pole_covers_every_longitude():
    box = bounding_box(89.8, 10.0, 50)
    assert box.max_latitude == 90
    assert box.longitudes == ((-180.0, 180.0),)


def test_bounding_box_across_the_date_line_splits_the_longitudes():
    box = bounding_box(-17.7, 179.9, 100)  # Fiji
    assert len(box.longitudes) == 2
    (west_from, west_to), (east_from, east_to) = box.longitudes
    assert west_to == 180.0 and east_from == -180.0
    assert 178 < west_from < 179.9 and -180 < east_to < -178.9

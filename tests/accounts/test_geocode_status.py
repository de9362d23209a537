"""Why a visit address has no coordinates: the one sentence every page and the admin say."""

import pytest
from django.utils import translation

from accounts.models import Address

Status = Address.GeocodeStatus
WAITING = "It will be placed on the map at the next scheduled geocoding run."


def address(**fields) -> Address:
    return Address(kind=Address.Kind.VISIT, city="Eindhoven", country="NL", **fields)


def test_an_address_with_coordinates_needs_no_reason():
    located = address(latitude=51.44, longitude=5.48, geocode_status=Status.APPROXIMATE)
    assert located.no_coordinates_reason == ""


def test_an_address_never_tried_waits_for_geocode_accounts():
    assert address().no_coordinates_reason == WAITING


def test_an_address_the_service_did_not_answer_for_says_so_and_waits():
    later = address(
        geocode_status=Status.RETRY, geocode_message="The geocoding service is unavailable."
    )
    assert later.no_coordinates_reason == f"The geocoding service is unavailable. {WAITING}"
    assert address(geocode_status=Status.RETRY).no_coordinates_reason == (
        f"The geocoding service did not answer. {WAITING}"
    )


def test_the_services_recorded_answer_reads_in_the_users_language():
    """The message is stored in English (gettext_noop) and translated when shown, as for a
    failed lookup."""
    later = address(
        geocode_status=Status.RETRY,
        geocode_message="The geocoding service did not answer in time.",
    )
    with translation.override("nl"):
        assert later.no_coordinates_reason.startswith(
            "De geocodeerdienst antwoordde niet op tijd. "
        )


def test_an_address_that_could_not_be_located_says_what_to_fix():
    wrong = address(
        geocode_status=Status.FAILED,
        geocode_message="No match for this city in this country: check the city and country.",
    )
    assert wrong.no_coordinates_reason == (
        "No match for this city in this country: check the city and country."
    )
    assert address(geocode_status=Status.FAILED).no_coordinates_reason == (
        "Fix the visit address (street, postal code, city and country) and save it."
    )


@pytest.mark.parametrize(("city", "country"), [("", "NL"), ("  ", "NL"), ("Eindhoven", "")])
def test_an_address_without_a_place_asks_for_one_instead_of_waiting(city, country):
    """geocode_accounts would only find it incomplete: the user has to fill it in first."""
    empty = Address(kind=Address.Kind.VISIT, city=city, country=country)
    assert empty.no_coordinates_reason == (
        "Fill in at least the city and country of the visit address."
    )


def test_the_address_says_whether_it_is_the_visit_address_and_located():
    """Templates ask the address instead of comparing its kind or status with a string."""
    assert address().is_visit and not address().is_located
    assert address(latitude=51.44, longitude=5.48).is_located
    assert not Address(kind=Address.Kind.MAILING).is_visit
    assert not Address(kind=Address.Kind.OTHER).is_visit

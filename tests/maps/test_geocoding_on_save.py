"""Saving an account's visit address locates it after commit; failures never undo the save."""

import re
import time

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Address
from maps import geocoders
from tests.accounts.factories import AccountFactory, IndustryFactory, relationship_type
from tests.html import parse

pytestmark = pytest.mark.django_db

EINDHOVEN = {"street": "Kastanjelaan 12", "postal_code": "5616 LZ", "city": "Eindhoven"}


def create_account(admin_user, **visit):
    return services.account_create(
        user=admin_user,
        fields={
            "name": "Lumen Lighting",
            "relationship_type": relationship_type("prospect"),
            "industry": IndustryFactory(),
        },
        visit_address={"country": "NL", **EINDHOVEN, **visit},
    )


def visit_of(account):
    return Address.objects.get(account=account, kind=Address.Kind.VISIT)


def test_a_new_account_is_located_after_commit(
    admin_user, lookups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        account = create_account(admin_user)
        assert lookups == []  # Nothing is looked up while the transaction is open.
    assert visit_of(account).geocode_status == Address.GeocodeStatus.PENDING
    for callback in callbacks:
        callback()
    visit = visit_of(account)
    assert visit.geocode_status == Address.GeocodeStatus.APPROXIMATE
    assert (visit.latitude, visit.longitude) == pytest.approx((51.44, 5.48), abs=0.02)
    assert visit.geocoded_at is not None
    assert len(lookups) == 1  # The mailing address is not located.


def test_a_changed_visit_address_is_located_again(
    admin_user, lookups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user)
    visit = visit_of(account)
    with django_capture_on_commit_callbacks(execute=True):
        services.address_save(
            user=admin_user, address=visit, fields={"city": "Utrecht", "postal_code": ""}
        )
    visit = visit_of(account)
    assert visit.latitude == pytest.approx(52.09, abs=0.02)
    assert [a["city"] for a in lookups] == ["Eindhoven", "Utrecht"]


def test_an_unchanged_address_is_not_located_again(
    admin_user, lookups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user)
    located = visit_of(account)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.address_save(user=admin_user, address=located, fields=dict(EINDHOVEN))
    assert callbacks == [] and len(lookups) == 1
    assert visit_of(account).geocoded_at == located.geocoded_at


@pytest.mark.parametrize("posted", ["the whole form", "nothing changed (the admin)"])
def test_a_save_read_before_geocoding_placed_the_address_keeps_the_place(sales_user, posted):
    """The page read the address, then geocoding placed it, then the page saved without
    changing the place: the coordinates found stay (the stale row is not written back)."""
    account = AccountFactory()
    read_by_the_page = visit_of(account)
    assert read_by_the_page.latitude is None
    services.address_geocode(address_id=read_by_the_page.pk)
    placed = visit_of(account)
    assert placed.latitude is not None

    fields = {f: getattr(read_by_the_page, f) for f in services.ADDRESS_FIELDS}
    saved = services.address_save(
        user=sales_user,
        address=read_by_the_page,
        fields=fields if posted == "the whole form" else {},
    )

    after = visit_of(account)
    assert (after.latitude, after.longitude, after.geocode_status) == (
        placed.latitude,
        placed.longitude,
        placed.geocode_status,
    )
    assert saved.latitude == placed.latitude  # what the caller gets back is the row as stored


def test_a_save_writes_only_the_fields_given(sales_user):
    """Another person's change of the address's name meanwhile is kept by a save of its city."""
    account = AccountFactory()
    branch = services.address_save(
        user=sales_user,
        address=Address(account=account),
        fields={"name": "Warehouse", "street": "Dok 1", "city": "Gent", "country": "BE"},
    )
    read_by_the_page = Address.objects.get(pk=branch.pk)
    Address.objects.filter(pk=branch.pk).update(name="Warehouse Gent")

    services.address_save(user=sales_user, address=read_by_the_page, fields={"city": "Antwerpen"})

    branch.refresh_from_db()
    assert (branch.name, branch.city) == ("Warehouse Gent", "Antwerpen")


def test_other_addresses_are_not_located(admin_user, lookups, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user)
    mailing = Address.objects.get(account=account, kind=Address.Kind.MAILING)
    with django_capture_on_commit_callbacks(execute=True):
        services.address_save(
            user=admin_user, address=mailing, fields={"city": "Utrecht", "country": "NL"}
        )
        services.address_save(
            user=admin_user,
            address=Address(account=account),
            fields={"name": "Shipping", "street": "Dok 1", "city": "Delft", "country": "NL"},
        )
    assert len(lookups) == 1


def test_no_match_is_recorded_and_the_save_kept(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user, city="Eindhovenn")
    visit = visit_of(account)
    assert visit.city == "Eindhovenn"
    assert visit.geocode_status == Address.GeocodeStatus.FAILED
    assert visit.latitude is None and visit.geocoded_at is not None
    assert (
        visit.geocode_message
        == "No match for this city in this country: check the city and country."
    )


def test_a_po_box_is_not_located_and_gets_a_warning(
    admin_user, lookups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user, street="Postbus 123")
    visit = visit_of(account)
    assert visit.geocode_status == Address.GeocodeStatus.FAILED and visit.latitude is None
    assert visit.geocode_message.startswith("A PO box cannot be placed on the map")
    assert lookups == []


@pytest.mark.parametrize("error", ["unavailable", "timed out"])
def test_a_service_failure_is_recorded(
    admin_user, failing_geocoder, django_capture_on_commit_callbacks, error
):
    from geopy.exc import GeocoderTimedOut, GeocoderUnavailable

    failing_geocoder(GeocoderUnavailable() if error == "unavailable" else GeocoderTimedOut())
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user)
    visit = visit_of(account)
    assert visit.geocode_status == Address.GeocodeStatus.RETRY
    assert visit.geocode_message.startswith("The geocoding service")
    assert visit.city == "Eindhoven"


def test_a_crashing_geocoder_never_undoes_the_save(
    admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(**address):
        raise RuntimeError("bug")

    monkeypatch.setattr(geocoders, "geocode", crash)
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user)
    visit = visit_of(account)
    assert visit.geocode_status == Address.GeocodeStatus.RETRY
    assert visit.no_coordinates_reason == (
        "Locating this address failed unexpectedly. It will be placed on the map at the next "
        "scheduled geocoding run."
    )


def test_a_late_answer_does_not_overwrite_a_newer_address(monkeypatch):
    """When the address changes while its old version is being looked up, the answer is dropped:
    the newer save brings its own lookup."""
    account = AccountFactory()
    visit = visit_of(account)
    real = geocoders.geocode

    def edited_meanwhile(**address):
        Address.objects.filter(pk=visit.pk).update(city="Utrecht")
        return real(**address)

    monkeypatch.setattr(geocoders, "geocode", edited_meanwhile)
    services.address_geocode(address_id=visit.pk)
    after = visit_of(account)
    assert (after.city, after.latitude, after.geocode_status) == ("Utrecht", None, "pending")


def test_the_account_page_says_what_to_fix(as_user, sales_user, django_capture_on_commit_callbacks):
    client = as_user(sales_user)
    account = AccountFactory()
    visit = visit_of(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:address_update", args=[visit.pk]),
            {"name": "Visit", "street": "Main 1", "postal_code": "", "city": "Nowhereville",
             "country": "NL"},
        )  # fmt: skip
    assert response.status_code == 302
    page = parse(client.get(reverse("accounts:detail", args=[account.pk])).content)
    card = page.find("section", aria_labelledby="addresses-h").find("p", class_="geo")
    assert card.text == (
        "Could not be located: No match for this city in this country: check the city and country."
    )
    assert visit_of(account).city == "Nowhereville"


def test_a_new_account_from_the_page_is_located_as_before(
    as_user, sales_user, lookups, django_capture_on_commit_callbacks
):
    """Only imports leave the geocoding to geocode_accounts; a person saving waits for it."""
    IndustryFactory(name="_Manufacturing")
    data = {
        "name": "Lumen Lighting", "relationship_type": relationship_type("customer").pk,
        "industry": IndustryFactory(name="_Manufacturing").pk, "business_unit": "HQ",
        "visit-name": "Visit", "visit-street": "Kastanjelaan 12", "visit-postal_code": "5616 LZ",
        "visit-city": "Eindhoven", "visit-country": "NL", "mailing-same_as_visit": "on",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(sales_user).post(reverse("accounts:create"), data)
    assert response.status_code == 302, response.content.decode()
    visit = Address.objects.get(kind=Address.Kind.VISIT)
    assert len(lookups) == 1
    assert visit.latitude == pytest.approx(51.44, abs=0.02)


# --- a hung geocoding service ----------------------------------------------------------------

GEO_LINE = re.compile(r'<p class="geo geo-(?P<status>[a-z]+)">(?P<text>.*?)</p>', re.S)


def test_a_save_waits_for_a_hung_geocoder_only_its_budget(
    as_user, sales_user, settings, slow_geocoder, django_capture_on_commit_callbacks
):
    """The service takes 30 s; the save answers after the 0.5 s budget, the address is kept
    "Not located yet", and the account page says the service did not answer in time."""
    settings.GEOCODER_SAVE_BUDGET = 0.5
    account = AccountFactory()
    visit = visit_of(account)
    hung = slow_geocoder(30)
    client = as_user(sales_user)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:address_update", args=[visit.pk]),
            {"street": "Dock 4", "postal_code": "3011", "city": "Rotterdam", "country": "NL"},
        )
    waited = time.monotonic() - started
    assert response.status_code == 302
    assert len(hung.asked) == 1
    assert 0.5 <= waited < 10  # Far from the 30 s the service takes, with room for a busy CI.
    visit.refresh_from_db()
    assert (visit.city, visit.latitude) == ("Rotterdam", None)
    assert visit.geocode_status == Address.GeocodeStatus.RETRY
    line = GEO_LINE.search(client.get(account.get_absolute_url()).content.decode())
    assert line["status"] == "retry"
    assert line["text"] == (
        "Not located yet: The geocoding service did not answer in time. It will be placed on "
        "the map at the next scheduled geocoding run."
    )


def test_a_geocoder_within_the_budget_locates_the_address_at_once(
    admin_user, settings, slow_geocoder, django_capture_on_commit_callbacks
):
    settings.GEOCODER_SAVE_BUDGET = 5
    slow_geocoder(0.05)
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user)
    assert visit_of(account).geocode_status == Address.GeocodeStatus.OK


def test_a_dutch_reader_gets_the_located_note_in_dutch(
    admin_user, client, lookups, django_capture_on_commit_callbacks
):
    """The lookup runs after the save, without the writer's language: the note is stored in
    English and translated for whoever reads the account page."""
    with django_capture_on_commit_callbacks(execute=True):
        account = create_account(admin_user)
    admin_user.language = "nl"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    card = parse(client.get(reverse("accounts:detail", args=[account.pk])).content)
    note = card.find("p", class_="geo").text
    assert "Geplaatst in het centrum van de stad" in note, note
    assert "offline" in note and "Placed" not in note


@pytest.mark.parametrize(
    ("stored", "rewritten"),
    [
        (
            "Placed at the centre of Eindhoven (the offline geocoder knows cities, not streets).",
            geocoders.APPROXIMATE_CITY_MESSAGE,
        ),
        ("No match for this city in NL: check the city and country.", geocoders.NO_CITY_MESSAGE),
        (
            "No match for this address in BE: check the street, postal code, city and country.",
            geocoders.NO_ADDRESS_MESSAGE,
        ),
        ("The geocoding service is unavailable.", "The geocoding service is unavailable."),
    ],
)
def test_the_migration_rewrites_stored_messages_that_named_a_place(stored, rewritten):
    from importlib import import_module

    from django.apps import apps

    account = AccountFactory()
    Address.objects.filter(pk=visit_of(account).pk).update(geocode_message=stored)
    import_module("accounts.migrations.0029_geocode_messages_without_places").rewrite_messages(
        apps, None
    )
    assert visit_of(account).geocode_message == rewritten


@pytest.mark.parametrize("language", ["en-gb", "nl"])
def test_coordinates_read_with_decimal_points_in_every_language(as_user, sales_user, language):
    """ "50,93062, 4,04112" on a Dutch page could be read four ways; coordinates are written
    as maps and GPS apps take them."""
    sales_user.language = language
    sales_user.save()
    account = AccountFactory()
    Address.objects.filter(pk=visit_of(account).pk).update(
        latitude=50.930621, longitude=4.041123, geocode_status=Address.GeocodeStatus.OK
    )
    page = as_user(sales_user).get(account.get_absolute_url()).content.decode()
    assert GEO_LINE.search(page)["text"] == "50.93062, 4.04112"

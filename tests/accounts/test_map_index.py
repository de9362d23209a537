"""The maps' copy of the accounts and their cell counts follow every write and equal a rebuild."""

import io
import math
import random

import pytest
from django.core.management import call_command

from accounts import services
from accounts.map_index import ENTRY_COLUMNS, rebuild_map_index
from accounts.models import Account, Address, MapCell, MapEntry
from maps import selectors
from maps.selectors import Centre
from tests.accounts.factories import IndustryFactory, relationship_type
from tests.maps.factories import EINDHOVEN, located_account

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list, list]:
    # Name third, as the tests below read it; then every other column of the copy.
    columns = [
        "account_id",
        "country",
        "name",
        *(c for c in ENTRY_COLUMNS if c not in ("account_id", "country", "name")),
    ]
    entries = sorted(MapEntry.objects.values_list(*columns))
    cells = sorted(
        MapCell.objects.values_list("country", "size", "y", "x", "accounts", "customers")
    )
    return entries, cells


def assert_rebuild_changes_nothing() -> tuple[list, list]:
    kept = snapshot()
    rebuild_map_index()
    assert snapshot() == kept
    return kept


def create(user, name: str, *, city: str = "Eindhoven", type_code: str = "prospect") -> Account:
    return services.account_create(
        user=user,
        fields={
            "name": name,
            "relationship_type": relationship_type(type_code),
            "industry": IndustryFactory(),
        },
        visit_address={"street": "Markt 1", "postal_code": "", "city": city, "country": "NL"},
    )


def visit(account: Account) -> Address:
    return Address.objects.get(account=account, kind=Address.Kind.VISIT)


def test_the_kept_tables_equal_a_rebuild_after_every_kind_of_write(
    admin_user, django_capture_on_commit_callbacks
):
    """Creates, geocoding, edits, moves, type changes and deletes: after each, the copy and the
    counts kept by the services are what a rebuild from the accounts gives."""
    with django_capture_on_commit_callbacks(execute=True):
        first = create(admin_user, "Lumen Lighting", type_code="customer")
        second = create(admin_user, "Veld Bouw", city="Veldhoven")
        third = create(admin_user, "Tilburg Techniek", city="Tilburg")
    entries, cells = assert_rebuild_changes_nothing()
    assert [e[2] for e in entries] == ["Lumen Lighting", "Veld Bouw", "Tilburg Techniek"]
    assert sum(c[4] for c in cells if c[1] == MapCell.FINE) == 3
    assert sum(c[5] for c in cells if c[1] == MapCell.COARSE) == 1

    services.account_update(account=second, user=admin_user, fields={"name": "Veld Bouw B.V."})
    assert_rebuild_changes_nothing()
    assert MapEntry.objects.get(account_id=second.pk).name == "Veld Bouw B.V."

    # What the overview filters on: the industry and the search words (an email here).
    industry = IndustryFactory()
    services.account_update(
        account=second, user=admin_user, fields={"industry": industry, "email": "info@veld.nl"}
    )
    assert_rebuild_changes_nothing()
    entry = MapEntry.objects.get(account_id=second.pk)
    assert entry.industry_id == industry.pk and "INFO@VELD.NL" in entry.search

    with django_capture_on_commit_callbacks(execute=True):
        services.address_save(address=visit(first), user=admin_user, fields={"city": "Helmond"})
    assert_rebuild_changes_nothing()
    assert MapEntry.objects.get(account_id=first.pk).city == "Helmond"

    # Typed Other: off the maps; back to Customer: on again.
    for code in ("other", "customer", "partner"):
        services.account_set_relationship_type(
            account=third, relationship_type=relationship_type(code), user=admin_user
        )
        assert_rebuild_changes_nothing()
        assert MapEntry.objects.filter(account_id=third.pk).exists() == (code != "other")

    # A visit address that no longer locates leaves the maps.
    with django_capture_on_commit_callbacks(execute=True):
        services.address_save(
            address=visit(second), user=admin_user, fields={"city": "Nowhere-at-all"}
        )
    assert_rebuild_changes_nothing()
    assert not MapEntry.objects.filter(account_id=second.pk).exists()

    services.account_delete(account=first, user=admin_user)
    entries, cells = assert_rebuild_changes_nothing()
    assert [e[2] for e in entries] == ["Tilburg Techniek"]
    assert sum(c[4] for c in cells if c[1] == MapCell.COARSE) == 1


def test_a_changed_address_leaves_the_map_until_it_is_located_again(
    admin_user, django_capture_on_commit_callbacks
):
    """Nothing stale: between the save and its geocode the account is not where it was."""
    with django_capture_on_commit_callbacks(execute=True):
        account = create(admin_user, "Lumen Lighting")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.address_save(address=visit(account), user=admin_user, fields={"city": "Breda"})
    assert not MapEntry.objects.filter(account_id=account.pk).exists()
    for callback in pending:
        callback()
    assert MapEntry.objects.get(account_id=account.pk).latitude == pytest.approx(51.59, abs=0.05)
    assert_rebuild_changes_nothing()


def test_the_command_rebuilds_what_was_written_past_the_services():
    located_account(name="Written directly")
    MapEntry.objects.all().delete()
    MapCell.objects.all().delete()
    call_command("rebuild_map_index", stdout=io.StringIO())
    assert list(MapEntry.objects.values_list("name", flat=True)) == ["Written directly"]
    assert MapCell.objects.filter(size=MapCell.COARSE).get().accounts == 1


@pytest.mark.parametrize("radius_km", [50, 150, 400])
def test_counted_cells_give_the_exact_count_of_a_circle(monkeypatch, radius_km):
    """The pre-counted cells plus the measured edge give what measuring every account gives,
    accounts on either side of the circle's edge included."""
    monkeypatch.setattr(selectors, "PIN_LIMIT", 0)
    rng = random.Random(radius_km)
    degrees = radius_km / 111.2
    for i in range(150):
        # Half spread over the area, half within a kilometre of the edge.
        if i % 2:
            lat = EINDHOVEN[0] + rng.uniform(-1.2, 1.2) * degrees
            lon = EINDHOVEN[1] + rng.uniform(-2, 2) * degrees
        else:
            angle = rng.uniform(0, 6.283)
            km = radius_km + rng.uniform(-1, 1)
            lat = EINDHOVEN[0] + km / 111.2 * math.sin(angle)
            lon = EINDHOVEN[1] + km / 69.4 * math.cos(angle)
        located_account(at=(lat, lon), type_code=rng.choice(["customer", "prospect"]))
    me = located_account(name="Centre", type_code="customer")
    centre = Centre(*EINDHOVEN, "NL")
    points = selectors.circle_points(centre=centre, radius_km=radius_km, exclude_account_id=me.pk)
    measured = selectors.entries_within(
        centre=centre, radius_km=radius_km, exclude_account_id=me.pk
    )
    assert points.total == measured.count() > 0
    assert points.customers == measured.filter(customer=True).count()
    assert sum(c[2] for c in points.cells) == points.total

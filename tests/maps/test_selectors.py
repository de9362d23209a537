import pytest
from django.http import QueryDict

from accounts.filters import account_list_query
from accounts.models import Account, MapEntry
from maps import selectors
from maps.selectors import Centre
from tests.accounts.factories import AccountFactory
from tests.maps.factories import EINDHOVEN, located_account, point_north_of

pytestmark = pytest.mark.django_db

CENTRE = Centre(*EINDHOVEN, "NL")


def names(entries):
    return sorted(e.name for e in entries)


def account_names(addresses):
    return sorted(a.account.name for a in addresses.select_related("account"))


def test_the_radius_boundary_is_the_haversine_distance():
    """49.99 km is inside a 50 km radius and 50.01 km is not, in SQL as in Python."""
    located_account(name="Inside", at=point_north_of(*EINDHOVEN, 49.99))
    located_account(name="Outside", at=point_north_of(*EINDHOVEN, 50.01))
    assert names(selectors.entries_within(centre=CENTRE, radius_km=50)) == ["Inside"]
    assert names(selectors.entries_within(centre=CENTRE, radius_km=100)) == ["Inside", "Outside"]


def test_only_the_same_country():
    """An account across the border, even close by, is not on the map."""
    located_account(name="Dutch", at=(51.35, 5.45))
    located_account(name="Belgian", at=(51.25, 5.45), country="BE", city="Lommel")
    assert names(selectors.entries_within(centre=CENTRE, radius_km=50)) == ["Dutch"]


def test_accounts_typed_other_are_left_out():
    located_account(name="Customer", type_code="customer")
    located_account(name="Other", type_code="other")
    located_account(name="Supplier", type_code="supplier")
    assert names(selectors.entries_within(centre=CENTRE, radius_km=50)) == [
        "Customer",
        "Supplier",
    ]


def test_accounts_without_coordinates_are_left_out():
    located_account(name="Located")
    AccountFactory(name="Not located")  # Visit address in Eindhoven, never geocoded.
    assert names(selectors.entries_within(centre=CENTRE, radius_km=400)) == ["Located"]


def test_the_centre_account_itself_is_excluded():
    me = located_account(name="Me")
    located_account(name="Neighbour")
    found = selectors.entries_within(centre=CENTRE, radius_km=50, exclude_account_id=me.pk)
    assert names(found) == ["Neighbour"]


def test_a_radius_across_the_date_line():
    """Fiji: accounts on both sides of 180° are found."""
    located_account(name="West", at=(-16.5, 179.6), country="FJ", city="Labasa")
    located_account(name="East", at=(-16.5, -179.8), country="FJ", city="Taveuni")
    centre = Centre(-16.5, 179.95, "FJ")
    assert names(selectors.entries_within(centre=centre, radius_km=100)) == ["East", "West"]


def test_pins_carry_colour_and_text():
    located_account(name="Green", type_code="customer", city="Veldhoven")
    located_account(name="Red", type_code="partner")
    points = selectors.circle_points(centre=CENTRE, radius_km=50)
    assert (points.total, points.customers, points.others, points.aggregated) == (2, 1, 1, False)
    by_name = {p[3]: p for p in points.pins}
    assert by_name["Green"][4:] == ["Veldhoven", 1]
    assert by_name["Red"][5] == 0


def test_above_the_pin_limit_the_database_counts_per_cell(monkeypatch):
    """Many accounts become a few cells with counts; the total stays exact."""
    monkeypatch.setattr(selectors, "PIN_LIMIT", 5)
    for i in range(4):
        located_account(type_code="customer", at=(51.44 + i * 0.001, 5.48))
    for i in range(3):
        located_account(at=(52.0 + i * 0.001, 5.48))
    points = selectors.circle_points(centre=CENTRE, radius_km=100)
    assert points.aggregated and not points.pins
    assert (points.total, points.customers) == (7, 4)
    assert sorted((c[2], c[3]) for c in points.cells) == [(3, 0), (4, 4)]
    # Drawn where the counted cells lie, to a fine cell (0.01 degree).
    near = next(c for c in points.cells if c[2] == 4)
    assert near[0] == pytest.approx(51.4415, abs=0.01) and near[1] == pytest.approx(5.48, abs=0.01)


def test_one_rule_decides_which_accounts_any_map_shows():
    """Located visit addresses of accounts not typed Other: the account's map and the overview."""
    located_account(name="Customer", type_code="customer")
    located_account(name="Other", type_code="other")
    located_account(name="Prospect", type_code="prospect", city="Berlin", country="DE",
                    at=(52.52, 13.40))  # fmt: skip
    AccountFactory(name="Not located")
    assert names(MapEntry.objects.all()) == ["Customer", "Prospect"]
    everything = account_list_query(QueryDict(""))
    assert names(selectors.overview_entries(everything)) == ["Customer", "Prospect"]
    assert names(selectors.entries_within(centre=CENTRE, radius_km=50)) == ["Customer"]


def test_sorted_by_city_the_accounts_of_one_city_are_in_name_order_and_no_city_comes_last():
    located_account(name="Zeta", city="Best", at=(51.51, 5.39))
    located_account(name="Alpha", city="Veldhoven", at=(51.41, 5.40))
    located_account(name="Beta", city="Best", at=(51.50, 5.39))
    located_account(name="Aardvark", city="", at=(51.45, 5.45))
    located_account(name="Mid", city="Best", at=(51.52, 5.39))
    entries = selectors.entries_within(centre=CENTRE, radius_km=50)
    page = selectors.nearby_page(entries, total=5, sort="city", page_number=1, centre=CENTRE)
    assert [(e.city, e.name) for e in page] == [
        ("Best", "Beta"),
        ("Best", "Mid"),
        ("Best", "Zeta"),
        ("Veldhoven", "Alpha"),
        ("", "Aardvark"),
    ]


def test_pages_by_city_run_on_into_the_accounts_without_a_city(monkeypatch):
    """Each page follows the last: the cities in order, then the accounts without one."""
    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", 2)
    for name, city in [("C", "Best"), ("B", "Best"), ("A", "Veldhoven"), ("E", ""), ("D", "")]:
        located_account(name=name, city=city)
    entries = selectors.entries_within(centre=CENTRE, radius_km=50)
    pages = [
        [e.name for e in selectors.nearby_page(
            entries, total=5, sort="city", page_number=n, centre=CENTRE
        )]
        for n in (1, 2, 3)
    ]  # fmt: skip
    assert pages == [["B", "C"], ["A", "D"], ["E"]]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("name", ["Alpha", "Bravo", "Charlie"]), ("city", ["Charlie", "Alpha", "Bravo"])],
)
def test_the_list_sorts_by_name_or_city(sort, expected):
    located_account(name="Bravo", city="Veldhoven", at=(51.41, 5.40))
    located_account(name="Charlie", city="Best", at=(51.51, 5.39))
    located_account(name="Alpha", city="Helmond", at=(51.48, 5.66))
    entries = selectors.entries_within(centre=CENTRE, radius_km=50)
    page = selectors.nearby_page(entries, total=3, sort=sort, page_number=1, centre=CENTRE)
    assert [e.name for e in page] == expected


def test_the_list_shows_haversine_distances_and_pages():
    located_account(name="Helmond", at=(51.48, 5.66))
    for i in range(selectors.LIST_PAGE_SIZE):
        located_account(name=f"Z {i:02}")
    entries = selectors.entries_within(centre=CENTRE, radius_km=50)
    total = entries.count()
    page = selectors.nearby_page(entries, total=total, sort="name", page_number=1, centre=CENTRE)
    assert page.paginator.num_pages == 2
    helmond = page[0]
    assert helmond.name == "Helmond"
    assert helmond.distance_km == pytest.approx(13.3, abs=0.1)
    last = selectors.nearby_page(entries, total=total, sort="name", page_number=2, centre=CENTRE)
    assert [e.name for e in last] == ["Z 49"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, ["Never tried", "No answer"]),
        ({"last_attempt_failed": True}, ["No answer", "No match"]),
        ({"everything": True}, ["Located", "Never tried", "No answer", "No match"]),
    ],
)
def test_which_addresses_geocode_accounts_takes(options, expected):
    """By default those waiting for it; an address with no match waits for someone to fix it."""
    located_account(name="Located")
    AccountFactory(name="Never tried")
    AccountFactory(name="No answer", visit__geocode_status="retry")
    AccountFactory(name="No match", visit__geocode_status="failed")
    assert account_names(selectors.addresses_to_geocode(**options)) == expected


def test_geocode_accounts_can_continue_after_an_address():
    first, second = AccountFactory(name="First"), AccountFactory(name="Second")
    after = first.addresses.get(kind="visit").pk
    assert account_names(selectors.addresses_to_geocode(everything=True, after_id=after)) == [
        "Second"
    ]
    assert second.addresses.get(kind="visit").pk > after


@pytest.mark.parametrize("pin_limit", [0, 2_000])
@pytest.mark.parametrize(
    ("country", "customers_only"), [(None, False), ("DE", False), (None, True)]
)
def test_the_overview_from_counted_cells_equals_the_accounts_selected(
    monkeypatch, pin_limit, country, customers_only
):
    """A country and the type Customer are read from the counted cells; the totals (and the
    pins, below the pin limit) are those of selecting the accounts."""
    monkeypatch.setattr(selectors, "PIN_LIMIT", pin_limit)
    located_account(type_code="customer")
    located_account(type_code="supplier", at=(51.9, 4.5), city="Rotterdam")
    located_account(type_code="customer", at=(52.52, 13.40), city="Berlin", country="DE")
    located_account(type_code="other")
    accounts = Account.objects.all()
    if country:
        accounts = accounts.filter(addresses__kind="visit", addresses__country=country)
    if customers_only:
        accounts = accounts.filter(relationship_type__code="customer")
    counted = selectors.overview_points(
        entries=None, country=country, customers_only=customers_only
    )
    entries = MapEntry.objects.filter(account_id__in=accounts.values("pk"))
    selected = selectors.overview_points(entries=entries, country=None)
    assert (counted.total, counted.customers) == (selected.total, selected.customers)
    assert sorted(p[2] for p in counted.pins) == sorted(p[2] for p in selected.pins)
    assert counted.aggregated == (pin_limit == 0)


@pytest.mark.parametrize(
    "query",
    [
        "", "q=bouw", "q=eindhoven", "q=koln", "q=bouw+eindhoven", "q=nothing", "country=DE",
        "industry={industry}", "relationship_type={supplier}", "q=bouw&country=NL",
        "relationship_type={supplier}&industry={industry}", "credit_hold=true", "owner=none",
        "owner=mine", "status=inactive", "status=all", "q=bouw&credit_hold=false",
    ],
)  # fmt: skip
def test_the_overview_selects_from_the_maps_copy_what_the_list_selects(query, sales_user):
    """The maps' copy answers the search, type, industry and country itself: the same accounts
    as the account list's filters give, among those on the maps."""
    bouw = located_account(name="Veld Bouw", type_code="supplier", credit_hold=True)
    located_account(name="Eindhoven Glas", type_code="customer", owner=sales_user)
    located_account(name="Kölner Bau", type_code="supplier", city="Köln", country="DE",
                    at=(50.94, 6.96))  # fmt: skip
    located_account(name="Stopped Bouw", type_code="customer", is_active=False)
    AccountFactory(name="Unlocated Bouw")
    supplier = bouw.relationship_type_id
    data = QueryDict(query.format(industry=bouw.industry_id, supplier=supplier))
    list_query = account_list_query(data, user_id=sales_user.pk)
    assert not list_query.errors
    on_maps = MapEntry.objects.filter(account_id__in=list_query.accounts().values("pk"))
    assert names(selectors.overview_entries(list_query)) == names(on_maps)

import json
import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Address
from maps import rendering, selectors
from maps.geo import geodesic_km
from tests.accounts.factories import AccountFactory
from tests.html import parse, rows
from tests.maps.factories import EINDHOVEN, located_account

pytestmark = pytest.mark.django_db

XSS_NAMES = ["<img src=x onerror=alert(1)>", "${alert(1)}`"]


def map_url(account, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("maps:account_map", args=[account.pk]) + (f"?{query}" if query else "")


def payload(html: str) -> dict:
    """The data static/maps/map.js draws: JSON in the data attribute of #map-data."""
    return json.loads(
        unescape(re.search(r'id="map-data" hidden data-map="([^"]*)"', html).group(1))
    )


def status(html: str) -> str:
    text = re.search(r'data-testid="map-status">(.*?)</p>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


@pytest.fixture
def centre():
    return located_account(name="Lumen Lighting", type_code="customer")


def test_the_map_needs_the_view_permission(client, as_user, no_group_user, centre):
    assert client.get(map_url(centre)).status_code == 302  # to the login page
    assert client.get(reverse("maps:jsi18n")).status_code == 302
    assert as_user(no_group_user).get(map_url(centre)).status_code == 403
    assert client.get(reverse("maps:overview")).status_code == 403
    # The texts of map.js are no secret, but every page needs a login.
    catalog = as_user(no_group_user).get(reverse("maps:jsi18n"))
    assert catalog.status_code == 200 and "ngettext" in catalog.content.decode()


def updated(account, **params):
    """The account's map after Update map was pressed."""
    return map_url(account, **params, map="update")


def legend(html) -> list[str]:
    return [item.text for item in parse(html).find("ul", class_="map-legend").find_all("li")]


def test_the_map_opens_empty_centred_on_the_account(as_user, sales_user, centre):
    """As the seed says: empty at first, the account's pin and circle, and what to press."""
    located_account(name="Veldhoven Tools", city="Veldhoven", at=(51.42, 5.40))
    response = as_user(sales_user).get(map_url(centre))
    html = response.content.decode()
    assert status(html) == "Press Update map to show the accounts within 50 km."
    data = payload(html)
    assert data["centre"][3] == "Lumen Lighting" and data["radiusKm"] == 50
    assert data["pins"] == [] and data["cells"] == []
    assert rows(response.content) == []
    assert legend(html) == ["Lumen Lighting", "Customers", "Not customers"]


def test_update_and_clear_are_buttons_that_keep_the_state_in_the_address(
    as_user, sales_user, centre
):
    """The settings travel in the URL, so a bookmark or the back button shows the same map;
    the button pressed keeps the focus for the next Tab."""
    client = as_user(sales_user)
    form = parse(client.get(map_url(centre)).content).find("form", class_="map-form")
    assert form.attrs["method"] == "get"
    buttons = {b.text: (b.attrs["name"], b.attrs["value"]) for b in form.find_all("button")}
    assert buttons == {"Update map": ("map", "update"), "Clear map": ("map", "clear")}
    assert all("autofocus" not in b.attrs for b in form.find_all("button"))
    page = parse(client.get(updated(centre, radius=100, sort="city")).content)
    [focused] = [b for b in page.find_all("button") if "autofocus" in b.attrs]
    assert focused.text == "Update map"
    assert "selected" in page.find("select", name="radius").find("option", value="100").attrs


def test_the_map_shows_the_accounts_within_the_radius(as_user, sales_user, centre):
    located_account(
        name="Veldhoven Tools", type_code="customer", city="Veldhoven", at=(51.42, 5.40)
    )
    located_account(name="Helmond Metal", type_code="prospect", city="Helmond", at=(51.48, 5.66))
    located_account(name="Groningen Glass", type_code="customer", city="Groningen", at=(53.2, 6.57))
    response = as_user(sales_user).get(updated(centre))
    html = response.content.decode()
    assert status(html) == "2 accounts loaded within 50 km (Netherlands only)."
    assert legend(html) == ["Lumen Lighting", "Customers: 1", "Not customers: 1"]
    data = payload(html)
    assert data["centre"][3] == "Lumen Lighting" and data["radiusKm"] == 50
    assert sorted((p[3], p[5]) for p in data["pins"]) == [
        ("Helmond Metal", 0),
        ("Veldhoven Tools", 1),
    ]
    rows = re.findall(r"<tr><td>(.*?)</td><td[^>]*>(.*?)</td><td class=\"number\">(.*?)</td>", html)
    # Geodesic distances from the centre, to 0.1 km, sorted by name.
    helmond = geodesic_km(*EINDHOVEN, 51.48, 5.66)
    veldhoven = geodesic_km(*EINDHOVEN, 51.42, 5.40)
    assert rows == [
        ("Helmond Metal", "Helmond", f"{helmond:.1f} km"),
        ("Veldhoven Tools", "Veldhoven", f"{veldhoven:.1f} km"),
    ]

    wider = as_user(sales_user).get(updated(centre, radius=400)).content.decode()
    assert status(wider) == "3 accounts loaded within 400 km (Netherlands only)."


def test_no_other_account_nearby_is_said_so(as_user, sales_user, centre):
    located_account(name="Far away", city="Groningen", at=(53.2, 6.57))
    html = as_user(sales_user).get(updated(centre)).content.decode()
    assert status(html) == "No other accounts within 50 km (Netherlands only)."
    assert "No accounts on the map." in html


def test_the_list_sorts_by_city(as_user, sales_user, centre):
    located_account(name="A Veldhoven", city="Veldhoven", at=(51.42, 5.40))
    located_account(name="B Best", city="Best", at=(51.51, 5.39))
    client = as_user(sales_user)
    by_city = rows(client.get(updated(centre, sort="city")).content)
    assert [row[:2] for row in by_city] == [["B Best", "Best"], ["A Veldhoven", "Veldhoven"]]
    by_name = rows(client.get(updated(centre, sort="name")).content)
    assert [row[0] for row in by_name] == ["A Veldhoven", "B Best"]


def test_clear_map_removes_the_pins_but_keeps_the_account(as_user, sales_user, centre):
    located_account(name="Neighbour")
    response = as_user(sales_user).get(map_url(centre, radius=100, map="clear"))
    html = response.content.decode()
    assert status(html) == "Map cleared. Press Update map to show the accounts within 100 km."
    data = payload(html)
    assert data["pins"] == [] and data["centre"][3] == "Lumen Lighting"
    assert data["radiusKm"] == 100
    assert rows(response.content) == []


def test_an_account_without_coordinates_says_how_to_fix_it(as_user, sales_user):
    account = AccountFactory(name="Nowhere Inc")
    Address.objects.filter(account=account, kind="visit").update(
        geocode_status="failed", geocode_message="No match for this city in NL: check the city."
    )
    html = as_user(sales_user).get(map_url(account)).content.decode()
    assert status(html) == (
        "Nowhere Inc has no coordinates, so the map cannot be drawn. No match for this city in "
        "NL: check the city. Edit the visit address"
    )
    assert "map-data" not in html


def test_a_radius_off_the_list_is_refused(as_user, sales_user, centre):
    html = as_user(sales_user).get(map_url(centre, radius=37)).content.decode()
    assert status(html) == "Choose a radius and an order from the lists, then Update map."


def test_many_accounts_become_counted_cells(as_user, sales_user, centre, monkeypatch):
    monkeypatch.setattr(selectors, "PIN_LIMIT", 2)
    for i in range(3):
        located_account(at=(51.45 + i * 0.001, 5.48))
    html = as_user(sales_user).get(updated(centre)).content.decode()
    assert status(html) == (
        "3 accounts loaded within 50 km (Netherlands only). "
        "Too many for single pins: the map shows how many are in each area."
    )
    data = payload(html)
    assert data["pins"] == [] and [c[2] for c in data["cells"]] == [3]


@pytest.mark.parametrize("name", XSS_NAMES)
def test_names_are_text_not_markup(as_user, sales_user, centre, name):
    located_account(name=name, city=name)
    html = as_user(sales_user).get(updated(centre)).content.decode()
    assert "<img src=x" not in html
    # The data for popups and tooltips: JSON in an attribute, escaped for HTML.
    assert payload(html)["pins"][0][3:5] == [name, name]
    attribute = re.search(r'data-map="([^"]*)"', html).group(1)
    assert "<" not in attribute and "'" not in attribute
    # In the list: escaped HTML.
    assert f'<tr><td>{escape(name)}</td><td class="keep-words">{escape(name)}</td>' in html


def test_every_asset_is_served_by_the_app(as_user, sales_user, centre):
    html = as_user(sales_user).get(map_url(centre)).content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', html
    )
    assert "/static/vendor/leaflet/leaflet.js" in sources
    assert "/static/vendor/leaflet-markercluster/leaflet.markercluster.js" in sources
    # The one script not a static file: Django's catalog of the texts map.js shows.
    assert reverse("maps:jsi18n") in sources
    for url in (u for u in sources if u != reverse("maps:jsi18n")):
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert finders.find("vendor/leaflet/images/marker-icon.png")
    # Only the tiles (and their credit) come from elsewhere; a nonce may hold "cdn".
    hosts = set(re.findall(r"https?://([^/\"'\s]+)", html))
    assert hosts <= {"tile.openstreetmap.org", "www.openstreetmap.org"}, hosts


def inline_scripts(response) -> list:
    return [
        script
        for script in parse(response.content).find_all("script")
        if not script.attrs.get("src")
    ]


@pytest.mark.parametrize("page", ["account", "overview"])
def test_folium_script_runs_under_the_nonce_without_data(
    as_user, sales_user, centre, monkeypatch, page
):
    """One script in the page, allowed by the CSP's nonce; it holds no names: data is text.
    Folium renders the map once for the process, not once a page."""
    renders = []
    real_render = rendering.CrmMap.render
    monkeypatch.setattr(
        rendering.CrmMap, "render", lambda self, **kw: renders.append(1) or real_render(self, **kw)
    )
    rendering._rendered.cache_clear()
    url = updated(centre, radius=100) if page == "account" else reverse("maps:overview")
    as_user(sales_user).get(url)
    response = as_user(sales_user).get(url)
    assert len(renders) == 1
    [script] = inline_scripts(response)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert script.attrs["nonce"] == nonce
    element = parse(response.content).find("div", class_="folium-map")
    assert f'L.map( "{element.attrs["id"]}"' in script.text
    assert "crmMap.draw(" in script.text and "Lumen" not in script.text


def test_the_map_is_fitted_to_the_radius(as_user, sales_user, centre):
    [script] = inline_scripts(as_user(sales_user).get(map_url(centre, radius=100)))
    # About 0.9 degrees of latitude each side of the centre.
    south, north = (
        float(x) for x in re.findall(r"\[\[([\d.]+), [\d.]+\], \[([\d.]+)", script.text)[0]
    )
    assert north - south == pytest.approx(2 * 100 / 111.2, rel=0.01)


def test_the_map_page_runs_a_fixed_number_of_queries(
    as_user, sales_user, centre, django_assert_max_num_queries
):
    client = as_user(sales_user)
    for i in range(30):
        located_account(type_code="customer" if i % 2 else "partner", at=(51.4 + i / 500, 5.48))
    with django_assert_max_num_queries(8):
        response = client.get(updated(centre))
    assert len(payload(response.content.decode())["pins"]) == 30


def test_the_overview_uses_the_account_list_filters(
    as_user, sales_user, django_assert_max_num_queries
):
    located_account(name="Green One", type_code="customer")
    located_account(name="Red One", type_code="supplier", city="Berlin", country="DE",
                    at=(52.52, 13.40))  # fmt: skip
    located_account(name="Typed Other", type_code="other")
    AccountFactory(name="Unlocated")
    client = as_user(sales_user)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("maps:overview")).content.decode()
    assert status(html) == "On the map: 2 matching accounts. List every matching account"
    assert sorted(p[3] for p in payload(html)["pins"]) == ["Green One", "Red One"]
    assert legend(html) == ["Customers: 1", "Not customers: 1"]
    html = client.get(reverse("maps:overview") + "?country=DE").content.decode()
    assert [p[3] for p in payload(html)["pins"]] == ["Red One"]


def test_the_overview_shows_my_accounts_as_the_list_does(as_user, sales_user, admin_user):
    located_account(name="Mine", owner=sales_user)
    located_account(name="Someone else's", owner=admin_user)
    located_account(name="Nobody's")
    client = as_user(sales_user)
    for owner, names in (("mine", ["Mine"]), ("none", ["Nobody's"])):
        html = client.get(reverse("maps:overview"), {"owner": owner}).content.decode()
        assert [p[3] for p in payload(html)["pins"]] == names


def test_the_account_page_offers_its_map_at_the_top_beside_edit(as_user, sales_user, centre):
    """The seed reaches the map from above the account's name, not from a card below."""
    client = as_user(sales_user)
    for account in (centre, AccountFactory(name="Not located")):
        page = parse(client.get(reverse("accounts:detail", args=[account.pk])).content)
        actions = page.find("header", class_="page-header").find("div", class_="actions")
        assert [(a.text, a.attrs["href"]) for a in actions.find_all("a")][:2] == [
            ("Map", map_url(account)),
            ("Edit", reverse("accounts:update", args=[account.pk])),
        ]
        assert page.find_all("section", aria_labelledby="map-h") == []


def test_the_menu_has_the_map(as_user, sales_user):
    html = as_user(sales_user).get(reverse("accounts:list")).content.decode()
    assert f'href="{reverse("maps:overview")}"' in html


def test_an_account_the_service_did_not_answer_for_says_it_is_retried(as_user, sales_user):
    """Nothing to fix: the default run of geocode_accounts locates it again."""
    account = AccountFactory(name="Later Inc")
    Address.objects.filter(account=account, kind="visit").update(
        geocode_status="retry", geocode_message="The geocoding service is unavailable."
    )
    client = as_user(sales_user)
    html = client.get(map_url(account)).content.decode()
    assert status(html) == (
        "Later Inc has no coordinates, so the map cannot be drawn. The geocoding service is "
        "unavailable. It will be placed on the map at the next scheduled geocoding run. "
        "Edit the visit address"
    )
    page = parse(client.get(reverse("accounts:detail", args=[account.pk])).content)
    assert page.find("p", class_="geo-retry").text == (
        "Not located yet: The geocoding service is unavailable. It will be placed on the map "
        "at the next scheduled geocoding run."
    )

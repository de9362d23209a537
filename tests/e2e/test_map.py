"""The radius map in Chromium: pins and colours from the demo data, radius, sort, clear."""

import base64
import re

from playwright.sync_api import Locator, Page, expect

from accounts.models import Address
from demo.loader import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import log_in, screenshot
from tests.maps.factories import EINDHOVEN, located_account, point_north_of

# A 1x1 grey PNG for every map tile, so the map renders without network and no request fails.
GREY_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4BwAA3QDcW8ib9wAAAABJRU5ErkJggg=="
)

# What Leaflet drew, read through map.js's `crmMap.drawn`: the pins' colours, cells' counts.
PINS_JS = """() => {
  const {group} = window.crmMap.drawn[0];
  const colours = group.getLayers().map((m) => m.options.icon.options.className.split("-").pop());
  const count = (colour) => colours.filter((c) => c === colour).length;
  return {green: count("green"), red: count("red")};
}"""


ON_SCREEN_JS = """(expected) => {
  const single = document.querySelectorAll(".map-pin-green, .map-pin-red").length;
  const spans = [...document.querySelectorAll(".marker-cluster span")];
  return single + spans.reduce((sum, span) => sum + Number(span.textContent), 0) === expected;
}"""


# The index of the element matching the selector drawn nearest the account's own blue pin.
NEAREST_JS = """(selector) => {
  const middle = (el) => {
    const box = el.getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
  };
  const [x, y] = middle(document.querySelector(".map-pin-blue"));
  const distances = [...document.querySelectorAll(selector)].map((el) => {
    const [ex, ey] = middle(el);
    return Math.hypot(ex - x, ey - y);
  });
  return distances.indexOf(Math.min(...distances));
}"""
# Resolves once the map and its clusters have been still for a while. A zoom runs Leaflet's
# animation and then the clusters' own, and pins are moved, added and removed until both end:
# a pin picked before then may be gone by the time it is clicked.
SETTLED_JS = """() => new Promise((done) => {
  const {map, group} = window.crmMap.drawn[0];
  const events = "movestart zoomstart zoomend moveend";
  let timer;
  const finish = () => {
    map.off(events, wait);
    group.off("animationend", wait);
    done();
  };
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(finish, 500);
  };
  map.on(events, wait);
  group.on("animationend", wait);
  wait();
})"""
CLUSTERS = ".leaflet-marker-pane .marker-cluster"
SINGLE_PINS = ".map-pin-green, .map-pin-red"


def nearest(page: Page, selector: str) -> Locator:
    return page.locator(selector).nth(page.evaluate(NEAREST_JS, selector))


def serve_grey_tiles(page: Page) -> None:
    page.route(
        re.compile(r"^https://([a-z]\.)?tile\.openstreetmap\.org/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=GREY_TILE),
    )


def loaded(page: Page) -> int:
    text = page.get_by_test_id("map-status").inner_text()
    return int(re.match(r"([\d,]+) accounts? loaded", text).group(1).replace(",", ""))


def test_the_map_of_a_demo_account(page: Page):
    load_demo()
    centre = (
        Address.objects.filter(kind="visit", city="Eindhoven", latitude__isnull=False)
        .exclude(account__relationship_type__code="other")
        .select_related("account")
        .order_by("account__name")
        .first()
    )
    # A neighbour whose name would run as code if it were ever treated as markup.
    located_account(
        name="<img src=x onerror=alert(1)> ${alert(1)}",
        at=(centre.latitude + 0.01, centre.longitude),
        type_code="customer",
    )
    # Neighbours just north of the account: on the map, where its own pin stands.
    for offset in (-0.004, 0, 0.004):
        located_account(at=(centre.latitude + 0.02, centre.longitude + offset))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    serve_grey_tiles(page)
    log_in(page, "sales", DEMO_PASSWORD)

    page.goto(f"/accounts/{centre.account_id}/")
    page.get_by_role("link", name="Show accounts nearby on the map").click()
    expect(page.get_by_role("heading", name=f"Map around {centre.account.name}")).to_be_visible()
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(page.locator(".map-pin-blue")).to_have_count(1)

    near = loaded(page)
    pins = page.evaluate(PINS_JS)
    assert near > 1 and pins["green"] + pins["red"] == near
    assert pins["green"] == int(page.get_by_test_id("customer-count").inner_text())
    assert pins["red"] == int(page.get_by_test_id("other-count").inner_text())
    # On screen every pin is either a single pin or counted in a cluster (once the clustering
    # has settled: while it animates a pin can be in both).
    page.wait_for_function(ON_SCREEN_JS, arg=near)
    rows = page.locator(".map-list tbody tr")
    expect(rows).to_have_count(min(near, 50))
    screenshot(page, "map-50km")

    # The neighbours nearest the account are clicked as a person would, and the blue pin
    # does not catch the click: the cluster zooms in to its pins, a pin opens its popup.
    page.evaluate(SETTLED_JS)
    zoom = page.evaluate("() => window.crmMap.drawn[0].map.getZoom()")
    nearest(page, CLUSTERS).click(timeout=5_000)
    page.wait_for_function("(zoom) => window.crmMap.drawn[0].map.getZoom() > zoom", arg=zoom)
    page.evaluate(SETTLED_JS)
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    name = nearest(page, SINGLE_PINS).get_attribute("title")
    page.get_by_title(name, exact=True).click(timeout=5_000)
    # One popup: a popup that was closed fades out for a moment before it leaves the page.
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    expect(page.locator(".leaflet-popup-content strong")).to_have_text(name)
    assert name != centre.account.name
    screenshot(page, "map-nearest-clicked")
    page.evaluate("() => window.crmMap.drawn[0].map.closePopup()")

    # The name is text in the list and in the popup and tooltip; nothing runs.
    row = page.locator(".map-list tbody tr", has_text="<img src=x")
    expect(row.locator("td").first).to_have_text("<img src=x onerror=alert(1)> ${alert(1)}")
    page.evaluate(
        """() => new Promise((done) => {
          const {group} = window.crmMap.drawn[0];
          const marker = group.getLayers().find((m) => m.options.title.startsWith("<img"));
          group.zoomToShowLayer(marker, () => { marker.openPopup(); done(); });
        })"""
    )
    popup = page.locator(".leaflet-popup-content .map-popup")
    expect(popup.locator("strong")).to_have_text("<img src=x onerror=alert(1)> ${alert(1)}")
    expect(popup.get_by_role("link", name="Open")).to_be_visible()
    screenshot(page, "map-popup")

    page.get_by_label("Radius").select_option("150")
    expect(page.get_by_test_id("map-status")).to_contain_text("within 150 km")
    # The Sort by box below submits on change once map.js has set it up.
    page.wait_for_load_state("load")
    assert loaded(page) > near
    screenshot(page, "map-150km")

    page.get_by_label("Sort by").select_option("city")
    expect(page).to_have_url(re.compile(r"sort=city"))
    page.wait_for_load_state("load")
    cities = page.locator(".map-list tbody tr td:nth-child(2)").all_inner_texts()
    assert cities == sorted(cities, key=str.casefold) and len(set(cities)) > 1

    page.get_by_role("button", name="Clear map").click()
    expect(page.get_by_test_id("map-status")).to_have_text(
        "Map cleared. Press Update map to show the accounts again."
    )
    expect(page.locator(".map-pin-blue")).to_have_count(1)
    expect(page.locator(".map-pin-green, .map-pin-red, .marker-cluster")).to_have_count(0)
    screenshot(page, "map-cleared")
    assert dialogs == []


def test_the_map_of_all_accounts(page: Page):
    load_demo()
    serve_grey_tiles(page)
    log_in(page, "sales", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Map").click()
    status = page.get_by_test_id("map-status")
    expect(status).to_contain_text("with coordinates match")
    everyone = int(re.match(r"([\d,]+)", status.inner_text()).group(1).replace(",", ""))
    page.get_by_label("Country").select_option("BE")
    page.get_by_role("button", name="Update map").click()
    expect(page).to_have_url(re.compile(r"country=BE"))
    page.wait_for_load_state("load")
    belgian = int(re.match(r"([\d,]+)", status.inner_text()).group(1).replace(",", ""))
    assert 0 < belgian < everyone
    drawn = page.evaluate("() => window.crmMap.drawn[0].group.getLayers().length")
    assert drawn == belgian
    bounds = page.evaluate("() => window.crmMap.drawn[0].map.getBounds().toBBoxString()")
    west, south, east, north = (float(x) for x in bounds.split(","))
    assert 2.5 < west < 4.5 and 49.4 < south < 50.8 and 5 < east < 7 and 50.8 < north < 52
    screenshot(page, "map-overview-belgium")
    assert page.evaluate("() => window.crmMap.drawn[0].map.getZoom()") >= 7


def test_a_long_unbroken_name_wraps_inside_the_side_list(page: Page, sales_user):
    """A name without spaces wraps in its cell: City, Distance and Open stay in the card."""
    centre = located_account(name="Kempen Logistics")
    long_name = "Noord" + "brabantsche" * 8 + "Handelsmaatschappij"
    located_account(name=long_name, at=point_north_of(*EINDHOVEN, km=3))
    serve_grey_tiles(page)
    log_in(page, sales_user.email)
    page.goto(f"/accounts/{centre.pk}/map/")
    row = page.locator(".map-list tbody tr", has_text=long_name)
    expect(row).to_be_visible()

    card = page.locator(".map-list").bounding_box()
    for cell in row.locator("td").all():
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"], cell.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.locator(".map-list").evaluate("(list) => list.scrollWidth <= list.clientWidth")
    screenshot(page, "map-long-name")

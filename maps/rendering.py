"""Folium maps that load every asset from this app and draw the pins from one data array.

Folium's own markers and popups are not used: a Python object per pin does not scale past a few
hundred, and folium puts popup HTML inside a JavaScript template literal where `${...}` in an
account name would run. Here the pins travel as JSON in an HTML-escaped data attribute, folium's
script carries no data and runs under the page's CSP nonce, and static/maps/map.js builds popups
and tooltips from DOM text nodes only.

Only folium's public API is used (Figure rendering, default_js/default_css), and each map is
rendered once: the page holds its element, its script and the links to its assets.
"""

import dataclasses
import functools
import json
from dataclasses import dataclass
from typing import Any

import folium
from django.conf import settings
from django.templatetags.static import static
from folium.elements import JSCSSMixin
from folium.template import Template

from maps.geo import BoundingBox
from maps.selectors import MapPoints

ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


class CrmMap(folium.Map):
    """A folium map whose Leaflet comes from our static files, with the configured tiles."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(tiles=None, **kwargs)  # map.js adds a scale in kilometres only
        # Per instance, never folium's module-level lists: those are shared by every map.
        self.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
        self.default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css"))]
        folium.TileLayer(settings.MAP_TILE_URL, attr=ATTRIBUTION, max_zoom=19).add_to(self)


class AccountPoints(JSCSSMixin):
    """The centre pin, the radius circle and the accounts, handed to static/maps/map.js."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            window.crmMap.draw(
                {{ this.map_name }}, window.crmMap.data({{ this.data_id|tojson }})
            );
        {% endmacro %}
        """
    )

    def __init__(self, *, map_name: str, data_id: str) -> None:
        super().__init__()
        self.map_name = map_name
        self.data_id = data_id
        self.default_js = [
            ("markerclusterjs", static("vendor/leaflet-markercluster/leaflet.markercluster.js")),
            ("crm_map_js", static("maps/map.js")),
        ]
        self.default_css = [
            # Not MarkerCluster.Default.css: its grey and yellow bubbles hide the pins' colours;
            # map.js draws the clusters and map.css styles them.
            ("markerclustercss", static("vendor/leaflet-markercluster/MarkerCluster.css")),
        ]


# The id of the element holding the map's data, which map.js reads.
DATA_ID = "map-data"


@dataclass(frozen=True)
class RenderedMap:
    """The parts of a folium page to place in our own layout."""

    html: str
    script: str
    js: list[str]
    css: list[str]


# Bounds no map has: rendered once into the cached map, replaced by each request's own.
_SENTINEL_BOUNDS = [[-89.125, -179.25], [-89.0625, -179.125]]


def render_map(*, bounds: BoundingBox | None) -> RenderedMap:
    """Render a map fitted to `bounds`, or to its data when there are no bounds.

    Folium renders the same map for every request but its bounds (tens of ms of Python a page,
    more than the map's queries at a million accounts), so it renders once per process and
    setting, and each request writes its own bounds into the script.
    """
    rendered = _rendered(
        fitted=bounds is not None, tiles=settings.MAP_TILE_URL, static_url=settings.STATIC_URL
    )
    if bounds is None:
        return rendered
    west = min(r[0] for r in bounds.longitudes)
    east = max(r[1] for r in bounds.longitudes)
    fitted = [[bounds.min_latitude, west], [bounds.max_latitude, east]]
    script = rendered.script.replace(json.dumps(_SENTINEL_BOUNDS), json.dumps(fitted))
    return dataclasses.replace(rendered, script=script)


@functools.lru_cache(maxsize=8)
def _rendered(*, fitted: bool, tiles: str, static_url: str) -> RenderedMap:
    """The map, fitted to the sentinel bounds or not; `tiles` and `static_url` key the cache."""
    fmap = CrmMap(location=[51.0, 8.0], zoom_start=5)
    if fitted:
        # Drawn at its bounds at once: an animated first zoom ignores the zoom buttons while
        # it lasts, and shows Europe before the account's surroundings.
        fit = folium.FitBounds(_SENTINEL_BOUNDS)
        fit.options["animate"] = False
        fit.add_to(fmap)
    points = AccountPoints(map_name=fmap.get_name(), data_id=DATA_ID)
    points.add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, folium.Figure)  # a Map's root is the Figure it makes
    root.render()
    assets: tuple[JSCSSMixin, ...] = (fmap, points)
    # The assets are the ones named here; folium's header holds inline styles besides, which
    # the CSP would refuse and the layout does not want.
    rendered = RenderedMap(
        html=root.html.render(),
        script=root.script.render(),
        js=[url for element in assets for _, url in element.default_js],
        css=[url for element in assets for _, url in element.default_css],
    )
    assert not fitted or json.dumps(_SENTINEL_BOUNDS) in rendered.script
    return rendered


def points_payload(points: MapPoints) -> dict[str, Any]:
    return {"pins": points.pins, "cells": points.cells}

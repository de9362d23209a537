"""Folium maps that load every asset from this app and draw the pins from one data array.

Folium's own markers and popups are not used: a Python object per pin does not scale past a few
hundred, and folium puts popup HTML inside a JavaScript template literal where `${...}` in an
account name would run. Here the pins travel as JSON in an HTML-escaped data attribute, folium's
script carries no data and is served from its own URL (no inline script for the CSP), and
static/maps/map.js builds popups and tooltips from DOM text nodes only.
"""

from dataclasses import dataclass
from typing import Any

import folium
from branca.element import CssLink, JavascriptLink
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
        super().__init__(tiles=None, control_scale=True, **kwargs)
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
                {{ this._parent.get_name() }}, window.crmMap.data({{ this.data_id|tojson }})
            );
        {% endmacro %}
        """
    )

    def __init__(self, data_id: str) -> None:
        super().__init__()
        self._name = "AccountPoints"
        self.data_id = data_id
        self.default_js = [
            ("markerclusterjs", static("vendor/leaflet-markercluster/leaflet.markercluster.js")),
            ("crm_map_js", static("maps/map.js")),
        ]
        self.default_css = [
            ("markerclustercss", static("vendor/leaflet-markercluster/MarkerCluster.css")),
            (
                "markerclusterdefaultcss",
                static("vendor/leaflet-markercluster/MarkerCluster.Default.css"),
            ),
        ]


# The map's element id and the id of the element holding its data: fixed, because the page and
# the script are rendered by two requests.
MAP_ID = "crm"
DATA_ID = "map-data"


@dataclass(frozen=True)
class RenderedMap:
    """The parts of a folium page to place in our own layout."""

    html: str
    script: str
    js: list[str]
    css: list[str]


def render_map(*, bounds: BoundingBox | None) -> RenderedMap:
    """Render a map fitted to `bounds`, or to its data when there are no bounds.

    The pins come from the page's data element, so the script is the same for every request
    with the same bounds and can be served from its own URL.
    """
    fmap = CrmMap(location=[51.0, 8.0], zoom_start=5)
    fmap._id = MAP_ID
    if bounds is not None:
        west = min(r[0] for r in bounds.longitudes)
        east = max(r[1] for r in bounds.longitudes)
        fmap.fit_bounds([[bounds.min_latitude, west], [bounds.max_latitude, east]])
    AccountPoints(DATA_ID).add_to(fmap)
    root = fmap.get_root()
    root.render()
    links = list(root.header._children.values())
    return RenderedMap(
        html=root.html.render(),
        script=root.script.render(),
        js=[link.url for link in links if isinstance(link, JavascriptLink)],
        css=[link.url for link in links if isinstance(link, CssLink)],
    )


def points_payload(points: MapPoints) -> dict[str, Any]:
    return {"pins": points.pins, "cells": points.cells}

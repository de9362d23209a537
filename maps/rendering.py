"""Folium maps that load every asset from this app and draw the pins from one data array.

Folium's own markers and popups are not used: a Python object per pin does not scale past a few
hundred, and folium puts popup HTML inside a JavaScript template literal where `${...}` in an
account name would run. Here the pins are plain JSON (escaped for a <script> by `tojson`) and
static/maps/map.js builds popups, tooltips and the list with DOM text nodes only.
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
            window.crmMap.draw({{ this._parent.get_name() }}, {{ this.payload|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "AccountPoints"
        self.payload = payload
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


@dataclass(frozen=True)
class RenderedMap:
    """The parts of a folium page to place in our own layout."""

    html: str
    script: str
    js: list[str]
    css: list[str]


def render_map(*, bounds: BoundingBox | None, payload: dict[str, Any]) -> RenderedMap:
    """Render a map fitted to `bounds` (or Europe) with the payload's pins.

    The script is inline: the page gives it the request's CSP nonce.
    """
    fmap = CrmMap(location=[51.0, 8.0], zoom_start=5)
    if bounds is not None:
        west = min(r[0] for r in bounds.longitudes)
        east = max(r[1] for r in bounds.longitudes)
        fmap.fit_bounds([[bounds.min_latitude, west], [bounds.max_latitude, east]])
    AccountPoints(payload).add_to(fmap)
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


def points_bounds(points: MapPoints) -> BoundingBox | None:
    """The box around every pin or cell, to fit the overview map."""
    coordinates = [(p[0], p[1]) for p in points.pins or points.cells]
    if not coordinates:
        return None
    lats, lons = zip(*coordinates, strict=True)
    return BoundingBox(min(lats), max(lats), ((min(lons), max(lons)),))

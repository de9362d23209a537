// Draws the accounts on a folium (Leaflet) map from one data array sent with the page.
// Names and cities are data: they only ever become text nodes, never HTML, so an account named
// "<img onerror=…>" or "${…}" shows as typed.
"use strict";

(function () {
  const PIN_SVG =
    '<svg viewBox="0 0 24 36" width="24" height="36" aria-hidden="true" focusable="false">' +
    '<path d="M12 0C5.4 0 0 5.4 0 12c0 9 12 24 12 24s12-15 12-24C24 5.4 18.6 0 12 0z"/>' +
    '<circle cx="12" cy="12" r="4.5"/></svg>';

  const CENTRE_PANE = "crmCentrePane";

  function pinIcon(colour) {
    return L.divIcon({
      className: `map-pin map-pin-${colour}`,
      html: PIN_SVG,
      iconSize: [24, 36],
      iconAnchor: [12, 36],
      popupAnchor: [0, -32],
      tooltipAnchor: [12, -20],
    });
  }

  function textElement(tag, value, className) {
    const element = document.createElement(tag);
    element.textContent = value;
    if (className) element.className = className;
    return element;
  }

  function popupContent(name, city, url) {
    const box = textElement("div", "", "map-popup");
    const link = textElement("a", "Open");
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener";
    box.append(textElement("strong", name), textElement("span", city || "No city"), link);
    return box;
  }

  function pin(lat, lon, colour, id, name, city, accountUrl, options = {}) {
    const marker = L.marker([lat, lon], {
      icon: pinIcon(colour),
      title: name,
      alt: name,
      ...options,
    });
    marker.bindPopup(() => popupContent(name, city, accountUrl.replace("/0/", `/${id}/`)));
    marker.bindTooltip(textElement("span", name));
    return marker;
  }

  function cellMarker(lat, lon, count, customers) {
    const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    const inner = document.createElement("div");
    inner.append(textElement("span", count.toLocaleString()));
    const marker = L.marker([lat, lon], {
      icon: L.divIcon({
        className: `marker-cluster marker-cluster-${size} map-cell`,
        html: inner,
        iconSize: [40, 40],
      }),
    });
    marker.bindPopup(() =>
      textElement("span", `${count.toLocaleString()} accounts here, ${customers.toLocaleString()} of them customers`),
    );
    return marker;
  }

  function draw(map, payload) {
    const url = payload.accountUrl;
    if (payload.centre) {
      const [lat, lon, id, name, city] = payload.centre;
      L.circle([lat, lon], {
        radius: payload.radiusKm * 1000,
        color: "#1f5fbf",
        weight: 1,
        fill: false,
        interactive: false,
      }).addTo(map);
      // The account's own pin lies under the other pins and clusters, in a pane between
      // Leaflet's shadow (500) and marker (600) panes: the nearest neighbours cluster right
      // where it stands, and on top it would catch their clicks. Its head still shows beside
      // them, and the radius circle marks the centre too.
      if (!map.getPane(CENTRE_PANE)) map.createPane(CENTRE_PANE).style.zIndex = 590;
      pin(lat, lon, "blue", id, name, city, url, { pane: CENTRE_PANE }).addTo(map);
    }
    // Fitted before the pins are added, so the clustering does not animate from another zoom.
    const points = [...(payload.pins || []), ...(payload.cells || [])];
    if (payload.fit && points.length) {
      const bounds = L.latLngBounds(points.map(([lat, lon]) => [lat, lon]));
      map.fitBounds(bounds, { maxZoom: 12, padding: [20, 20], animate: false });
    }
    const group = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    const markers = (payload.pins || []).map(([lat, lon, id, name, city, customer]) =>
      pin(lat, lon, customer ? "green" : "red", id, name, city, url),
    );
    group.addLayers(markers);
    group.addTo(map);
    const cells = (payload.cells || []).map(([lat, lon, count, customers]) =>
      cellMarker(lat, lon, count, customers),
    );
    const cellLayer = L.layerGroup(cells).addTo(map);
    window.crmMap.drawn.push({ map, group, cellLayer });
  }

  function setUpAutoSubmit() {
    document.querySelectorAll(".map-form select").forEach((select) => {
      select.addEventListener("change", () => select.form.requestSubmit());
    });
  }

  // The pins travel as JSON in a data attribute: the page needs no inline script.
  function data(id) {
    return JSON.parse(document.getElementById(id).dataset.map);
  }

  // `drawn` lets a browser test (or a curious developer) inspect what was put on the map.
  window.crmMap = { draw, data, drawn: [] };
  document.addEventListener("DOMContentLoaded", setUpAutoSubmit);
})();

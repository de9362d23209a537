// Draws the accounts on a folium (Leaflet) map from one data array sent with the page.
// Names and cities are data: they only ever become text nodes, never HTML, so an account named
// "<img onerror=…>" or "${…}" shows as typed. Texts come translated from Django's JavaScript
// catalog (gettext, ngettext, interpolate), loaded before this file.
"use strict";

(function () {
  const { gettext, ngettext, interpolate } = window;
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
    const link = textElement("a", gettext("Open"));
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener";
    box.append(textElement("strong", name), textElement("span", city || gettext("No city")), link);
    return box;
  }

  // "7 accounts: 3 customers, 4 not customers", the name and title of a cluster or a cell.
  function groupLabel(total, customers) {
    // Literal texts, so makemessages finds them; numbers grouped the way the page's language does.
    const count = (text, n) => interpolate(text, [n.toLocaleString(document.documentElement.lang)]);
    return interpolate(
      gettext("%(accounts)s: %(customers)s, %(others)s"),
      {
        accounts: count(ngettext("%s account", "%s accounts", total), total),
        customers: count(ngettext("%s customer", "%s customers", customers), customers),
        others: count(
          ngettext("%s not a customer", "%s not customers", total - customers),
          total - customers,
        ),
      },
      true,
    );
  }

  // A divIcon that names itself: Leaflet gives a clickable marker role=button, and a cluster
  // would otherwise be announced by its number alone.
  const NamedIcon = L.DivIcon.extend({
    createIcon(oldIcon) {
      const icon = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      icon.title = this.options.label;
      icon.setAttribute("aria-label", this.options.label);
      return icon;
    },
  });

  // A ring green for the share of customers and red for the rest, the count in its middle:
  // a cluster keeps the pins' colours, so a user tells customers from the rest without
  // zooming. The share is a CSS variable set through the DOM, which the CSP allows.
  function groupIcon(total, customers) {
    const size = total < 10 ? "small" : total < 100 ? "medium" : "large";
    const ring = textElement("div", "", "map-ring");
    ring.style.setProperty("--customers", `${(100 * customers) / total}%`);
    ring.append(textElement("span", total.toLocaleString()));
    const px = { small: 34, medium: 40, large: 46 }[size];
    return new NamedIcon({
      className: `map-cluster map-cluster-${size}`,
      html: ring,
      iconSize: [px, px],
      label: groupLabel(total, customers),
    });
  }

  function clusterIcon(cluster) {
    const markers = cluster.getAllChildMarkers();
    return groupIcon(markers.length, markers.filter((m) => m.options.customer).length);
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

  // A cell the database counted (too many accounts for single pins): drawn as a cluster.
  function cellMarker(lat, lon, count, customers) {
    const icon = groupIcon(count, customers);
    const marker = L.marker([lat, lon], { icon });
    marker.bindPopup(() => textElement("span", icon.options.label));
    return marker;
  }

  // Leaflet's own words (the zoom buttons, the tiles' credit) in the page's language, and a
  // scale in kilometres only: folium renders one map for every language (maps/rendering.py).
  function speakThePagesLanguage(map) {
    const container = map.getContainer();
    for (const [selector, label] of [
      [".leaflet-control-zoom-in", gettext("Zoom in")],
      [".leaflet-control-zoom-out", gettext("Zoom out")],
    ]) {
      const button = container.querySelector(selector);
      if (button) {
        button.title = label;
        button.setAttribute("aria-label", label);
      }
    }
    map.eachLayer((layer) => {
      const credit = layer instanceof L.TileLayer && layer.getAttribution();
      if (credit && credit.includes("openstreetmap.org/copyright")) {
        const link = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
        map.attributionControl.removeAttribution(credit);
        map.attributionControl.addAttribution(
          interpolate(gettext("&copy; %(osm)s contributors"), { osm: link }, true),
        );
      }
    });
    L.control.scale({ imperial: false }).addTo(map);
  }

  function draw(map, payload) {
    speakThePagesLanguage(map);
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
    const group = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: clusterIcon,
    });
    const markers = (payload.pins || []).map(([lat, lon, id, name, city, customer]) =>
      pin(lat, lon, customer ? "green" : "red", id, name, city, url, {
        customer: Boolean(customer),
      }),
    );
    // Leaflet passes Enter on a focused cluster to its group as "clusterkeypress", which the
    // group ignores: make Enter and Space open it up (zoom in or spread the pins) as a click does.
    group.on("clusterkeypress", (event) => {
      const key = event.originalEvent.key;
      if (key !== "Enter" && key !== " ") return;
      L.DomEvent.preventDefault(event.originalEvent);
      event.layer.fire("click", { originalEvent: event.originalEvent, latlng: event.layer.getLatLng() }, true);
    });
    group.addLayers(markers);
    group.addTo(map);
    const cells = (payload.cells || []).map(([lat, lon, count, customers]) =>
      cellMarker(lat, lon, count, customers),
    );
    const cellLayer = L.layerGroup(cells).addTo(map);
    window.crmMap.drawn.push({ map, group, cellLayer });
  }

  // The pins travel as JSON in a data attribute: the page needs no inline script.
  function data(id) {
    return JSON.parse(document.getElementById(id).dataset.map);
  }

  // Back and forward show the map of that address. A page from the back-forward cache would
  // show the lists as the user left them, not as the map was drawn: put back the drawn ones.
  // (A page loaded again shows the server's values: the form has autocomplete="off".)
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll(".map-form").forEach((form) => form.reset());
  });

  // `drawn` lets a browser test (or a curious developer) inspect what was put on the map.
  window.crmMap = { draw, data, drawn: [] };
})();

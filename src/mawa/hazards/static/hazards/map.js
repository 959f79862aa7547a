/* The hazard map: Leaflet (vendored), no tile server needed. Each move asks the server for the
   view's features (clusters counted by the database at low zoom); filters ask again. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("map-config").textContent);
  var rtl = document.documentElement.dir === "rtl";
  var form = document.getElementById("map-filters");
  var state = document.getElementById("map-state");
  var map = L.map("map", { zoomControl: false, attributionControl: !!cfg.tiles });
  map.setView(cfg.centre, cfg.zoom);
  window.mawaMap = map; // for tests and the browser console
  L.control.zoom({ position: rtl ? "topright" : "topleft", zoomInTitle: "+", zoomOutTitle: "−" }).addTo(map);
  L.control.scale({ position: rtl ? "bottomright" : "bottomleft" }).addTo(map);
  if (cfg.tiles) { L.tileLayer(cfg.tiles, { maxZoom: 19 }).addTo(map); }
  fetch(cfg.boundaries, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (g) {
      L.geoJSON(g, { interactive: false, style: { color: "#7a8a93", weight: 1, fill: false } }).addTo(map);
    })
    .catch(function () {});

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) { el.className = cls; }
    return el;
  }

  function popup(p) {
    var box = document.createElement("div");
    if (p.kind === "site") {
      box.appendChild(text("strong", p.name));
      box.appendChild(text("div", cfg.text.site + " · " + p.site_kind));
    } else {
      var badge = text("span", p.status_label, "status-badge");
      badge.style.background = p.colour;
      box.appendChild(badge);
      box.appendChild(text("div", p.weight, "weight " + p.source));
      box.appendChild(text("div", (p.name ? p.name + " · " : "") + p.ref + " · " + p.status_at, "muted"));
    }
    var link = text("a", cfg.text.open, "open-record");
    link.href = p.url;
    box.appendChild(link);
    return box;
  }

  function clusterMarker(feature, latlng) {
    var p = feature.properties;
    var size = 22 + Math.min(24, Math.round(Math.log(p.count + 1) * 4));
    var icon = L.divIcon({
      className: "",
      html: '<div class="hz-cluster" style="width:' + size + "px;height:" + size + "px;background:" + p.colour + '">' + p.count + "</div>",
      iconSize: [size, size],
    });
    var parts = Object.keys(p.by_status).map(function (s) { return (cfg.statuses[s] || cfg.intentions[s] || s) + ": " + p.by_status[s]; });
    var marker = L.marker(latlng, { icon: icon, title: parts.join(" · "), keyboard: true });
    marker.on("click", function () { map.setView(latlng, Math.min(map.getZoom() + 3, 18)); });
    return marker;
  }

  var layer = L.geoJSON(null, {
    pointToLayer: function (feature, latlng) {
      var p = feature.properties;
      if (p.cluster) { return clusterMarker(feature, latlng); }
      if (p.kind === "site") {
        return L.marker(latlng, { icon: L.divIcon({ className: "hz-site", html: "⛺", iconSize: [22, 22] }), title: p.name });
      }
      var resident = p.source === "resident";
      return L.circleMarker(latlng, {
        radius: 7, color: p.colour, weight: 2, fillColor: p.colour, fillOpacity: resident ? 0.25 : 0.85,
        dashArray: resident ? "3 3" : null, className: "hz-building hz-" + p.status,
      });
    },
    style: function (feature) {
      var p = feature.properties;
      if (feature.geometry.type === "Point") { return {}; } // markers keep their own style
      var resident = p.source === "resident";
      return { color: p.colour, weight: 2, fillOpacity: resident ? 0.1 : 0.3, dashArray: resident ? "4 4" : null, className: "hz-area hz-" + p.status };
    },
    onEachFeature: function (feature, item) {
      if (!feature.properties.cluster) { item.bindPopup(popup(feature.properties)); }
    },
  }).addTo(map);

  if (cfg.new) {
    map.on("contextmenu", function (e) {
      var link = text("a", cfg.text.record_here);
      link.href = cfg.new + "?latitude=" + e.latlng.lat.toFixed(6) + "&longitude=" + e.latlng.lng.toFixed(6);
      L.popup().setLatLng(e.latlng).setContent(link).openOn(map);
    });
  }

  function checked(name) {
    return Array.prototype.filter.call(form.elements[name], function (i) { return i.checked; }).map(function (i) { return i.value; });
  }

  var pending = null;
  var loads = 0;
  function load() {
    var b = map.getBounds();
    var clamp = function (v, m) { return Math.max(-m, Math.min(m, v)); };
    var bbox = [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)];
    var layers = checked("layer"), statuses = checked("status");
    if (!layers.length || !statuses.length) { layer.clearLayers(); state.textContent = ""; return; }
    var query = new URLSearchParams({ bbox: bbox.map(function (x) { return x.toFixed(5); }).join(","), zoom: String(map.getZoom()), layer: layers.join(",") });
    if (statuses.length < form.elements.status.length) { query.set("status", statuses.join(",")); }
    if (form.elements.source.value) { query.set("source", form.elements.source.value); }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(cfg.features + "?" + query, { credentials: "same-origin", signal: pending.signal })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        layer.clearLayers();
        layer.addData(data);
        var total = data.features.reduce(function (n, f) { return n + (f.properties.count || 1); }, 0);
        state.textContent = (data.mode === "clusters" ? cfg.text.cluster : cfg.text.shown).replace("%(count)s", total);
        loads += 1;
        document.getElementById("map").dataset.loaded = data.mode + ":" + data.features.length + ":" + loads;
      })
      .catch(function () {});
  }
  map.on("moveend", load);
  form.addEventListener("change", load);
  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  load();
})();

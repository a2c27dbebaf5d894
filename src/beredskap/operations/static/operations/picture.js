/* The situational picture map: municipality outlines (shipped GeoJSON, no tile server) coloured
   by the latest reported status; refreshed every 30 seconds. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var colours = { green: "#2e7d32", yellow: "#f9a825", red: "#c62828" };
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 }).setView([65, 14], 4.5);
  var layer = null;
  var status = {};
  function style(feature) {
    var s = status[feature.properties.number];
    return { weight: 0.5, color: "#555", fillOpacity: s ? 0.75 : 0.15, fillColor: s ? colours[s.colour] || "#bbb" : "#bbb" };
  }
  function refresh() {
    fetch(el.dataset.status, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      status = data.status || {};
      el.dataset.reported = String(Object.keys(status).length);
      if (layer) { layer.setStyle(style); }
    });
  }
  fetch(el.dataset.outlines, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
    layer = L.geoJSON(geo, {
      style: style,
      onEachFeature: function (feature, lyr) {
        lyr.bindTooltip(function () {
          var s = status[feature.properties.number];
          return feature.properties.name + (s ? " – " + s.colour + " (" + s.at + ")" : "");
        });
      }
    }).addTo(map);
    el.dataset.loaded = "1";
    refresh();
    setInterval(refresh, 30000);
  });
}());

/* Emergency-water map by municipality: outlines + figures from a JSON endpoint, no tiles. */
(function () {
  "use strict";
  var el = document.getElementById("water-map");
  var mode = document.getElementById("water-map-mode");
  var legend = document.getElementById("water-map-legend");
  if (!el || typeof L === "undefined") { return; }
  var SCALES = {
    share: { steps: [25, 50, 75, 90], unit: " %" },
    days: { steps: [1, 3, 7, 14], unit: "" }
  };
  var COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#92c5de", "#2166ac"];
  var NONE = "#cccccc";
  var d = el.dataset;

  function colour(value, scale) {
    if (value === null || value === undefined) { return NONE; }
    for (var i = 0; i < scale.steps.length; i++) { if (value < scale.steps[i]) { return COLOURS[i]; } }
    return COLOURS[COLOURS.length - 1];
  }

  function drawLegend(key) {
    var scale = SCALES[key];
    var items = [];
    var low = 0;
    for (var i = 0; i <= scale.steps.length; i++) {
      var high = scale.steps[i];
      var text = high === undefined ? "≥ " + low + scale.unit : low + "–" + (high - (key === "days" ? 1 : 0)) + scale.unit;
      if (key === "days" && high !== undefined && high - 1 <= low) { text = low + scale.unit; }
      items.push([COLOURS[i], text]);
      low = high;
    }
    items.push([NONE, d.labelNone]);
    legend.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "app-swatch";
      swatch.style.background = item[0];
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(" " + item[1]));
      legend.appendChild(li);
    });
  }

  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var layer = null;

  function tooltip(p) {
    if (p.share === null) { return p.name + ": " + d.labelNone; }
    return p.name + ": " + p.share + " % " + d.labelShare + ", " + p.days + " " + d.labelDays + ", " +
      Math.round(p.coverage * 100) + " % " + d.labelCoverage + (p.overdue ? " (" + d.labelOverdue + ")" : "");
  }

  function restyle() {
    var key = mode ? mode.value : "share";
    if (layer) {
      layer.setStyle(function (f) {
        return { color: "#555", weight: 0.6, fillOpacity: 0.85, fillColor: colour(f.properties[key], SCALES[key]) };
      });
    }
    drawLegend(key);
    el.dataset.mode = key;
  }

  fetch(d.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      layer = L.geoJSON(data, {
        onEachFeature: function (f, l) { l.bindTooltip(tooltip(f.properties), { sticky: true }); }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds); } else { map.setView([65, 13], 4); }
      el.dataset.features = String(data.features.length);
      restyle();
    });
  if (mode) { mode.addEventListener("change", restyle); }
})();

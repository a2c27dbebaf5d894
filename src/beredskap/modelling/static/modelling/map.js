/* Municipality map (Leaflet, shipped outlines, no tile server): attack rate or peak day. */
(function () {
  "use strict";
  var RAMP = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"];
  function colour(value, min, max) {
    if (value === undefined || value === null || isNaN(value)) { return "#cccccc"; }
    var t = max > min ? (value - min) / (max - min) : 0;
    return RAMP[Math.min(RAMP.length - 1, Math.max(0, Math.floor(t * RAMP.length)))];
  }
  function init() {
    var el = document.getElementById("run-map");
    if (!el || !window.L) { return; }
    var map = window.L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var select = document.getElementById("map-measure");
    var legend = document.getElementById("map-legend");
    Promise.all([
      fetch(el.dataset.geojson, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
      fetch(el.dataset.values, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    ]).then(function (res) {
      var values = res[1].values;
      var layer = window.L.geoJSON(res[0], { style: function () { return { weight: 0.5, color: "#555", fillOpacity: 0.85 }; } }).addTo(map);
      map.fitBounds(layer.getBounds());
      function paint() {
        var measure = select ? select.value : "attack_rate";
        var list = Object.keys(values).map(function (k) { return values[k][measure]; });
        var min = Math.min.apply(null, list), max = Math.max.apply(null, list);
        layer.eachLayer(function (f) {
          var code = f.feature.properties.kommunenummer;
          var v = values[code] ? values[code][measure] : null;
          f.setStyle({ fillColor: colour(v, min, max) });
          var shown = v === null ? "–" : (measure === "attack_rate" ? (100 * v).toFixed(1) + " %" : "dag " + Math.round(v));
          f.bindTooltip(f.feature.properties.kommunenavn + ": " + shown);
        });
        if (legend) {
          legend.textContent = measure === "attack_rate"
            ? "Andel smittet: lys " + (100 * min).toFixed(1) + " % – mørk " + (100 * max).toFixed(1) + " %"
            : "Toppdag: lys dag " + Math.round(min) + " – mørk dag " + Math.round(max);
        }
        el.dataset.ready = "true";
      }
      paint();
      if (select) { select.addEventListener("change", paint); }
    });
  }
  document.addEventListener("DOMContentLoaded", init);
})();

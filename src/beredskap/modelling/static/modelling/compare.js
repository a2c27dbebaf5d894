/* National median ICU occupancy of several runs side by side (data from json_script). */
(function () {
  "use strict";
  var COLOURS = ["#1e62a8", "#b3261e", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f"];
  function init() {
    var node = document.getElementById("compare-data");
    var canvas = document.getElementById("compare-chart");
    if (!node || !canvas || !window.Chart) { return; }
    var data = JSON.parse(node.textContent);
    var longest = Math.max.apply(null, data.series.map(function (s) { return s.values.length; }).concat([0]));
    var labels = Array.from({ length: longest }, function (_, i) { return "dag " + i; });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.values, borderColor: COLOURS[i % COLOURS.length], pointRadius: 0, borderWidth: 2 };
      }) },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
    });
    canvas.dataset.drawn = "true";
  }
  document.addEventListener("DOMContentLoaded", init);
})();

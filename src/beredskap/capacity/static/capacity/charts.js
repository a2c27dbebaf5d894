/* Draws the ICU history chart from the JSON block written by the page (no inline JS). */
(function () {
  "use strict";
  var canvas = document.getElementById("icu-chart");
  var source = document.getElementById("icu-history");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var rows = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: rows.map(function (r) { return r.day; }),
      datasets: [
        { label: canvas.dataset.labelStaffed, data: rows.map(function (r) { return r.staffed; }), borderColor: "#1e5aa0" },
        { label: canvas.dataset.labelOccupied, data: rows.map(function (r) { return r.occupied; }), borderColor: "#c0392b" }
      ]
    },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
  });
})();

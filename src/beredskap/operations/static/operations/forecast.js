/* Fan charts of the crisis forecast from today (Chart.js, vendored): median, 50 % and 90 % bands
   and the staffed ICU beds. The picture body is refreshed by htmx, so charts are drawn again after
   every swap. The figures are also in the table beside them. */
(function () {
  "use strict";
  function band(label, lower, upper, color) {
    return [
      { label: label + " (nedre)", data: lower, borderWidth: 0, pointRadius: 0, fill: false },
      { label: label, data: upper, borderWidth: 0, pointRadius: 0, backgroundColor: color, fill: "-1" },
    ];
  }
  function draw(canvas) {
    var d = JSON.parse(canvas.dataset.fan);
    var datasets = band("90 %", d.p05, d.p95, "rgba(30, 98, 168, 0.18)")
      .concat(band("50 %", d.p25, d.p75, "rgba(30, 98, 168, 0.38)"));
    datasets.push({ label: "Median", data: d.p50, borderColor: "#1e62a8", borderWidth: 2, pointRadius: 0, fill: false });
    if (d.capacity !== null) {
      datasets.push({ label: "Bemannet", data: d.dates.map(function () { return d.capacity; }),
        borderColor: "#b3261e", borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false });
    }
    new window.Chart(canvas, {
      type: "line",
      data: { labels: d.dates, datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
        plugins: { legend: { labels: { filter: function (item) { return item.text.indexOf("(nedre)") < 0; } } } },
        scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true, title: { display: true, text: "Pasienter" } } },
      },
    });
    canvas.dataset.drawn = "true";
  }
  function init() {
    if (!window.Chart) { return; }
    document.querySelectorAll("canvas[data-fan]:not([data-drawn])").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();

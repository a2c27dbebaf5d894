/* Fan charts of ICU occupancy per health region against capacity (Chart.js, vendored). */
(function () {
  "use strict";
  function band(label, lower, upper, color) {
    return [
      { label: label + " (nedre)", data: lower, borderWidth: 0, pointRadius: 0, fill: false },
      { label: label, data: upper, borderWidth: 0, pointRadius: 0, backgroundColor: color, fill: "-1" },
    ];
  }
  function draw(canvas, dates, group) {
    var datasets = band("5–95 %", group.p05, group.p95, "rgba(30, 98, 168, 0.18)")
      .concat(band("25–75 %", group.p25, group.p75, "rgba(30, 98, 168, 0.38)"));
    datasets.push({ label: "Median", data: group.p50, borderColor: "#1e62a8", borderWidth: 2, pointRadius: 0, fill: false });
    if (group.capacity !== null) {
      datasets.push({ label: "Kapasitet", data: dates.map(function () { return group.capacity; }),
        borderColor: "#b3261e", borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false });
    }
    return new window.Chart(canvas, {
      type: "line",
      data: { labels: dates, datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false, interaction: { mode: "index", intersect: false },
        plugins: { legend: { labels: { filter: function (item) { return item.text.indexOf("(nedre)") < 0; } } } },
        scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true, title: { display: true, text: "Pasienter" } } },
      },
    });
  }
  function init() {
    var grid = document.getElementById("fan-charts");
    if (!grid || !window.Chart) { return; }
    fetch(grid.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var byName = {};
        data.groups.forEach(function (g) { byName[g.name] = g; });
        grid.querySelectorAll("canvas[data-group]").forEach(function (canvas) {
          var group = byName[canvas.dataset.group];
          if (group) { draw(canvas, data.dates, group); canvas.dataset.drawn = "true"; }
        });
        grid.dataset.ready = "true";
      });
  }
  document.addEventListener("DOMContentLoaded", init);
})();

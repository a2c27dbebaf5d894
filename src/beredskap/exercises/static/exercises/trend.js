// Trend chart for the follow-up view; the table next to it carries the same numbers.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!holder || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, borderColor: "#b3261e", tension: 0.2 }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
});

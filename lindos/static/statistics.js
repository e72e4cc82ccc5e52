/* The statistics page's charts (/REPO/statistics), drawn with the vendored
 * Chart.js from the JSON the page carries in <script type="application/json"
 * id="statistics-data"> (the CSP forbids inline script):
 * {"unit", "labels", "series": [{"name", "data"}], "authors": [{"name", "commits"}]}.
 * The table under the charts says the same for readers without script. */
(function () {
  "use strict";
  var holder = document.getElementById("statistics-data");
  if (!holder || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var colours = ["#2f6fd0", "#d0542f", "#2f9d62", "#a23fc2", "#c9a227", "#8a94a6"];
  var activity = document.getElementById("chart-activity");
  if (activity) {
    new window.Chart(activity, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.name, data: s.data, backgroundColor: colours[i % colours.length], stack: "commits" };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    activity.setAttribute("data-drawn", "true");
  }
  var authors = document.getElementById("chart-authors");
  if (authors) {
    new window.Chart(authors, {
      type: "bar",
      data: {
        labels: data.authors.map(function (a) { return a.name; }),
        datasets: [{ label: "Commits", data: data.authors.map(function (a) { return a.commits; }), backgroundColor: colours[0] }]
      },
      options: {
        animation: false,
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } }
      }
    });
    authors.setAttribute("data-drawn", "true");
  }
})();

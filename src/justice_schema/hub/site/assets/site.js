/* The hub site's behaviour: draw each chart with Chart.js from its JSON data, and sort tables.
   Chart geometry is Chart.js's own; this file only passes the data on. */
(function () {
  "use strict";
  var palette = ["#1f5f8b", "#c8553d", "#588b8b", "#f28f3b", "#6c4f8f", "#8c8c8c"];
  function drawCharts() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var spec = JSON.parse(document.getElementById(canvas.getAttribute("data-chart")).textContent);
      var scale = { stacked: spec.stacked, beginAtZero: true };
      var valueScale = spec.percent ? { stacked: spec.stacked, beginAtZero: true, max: 100 } : scale;
      new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s, i) {
            return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length],
                     borderColor: palette[i % palette.length] };
          })
        },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          indexAxis: spec.horizontal ? "y" : "x",
          scales: spec.horizontal ? { x: valueScale, y: scale } : { x: scale, y: valueScale },
          plugins: { legend: { display: spec.series.length > 1 } }
        }
      });
    });
  }
  function sortTable(table, column, type, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column] ? a.cells[column].textContent.trim() : "";
      var y = b.cells[column] ? b.cells[column].textContent.trim() : "";
      var result;
      if (type === "number") {
        result = (parseFloat(x.replace(/[,%]/g, "")) || 0) - (parseFloat(y.replace(/[,%]/g, "")) || 0);
      } else {
        result = x.localeCompare(y);
      }
      return ascending ? result : -result;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function sortableTables() {
    var headers = document.querySelectorAll("table.sortable th");
    Array.prototype.forEach.call(headers, function (th) {
      var button = th.querySelector("button");
      button.addEventListener("click", function () {
        var table = th.closest("table");
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.querySelectorAll("th"), function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortTable(table, th.cellIndex, th.getAttribute("data-type"), ascending);
      });
    });
  }
  drawCharts();
  sortableTables();
}());

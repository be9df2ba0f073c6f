/* The request figures chart: the four rates per category. Labels come from the page in the
   user's language; long category names wrap instead of hiding or overlapping. */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("figures-chart");
    var source = document.getElementById("figures-chart-data");
    if (!holder || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var narrow = holder.clientWidth < 520;
    if (narrow) holder.style.height = Math.max(280, data.categories.length * 96) + "px";
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + data.unit; } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: narrow
        ? { type: "value", max: 100, axisLabel: { formatter: "{value}" + data.unit } }
        : { type: "category", data: data.categories, axisLabel: { interval: 0, width: Math.max(48, holder.clientWidth / Math.max(data.categories.length, 1) - 12), overflow: "break", hideOverlap: false } },
      yAxis: narrow
        ? { type: "category", data: data.categories, inverse: true, axisLabel: { width: 84, overflow: "break", interval: 0 } }
        : { type: "value", max: 100, axisLabel: { formatter: "{value}" + data.unit } },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();

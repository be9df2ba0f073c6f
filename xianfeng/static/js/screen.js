/* The big screen: draw each panel's chart (ECharts, data from the panel's JSON script) when
   the page loads and whenever htmx swaps a refreshed panel in; keep the clock ticking. */
(function () {
  "use strict";
  var CYAN = "#3fd0ff", GOLD = "#ffd45c", DIM = "#8fb3d9", LINE = "rgba(31,111,178,.5)";
  var charts = {};

  function axis(labels) {
    return {
      type: "category", data: labels, axisLine: { lineStyle: { color: LINE } },
      axisLabel: { color: DIM, fontSize: 14 }
    };
  }
  function value() {
    return { type: "value", splitLine: { lineStyle: { color: LINE } }, axisLabel: { color: DIM, fontSize: 14 } };
  }

  var builders = {
    trend: function (d) {
      return {
        color: [CYAN, GOLD],
        legend: { top: 0, right: 0, textStyle: { color: DIM, fontSize: 15 } },
        grid: { left: 6, right: 6, top: 30, bottom: 4, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: axis(d.labels),
        yAxis: [value(), Object.assign(value(), { splitLine: { show: false } })],
        series: [
          { name: d.series[0].name, type: "line", smooth: true, data: d.series[0].data, symbolSize: 7,
            areaStyle: { color: "rgba(63,208,255,.18)" }, label: { show: d.labels.length <= 3, color: "#fff", fontSize: 16 } },
          { name: d.series[1].name, type: "bar", yAxisIndex: 1, data: d.series[1].data, barMaxWidth: 16,
            itemStyle: { color: "rgba(255,212,92,.55)" } }
        ]
      };
    },
    stars: function (d) {
      return {
        grid: { left: 4, right: 30, top: 4, bottom: 4, containLabel: true },
        xAxis: { type: "value", show: false },
        yAxis: Object.assign(axis(d.labels), { inverse: true, axisLabel: { color: GOLD, fontSize: 17 } }),
        series: [{ type: "bar", data: d.data, barMaxWidth: 18, itemStyle: { color: GOLD },
          label: { show: true, position: "right", color: "#fff", fontSize: 17 } }]
      };
    },
    bars: function (d) {
      return {
        grid: { left: 4, right: 4, top: 18, bottom: 2, containLabel: true },
        xAxis: axis(d.labels), yAxis: value(), tooltip: { trigger: "axis" },
        series: [{ type: "bar", data: d.data, barMaxWidth: 22, itemStyle: { color: CYAN },
          label: { show: d.labels.length <= 6, position: "top", color: "#fff", fontSize: 13 } }]
      };
    }
  };

  function draw(root) {
    if (!window.echarts) return;
    (root || document).querySelectorAll("[data-chart]").forEach(function (holder) {
      var source = document.getElementById(holder.getAttribute("data-chart"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var build = builders[data.type];
      if (!build) return;
      var id = holder.getAttribute("data-chart");
      if (charts[id]) charts[id].dispose();
      charts[id] = window.echarts.init(holder, null, { renderer: "svg" });
      charts[id].setOption(Object.assign({ animationDuration: 600, textStyle: { fontFamily: "inherit" } }, build(data)));
    });
  }

  function tick() {
    var clock = document.getElementById("screen-clock");
    if (!clock) return;
    // The server's local time (the street's), whatever the display's own time zone.
    var offset = parseInt(clock.getAttribute("data-offset") || "0", 10);
    var now = new Date(Date.now() + offset * 60000);
    clock.textContent = [now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds()]
      .map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
    setInterval(tick, 1000);
  });
  // htmx:load fires for the new element of every swap (a refreshed panel replaces itself).
  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.querySelectorAll && elt !== document.body) draw(elt);
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });
})();

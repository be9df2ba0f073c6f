// The 15-minute circle (venues/circle.html): venues with their walking radius, households
// outside every open venue's radius as red dots. No tile layer is needed (XIANFENG_MAP_TILES).
(function () {
  var el = document.getElementById("circle-map");
  if (!el || !window.L) return;
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var map = L.map(el, { zoomSnap: 0.25 });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  }
  var group = L.featureGroup().addTo(map);
  data.venues.forEach(function (v) {
    var planned = v.status === "planned";
    L.circle([v.lat, v.lng], {
      radius: data.radius, color: planned ? "#f57c00" : "#2e7d32",
      dashArray: planned ? "6" : null, fillOpacity: 0.08, weight: 1
    }).addTo(group);
    L.marker([v.lat, v.lng], { title: v.name }).bindPopup(
      '<a href="' + v.url + '">' + v.name.replace(/</g, "&lt;") + "</a>"
    ).addTo(group);
  });
  data.gaps.forEach(function (g) {
    L.circleMarker([g.lat, g.lng], { radius: 3, color: "#c62828", weight: 1 }).addTo(group);
  });
  if (data.point) {
    L.circleMarker(data.point, { radius: 7, color: "#1565c0" }).addTo(group);
    L.circle(data.point, { radius: data.radius, color: "#1565c0", fill: false }).addTo(group);
  }
  if (group.getLayers().length) { map.fitBounds(group.getBounds(), { padding: [20, 20] }); }
  else { map.setView([36.65, 117.0], 12); }
})();

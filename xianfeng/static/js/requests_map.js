// The request figures map: grids coloured by their open and overdue requests, and the open
// requests that carry a point. Tiles only when XIANFENG_MAP_TILES is set.
(function () {
  var data = JSON.parse(document.getElementById("requests-map-data").textContent);
  var map = L.map("requests-map", { zoomSnap: 0.25 });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  }
  function colour(p) { return p.overdue ? "#c62828" : p.open ? "#ef8f00" : "#2e7d32"; }
  var grids = L.geoJSON(data.grids, {
    style: function (f) {
      return { color: colour(f.properties), weight: 1, fillColor: colour(f.properties), fillOpacity: 0.35 };
    },
    onEachFeature: function (f, layer) {
      var p = f.properties;
      layer.bindTooltip(p.name + "：诉求 " + p.total + "，未办结 " + p.open + "，超时 " + p.overdue);
    }
  }).addTo(map);
  var points = L.featureGroup(data.points.map(function (r) {
    return L.circleMarker([r.lat, r.long], {
      radius: 5, color: r.overdue ? "#c62828" : "#1565c0", fillOpacity: 0.9
    }).bindTooltip(r.code + " " + r.category);
  })).addTo(map);
  var bounds = grids.getBounds();
  if (points.getLayers().length) bounds.extend(points.getBounds());
  map.fitBounds(bounds, { padding: [20, 20] });
})();

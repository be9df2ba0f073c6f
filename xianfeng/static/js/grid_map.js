// The grid map (grid/map.html): draw, edit, move, cut and delete the grid's outline with
// Leaflet-Geoman; neighbours and community outlines are shown read-only. The server checks
// the shape (shapely) and refuses overlaps and self-intersections with a message.
(function () {
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var map = L.map("grid-map", { zoomSnap: 0.25 });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  }
  var fixed = { pmIgnore: true, interactive: false };
  var background = L.geoJSON(data.background, L.extend({
    style: { color: "#777", weight: 1, fillOpacity: 0.04 }
  }, fixed)).addTo(map);
  var neighbours = L.geoJSON(data.neighbours, L.extend({
    style: { color: "#c62828", weight: 1, dashArray: "4", fillOpacity: 0.08 }
  }, fixed)).addTo(map);
  var own = data.geometry ? L.geoJSON(data.geometry, { style: { color: "#1565c0" } }).addTo(map) : null;
  var frame = [own, data.parent && L.geoJSON(data.parent), neighbours, background]
    .filter(function (layer) { return layer && layer.getBounds && layer.getBounds().isValid(); })[0];
  if (frame) { map.fitBounds(frame.getBounds(), { padding: [20, 20] }); }
  else { map.setView([data.center[0], data.center[1]], 14); }

  map.pm.setLang("zh");
  map.pm.addControls({
    position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: !!document.getElementById("split-form"),
    drawCircle: false, drawText: false, rotateMode: false,
    drawPolygon: true, drawRectangle: true, editMode: true, dragMode: true,
    cutPolygon: true, removalMode: true
  });

  function drawn() {
    var parts = [];
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.Polygon) || layer.options.pmIgnore) return;
      var geometry = layer.toGeoJSON().geometry;
      if (geometry.type === "Polygon") parts.push(geometry.coordinates);
      else if (geometry.type === "MultiPolygon") parts = parts.concat(geometry.coordinates);
    });
    if (!parts.length) return "";
    return JSON.stringify(parts.length === 1
      ? { type: "Polygon", coordinates: parts[0] }
      : { type: "MultiPolygon", coordinates: parts });
  }
  // The last line drawn (a polyline, not a polygon) is the split line.
  function splitLine() {
    var line = "";
    map.eachLayer(function (layer) {
      if (layer instanceof L.Polyline && !(layer instanceof L.Polygon) && !layer.options.pmIgnore) {
        line = JSON.stringify(layer.toGeoJSON().geometry);
      }
    });
    return line;
  }
  var splitForm = document.getElementById("split-form");
  if (splitForm) {
    splitForm.addEventListener("submit", function () {
      document.getElementById("id_line").value = splitLine();
    });
  }
  document.getElementById("map-form").addEventListener("submit", function () {
    document.getElementById("id_geometry").value = drawn();
  });
})();

// A GeoJSON resource's preview map with Leaflet. Without JavaScript the page keeps its server-drawn
// SVG map and the properties table. Base-map tiles are added only when the server names a tile URL
// (AIR_QUALITY_MAP_TILE_URL, shared with the air quality map): none by default.
;(function () {
  'use strict'
  var container = document.getElementById('preview-map')
  var source = document.getElementById('preview-map-data')
  if (!container || !source || !window.L) return
  var data = JSON.parse(source.textContent)

  container.replaceChildren()
  container.classList.add('dc-map')
  var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 })
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>')
  if (data.tiles.url) {
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map)
  }
  var layer = L.geoJSON(data.geojson, {
    interactive: false,
    style: { color: '#0b0c0c', weight: 1, fillColor: '#1d70b8', fillOpacity: 0.12 },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 5, color: '#0b0c0c', fillColor: '#0b0c0c', fillOpacity: 1 })
    }
  }).addTo(map)
  map.fitBounds(layer.getBounds(), { padding: [10, 10] })
})()

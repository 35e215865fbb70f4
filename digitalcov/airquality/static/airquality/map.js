// The air quality map with Leaflet: Coventry's outline and each site labelled with its index as a number and
// a band word (never colour alone). Without JavaScript the page keeps its server-drawn SVG map and tables.
// Base-map tiles are added only when the server names a tile URL (AIR_QUALITY_MAP_TILE_URL): none by default.
;(function () {
  'use strict'
  var container = document.getElementById('aq-map')
  var source = document.getElementById('aq-map-data')
  if (!container || !source || !window.L) return
  var data = JSON.parse(source.textContent)

  // Text only, never HTML from the data: names come from the database.
  function element (tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text) node.textContent = text
    return node
  }

  function popup (site) {
    var box = element('div', 'dc-map-popup')
    box.appendChild(element('p', 'govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1', site.name))
    if (site.band) {
      box.appendChild(element('p', 'govuk-body-s govuk-!-margin-bottom-1',
        'Index ' + site.label + ' on ' + site.day + ', set by ' + site.setBy + '.'))
    } else {
      box.appendChild(element('p', 'govuk-body-s govuk-!-margin-bottom-1', site.reason))
    }
    if (site.simulated) box.appendChild(element('strong', 'govuk-tag govuk-tag--orange', 'Simulated'))
    var link = element('a', 'govuk-link', 'See ' + site.name + ': charts, calendar and health advice')
    link.href = site.url
    var paragraph = element('p', 'govuk-body-s govuk-!-margin-bottom-0')
    paragraph.appendChild(link)
    box.appendChild(paragraph)
    return box
  }

  container.replaceChildren()
  container.classList.add('dc-map')
  var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 })
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>')
  if (data.tiles.url) {
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map)
  }
  var outline = L.geoJSON(data.boundary, {
    interactive: false,
    style: { color: '#0b0c0c', weight: 2, fillColor: '#1d70b8', fillOpacity: 0.06 }
  }).addTo(map)
  map.attributionControl.addAttribution(data.attribution)

  data.sites.forEach(function (site) {
    // A dot on the site, its label beside it: the name, then the index number and band word.
    var marker = element('span', 'dc-map-marker-anchor__inner')
    marker.appendChild(element('span', 'dc-map-marker__dot'))
    var label = element('span', 'dc-map-marker' + (site.bandClass ? ' dc-daqi--' + site.bandClass : ''))
    label.appendChild(element('span', 'dc-map-marker__name', site.name + ': '))
    label.appendChild(document.createTextNode(site.label + (site.simulated ? ' (simulated)' : '')))
    marker.appendChild(label)
    var icon = L.divIcon({ className: 'dc-map-marker-anchor', html: marker, iconSize: [14, 14], iconAnchor: [7, 7] })
    L.marker([site.lat, site.lon], { icon: icon, keyboard: true, title: site.name })
      .bindPopup(popup(site))
      .addTo(map)
  })
  map.fitBounds(outline.getBounds(), { padding: [10, 10] })
})()

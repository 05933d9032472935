/* Draws the zones of the list next to each [data-zone-map] on a Leaflet map (progressive
   enhancement: without JavaScript, or without tiles, the list itself is the information). */
(function () {
  "use strict";
  if (!window.L) { return; }
  document.querySelectorAll("[data-zone-map]").forEach(function (el) {
    var list = el.parentElement.querySelector("[data-zone-list]");
    if (!list) { return; }
    var points = [];
    list.querySelectorAll("li[data-lat]").forEach(function (li) {
      points.push({ lat: parseFloat(li.dataset.lat), lon: parseFloat(li.dataset.lon), label: li.dataset.label });
    });
    if (!points.length) { return; }
    el.hidden = false;
    var map = window.L.map(el, { scrollWheelZoom: false, attributionControl: Boolean(el.dataset.tileUrl) });
    if (el.dataset.tileUrl) {
      window.L.tileLayer(el.dataset.tileUrl, { maxZoom: 14, attribution: el.dataset.attribution || "" }).addTo(map);
    } else {
      el.classList.add("zone-map--no-tiles");
      var note = document.createElement("p");
      note.className = "zone-map__note";
      note.textContent = el.dataset.noTilesText;
      el.after(note);
    }
    var markers = points.map(function (p) {
      return window.L.circleMarker([p.lat, p.lon], { radius: 9, weight: 2, color: "#4a2a0c", fillColor: "#2e6b2f", fillOpacity: 0.6 })
        .bindTooltip(p.label, { permanent: true, direction: "top", offset: [0, -8] });
    });
    var group = window.L.featureGroup(markers).addTo(map);
    window.L.control.scale({ imperial: false }).addTo(map);
    map.fitBounds(group.getBounds().pad(0.5), { maxZoom: 11 });
  });
})();

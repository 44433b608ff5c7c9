/* The map on the public outage page: an enhancement of the server-rendered list. Without
   JavaScript, or without Leaflet, the list is the page. Tiles come from the URL the server was
   configured with (none: markers on a plain background, for offline control rooms). */
(function () {
  "use strict";
  var box = document.getElementById("outage-map");
  if (!box || !window.L) {
    return;
  }
  var d = box.dataset;
  var lang = d.lang === "en" ? "en" : "hi";
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false }).setView([27.0, 80.5], 6); // Uttar Pradesh
  if (d.tiles) {
    L.tileLayer(d.tiles, { maxZoom: 18, attribution: d.attribution }).addTo(map);
  }

  function line(label, value) {
    var p = document.createElement("p");
    var b = document.createElement("b");
    b.textContent = label + ": ";
    p.appendChild(b);
    p.appendChild(document.createTextNode(value));
    return p;
  }

  function time(iso) {
    var t = new Date(iso);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(t.getDate()) + "/" + pad(t.getMonth() + 1) + " " + pad(t.getHours()) + ":" +
      pad(t.getMinutes());
  }

  function popup(props) {
    var div = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = "#" + props.outage + " " + props["places_" + lang];
    div.appendChild(title);
    div.appendChild(line(d.labelReason, props["reason_" + lang]));
    div.appendChild(line(d.labelEtr, time(props.etr)));
    div.appendChild(line(d.labelConsumers, String(props.consumers)));
    if (props.overdue) {
      var late = document.createElement("p");
      late.className = "overdue";
      late.textContent = d.labelOverdue;
      div.appendChild(late);
    }
    return div;
  }

  fetch(d.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("GeoJSON feed answered " + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var n = feature.properties.consumers || 0;
          return L.circleMarker(latlng, {
            radius: Math.max(6, Math.min(22, 4 + Math.sqrt(n) / 4)),
            color: feature.properties.overdue ? "#b3261e" : "#0b4f8a",
            weight: 2,
            fillOpacity: 0.45,
          });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popup(feature.properties));
        },
      }).addTo(map);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { maxZoom: 11, padding: [20, 20] });
      }
      box.setAttribute("data-features", String(data.features.length));
    })
    .catch(function () {
      box.setAttribute("data-features", "error"); // the list below still says everything
    });
})();

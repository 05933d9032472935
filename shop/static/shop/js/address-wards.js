/* Address forms: when the province changes, fetch its communes/wards and fill the ward list.
   Progressive enhancement: without this file the "show wards" button reloads the form on the
   server. Texts come from data attributes the server rendered in the page's language. */
(function () {
  "use strict";

  function option(value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    return element;
  }

  function enhance(provinceSelect) {
    var wardSelect = document.getElementById(provinceSelect.getAttribute("data-ward-select"));
    var url = provinceSelect.getAttribute("data-wards-url");
    if (!wardSelect || !url || !window.fetch) {
      return;
    }
    var form = provinceSelect.form;
    var status = form.querySelector("[data-ward-status]");
    var placeholder = wardSelect.getAttribute("data-placeholder") || "";
    var request = 0;
    // The server-side "show wards" button is not needed while this script works; it comes back
    // (in the same place) if a request fails.
    var refresh = Array.prototype.map.call(form.querySelectorAll("button[name='refresh_wards']"), function (button) {
      var marker = document.createComment("refresh_wards");
      button.replaceWith(marker);
      return { button: button, marker: marker };
    });

    function announce(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function fail() {
      refresh.forEach(function (item) {
        if (item.marker.parentNode) {
          item.marker.replaceWith(item.button);
        }
      });
      announce(wardSelect.getAttribute("data-error-text") || "");
      wardSelect.removeAttribute("aria-busy");
    }

    provinceSelect.addEventListener("change", function () {
      var code = provinceSelect.value;
      var mine = ++request;
      wardSelect.replaceChildren(option("", code ? wardSelect.getAttribute("data-loading-text") || "" : placeholder));
      if (!code) {
        return;
      }
      wardSelect.setAttribute("aria-busy", "true");
      fetch(url + "?tinh=" + encodeURIComponent(code), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (mine !== request) {
            return; // the shopper picked another province meanwhile
          }
          var options = [option("", placeholder)];
          data.wards.forEach(function (ward) {
            options.push(option(ward.code, ward.name));
          });
          wardSelect.replaceChildren.apply(wardSelect, options);
          wardSelect.removeAttribute("aria-busy");
          announce(data.wards.length + " — " + data.province.name);
        })
        .catch(function () {
          if (mine === request) {
            fail();
          }
        });
    });
  }

  document.querySelectorAll("select[data-wards-url]").forEach(enhance);
})();

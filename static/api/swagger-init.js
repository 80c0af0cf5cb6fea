// Starts the vendored Swagger UI (shipped by django-ninja) on the API documentation page. A file, not an inline
// script, for the site's Content-Security-Policy; the schema's address comes from a data attribute.
(function () {
  "use strict";
  const element = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
  // Swagger UI puts a link (the operation's deep link) inside the button that opens the operation: a control
  // inside a control, which screen readers cannot reach (axe « nested-interactive »). The button already opens
  // the operation and updates the address: the inner link loses its href, whenever Swagger UI draws it again.
  function unnestLinks() {
    element.querySelectorAll(".opblock-summary-control a[href]").forEach(function (link) {
      link.removeAttribute("href");
    });
  }
  new MutationObserver(unnestLinks).observe(element, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
})();

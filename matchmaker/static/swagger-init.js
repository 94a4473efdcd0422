// Starts Swagger UI on /api/docs. Kept out of the page so the CSP forbids inline scripts.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  var config = {
    url: container.dataset.specUrl,
    dom_id: "#swagger-ui-container",
    // The online validator badge would load an image from another site: not allowed, not needed.
    validatorUrl: null,
  };
  var overrides = JSON.parse(container.dataset.config || "{}");
  Object.keys(overrides).forEach(function (name) {
    config[name] = overrides[name];
  });
  window.ui = SwaggerUIBundle(config);
})();

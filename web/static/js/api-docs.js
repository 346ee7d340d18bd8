// The API reference page: Swagger UI (vendored, see scripts/vendor-swagger-ui.sh) renders the OpenAPI
// document this server serves. A plain script, not a module, since the bundle defines a global.
/* global SwaggerUIBundle */
(function () {
  const root = document.getElementById("api-reference");
  if (typeof SwaggerUIBundle !== "function") {
    const p = document.createElement("p");
    p.className = "docs-error";
    p.textContent = "The API reference viewer could not be loaded. The description itself is at /api/openapi.json.";
    root.append(p);
    return;
  }
  SwaggerUIBundle({
    url: "/api/openapi.json",
    domNode: root,
    deepLinking: true,
    // Trying requests from this page would send the browser's saved key and session tokens around:
    // the page documents the API, it does not call it.
    supportedSubmitMethods: [],
    validatorUrl: null,
  });
})();

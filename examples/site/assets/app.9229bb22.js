// Shows whether the API behind the site answers. The page works without it:
// a static front end must not break when the web tier is down.
(function () {
  "use strict";
  var status = document.getElementById("api-status");
  if (!status || !window.fetch) return;
  var endpoint = status.getAttribute("data-endpoint");
  var timeout = new Promise(function (_, reject) {
    setTimeout(function () { reject(new Error("timeout")); }, 3000);
  });
  Promise.race([fetch(endpoint, { headers: { accept: "application/json" } }), timeout])
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      status.textContent = "ok";
      status.setAttribute("data-state", "ok");
    })
    .catch(function () {
      status.textContent = "unavailable";
      status.setAttribute("data-state", "down");
    });
})();

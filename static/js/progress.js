// The annual review's progress bar: asks the server every two seconds and reloads once the report is ready.
(function () {
  "use strict";
  var box = document.getElementById("generation");
  if (!box) return;
  var bar = document.getElementById("generation-progress");
  var label = document.getElementById("generation-label");
  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        if (state.label) label.textContent = state.label;
        if (state.status !== "generating") { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();

// The draft form's previews: while the author types or ticks channels, asks the server how the text fits each
// chosen platform (the server counts exactly as approval will) and shows its answer, next to the submit buttons
// too. The page works without this script: it renders the same previews when it is loaded.
(function () {
  "use strict";
  var section = document.getElementById("post-previews");
  if (!section || !window.fetch || !window.FormData) return;
  var form = section.closest("form");
  var cards = document.getElementById("post-preview-cards");
  var warning = document.getElementById("post-limit-warning");
  var status = document.getElementById("post-preview-status");
  if (!form || !cards) return;
  var timer = null;
  var asked = 0;
  var lastSummary = null;

  function refresh() {
    var data = new FormData(form);
    data.delete("action");
    if (section.dataset.post) data.set("post", section.dataset.post);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var number = ++asked;
    fetch(section.dataset.previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error("preview " + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (number !== asked) return; // a later question is on its way
        cards.innerHTML = answer.cards;
        if (warning) warning.innerHTML = answer.warning;
        if (status && answer.summary !== lastSummary) {
          lastSummary = answer.summary;
          status.textContent = answer.summary;
        }
      })
      .catch(function () { /* the previews rendered with the page stay; saving still checks */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();

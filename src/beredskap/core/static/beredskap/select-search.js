// Long lists — the 420 organisations, the 357 municipalities — get a search field that narrows
// the options as one types. Progressive enhancement: without JavaScript the plain list works,
// and the chosen option always stays visible.
(function () {
  "use strict";
  var LONG = 25;
  var english = (document.documentElement.lang || "").indexOf("en") === 0;

  function narrow(select, options, query) {
    var q = query.trim().toLowerCase();
    var shown = 0;
    options.forEach(function (option) {
      var hit = !q || option.selected || option.text.toLowerCase().indexOf(q) !== -1;
      option.hidden = !hit;
      if (hit) { shown += 1; }
    });
    return shown;
  }

  function enhance(select) {
    if (select.dataset.searchable || select.options.length <= LONG) { return; }
    select.dataset.searchable = "on";
    var options = Array.prototype.slice.call(select.options);
    var input = document.createElement("input");
    var status = document.createElement("span");
    input.type = "search";
    input.className = "ds-input app-select-search";
    input.placeholder = english ? "Search the list" : "Søk i listen";
    // The field's own name is short ("Søk i listen"); which list it searches is its
    // description, so the list's label names only the list.
    input.setAttribute("aria-label", english ? "Search the list" : "Søk i listen");
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.id = label.id || select.id + "-label";
      input.setAttribute("aria-describedby", label.id);
    }
    if (select.id) { input.setAttribute("aria-controls", select.id); }
    status.className = "ds-sr-only";
    status.setAttribute("aria-live", "polite");
    input.addEventListener("input", function () {
      var shown = narrow(select, options, input.value);
      status.textContent = shown + (english ? " matches" : " treff");
    });
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select);
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();

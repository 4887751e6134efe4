// The search page's filters, for readers with JavaScript (the page works without it: every value is
// a checkbox in a plain GET form, the long lists behind "show all").
//  - A type-ahead box above a long facet (States, issues) keeps only the values whose name contains
//    what is typed, opening "show all" so that every value can be reached by keyboard.
//  - On a narrow screen the filter panel starts folded, so the count and the results come first; once
//    opened it stays open while filters are ticked one after another.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 48rem)");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  function filterFacet(box) {
    var fieldset = box.closest("fieldset");
    var wanted = fold(box.value.trim());
    var more = fieldset.querySelector("details.more");
    if (more && wanted) more.open = true;
    fieldset.querySelectorAll(".facet-value").forEach(function (row) {
      row.hidden = wanted !== "" && fold(row.textContent).indexOf(wanted) === -1;
    });
  }

  var keepOpen = false;

  function setUp(root) {
    var panel = root.querySelector("#filters-panel");
    if (panel && narrow.matches && !keepOpen) panel.open = false;
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-facet-filter]")) filterFacet(event.target);
  });
  // Typing in a type-ahead box is not a choice of filter: neither a change (which htmx would send)
  // nor Enter (which would submit the form) leaves the box.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-facet-filter]")) event.stopPropagation();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-facet-filter]")) event.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:beforeSwap", function () {
    var panel = document.getElementById("filters-panel");
    keepOpen = Boolean(panel && panel.open);
  });
  document.addEventListener("htmx:afterSwap", function (event) { setUp(event.target); });
})();

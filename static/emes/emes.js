/* Behaviour that templates ask for with data attributes, so that no page needs inline script or
   on*= handlers (the Content-Security-Policy allows scripts from EMES's static files only):
     <select data-autosubmit>            submits its form when changed;
     <form data-confirm="question">      asks before submitting; <button data-confirm="..."> before its click;
     <button data-print>                 prints the page;
     <input type=checkbox data-check-all="selector">  ticks (or unticks) the matching boxes of its table or form;
     <button data-check-all="selector">  ticks them all;
     <div data-width="42">               sets the element's width to 42 % (progress bars). */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) { select.form.submit(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var asking = event.target.closest("button[data-confirm], a[data-confirm]");
    if (asking && !window.confirm(asking.dataset.confirm)) { event.preventDefault(); return; }
    if (event.target.closest("[data-print]")) { window.print(); return; }
    var all = event.target.closest("[data-check-all]");
    if (all) {
      var checked = all.type === "checkbox" ? all.checked : true;
      var scope = all.closest("table") || all.closest("form") || document;
      scope.querySelectorAll(all.dataset.checkAll).forEach(function (box) { box.checked = checked; });
    }
  });

  function setWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) { el.style.width = el.dataset.width + "%"; });
  }
  window.emesSetWidths = setWidths;
  setWidths(document);
})();

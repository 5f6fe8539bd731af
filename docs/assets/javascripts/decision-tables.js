/*
 * Decision tables print unfolded: a folded <details> would print as its summary alone.
 * Browsers that style ::details-content do it in CSS (decision-tables.css); this opens the
 * folds for the print and closes again those the reader had closed.
 */
(function () {
  "use strict";

  var opened = [];

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".decision-tables__fold:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });

  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();

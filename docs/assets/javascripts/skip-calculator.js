/*
 * "跳到计算器": on a page with a calculator, a skip link beside the theme's "跳转至" (the
 * first stops of the Tab order), to the calculator's first field. Added on each page, since
 * the theme replaces its skip links on instant navigation.
 */
(function () {
  "use strict";

  function field(calc) {
    return calc.querySelector("form input:not([type=hidden]):not([disabled]):not(.calc__datepick), form select, form textarea");
  }

  function init() {
    document.querySelectorAll(".calc-skip").forEach(function (a) { a.remove(); });
    var calc = document.querySelector(".md-content [data-calculator]");
    var place = document.querySelector('[data-md-component="skip"]');
    if (!calc || !place) return;
    var a = document.createElement("a");
    a.className = "md-skip calc-skip";
    // Not "#id": same-page-links.js would take a same-page fragment for a clause to flash.
    a.href = "#";
    a.textContent = "跳到计算器";
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      ev.stopPropagation();
      calc.scrollIntoView({ block: "start" });
      var first = field(calc);
      if (first) first.focus({ preventScroll: true });
    });
    place.append(a);
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/*
 * A link to a place on this same page scrolls there and highlights it. Without this,
 * instant navigation fetches the page again and a calculator's form and its result are
 * lost. (Back and Forward: same-page-history.js.)
 */
(function () {
  "use strict";

  function sameDocumentTarget(a) {
    var url = new URL(a.href, location.href);
    if (!url.hash || url.origin !== location.origin || url.pathname !== location.pathname ||
        url.search !== location.search) return null;
    try {
      return document.getElementById(decodeURIComponent(url.hash.slice(1)));
    } catch (e) {
      return null;
    }
  }

  window.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || a.target || a.hasAttribute("download")) return;
    // A clause cited in a calculator or a decision table opens beside it (clause-peek.js), on this page or another.
    if (a.closest("[data-calculator], [data-decision-table]") && window.HandbookClausePeek) return;
    var target = sameDocumentTarget(a);
    if (!target) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    // An entry of its own, as a browser's jump to a fragment makes: Back returns to where the
    // reader was (each entry keeps its scroll offset in its state, as the theme's do;
    // same-page-history.js restores it). The clause goes to the top, under the header, so
    // the page shows what the address names.
    history.replaceState({ x: window.scrollX, y: window.scrollY }, "");
    history.pushState(null, "", "#" + target.id);
    target.scrollIntoView({ block: "start" });
    document.querySelectorAll(".is-flash").forEach(function (n) { n.classList.remove("is-flash"); });
    target.classList.add("is-flash");
    setTimeout(function () { target.classList.remove("is-flash"); }, 2500);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }, true);
})();

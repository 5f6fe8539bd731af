/*
 * A 案例's 在计算器中试算 (overrides/partials/worked-examples.html): the case goes into the
 * calculator above it, which then computes. A case carried in the link's fragment is the
 * calculator's own share link (calculator.js fills the form and submits); a customer list is
 * handed to the calculator's file input as a CSV file, as if the reader had chosen it.
 * The address gets the case's fragment, so the page can be reloaded or shared as it is.
 */
(function () {
  "use strict";

  function calculator(name) {
    return document.querySelector('[data-calculator="' + CSS.escape(name) + '"]');
  }

  function tryCase(link) {
    var root = calculator(link.dataset.exampleTry);
    if (!root || !window.HandbookCalculator) return false;
    if (link.dataset.exampleCsv !== undefined) {
      var input = root.querySelector('input[type="file"]');
      if (!input || typeof DataTransfer !== "function") return false;
      var file = new File(["\ufeff" + link.dataset.exampleCsv], link.getAttribute("download") || "案例.csv",
        { type: "text/csv" });
      var files = new DataTransfer();
      files.items.add(file);
      root.querySelector("form").reset();
      input.files = files.files;
      root.scrollIntoView({ block: "start" });
      input.dispatchEvent(new Event("change", { bubbles: true }));  // calculator.js uploads it
      return true;
    }
    var params = new URLSearchParams(link.hash.slice(1));
    var raw = {};
    params.forEach(function (v, k) { if (k !== "calc") raw[k] = v; });
    // An entry of its own, as a jump to a place on the page makes: Back returns to the case.
    history.replaceState({ x: window.scrollX, y: window.scrollY }, "");
    history.pushState(null, "", link.hash);
    window.HandbookCalculator.fill(root, raw);
    return true;
  }

  // Before the theme's instant navigation sees the click (capture, on window).
  window.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var link = ev.target.closest && ev.target.closest("a[data-example-try]");
    if (!link || !tryCase(link)) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
  }, true);
})();

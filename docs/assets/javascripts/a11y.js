/*
 * Keyboard access to what scrolls (WCAG 2.1.1; axe: scrollable-region-focusable): a wide
 * table, swimlane or redline that scrolls sideways and holds nothing focusable gets a tab
 * stop, so it can be scrolled with the arrow keys. Checked again whenever the content
 * changes (instant navigation, a comparison, a result).
 */
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var timer = null;

  function mark() {
    document.querySelectorAll(".md-content table, .md-content .md-typeset__scrollwrap, .md-content .lanes, .md-content pre")
      .forEach(function (el) {
        if (el.hasAttribute("tabindex") || el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1) return;
        if (el.querySelector(FOCUSABLE)) return;
        el.tabIndex = 0;
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(mark, 50);
  }

  function start() {
    later();
    new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", later);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

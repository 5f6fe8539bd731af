/*
 * The ¶ permalinks of articles and items are no Tab stop (a document has dozens; the review
 * counted 29 on XY-03 before its calculator). They show on hover, as before, and a keyboard
 * user reaches one by arriving at its clause (table of contents, a clause link, an address
 * with #XY-03-4): that clause's ¶ is then the next Tab stop, and its 参数 link (the rows of
 * its parameters on 参数一览, handbook/parameter_pages.py) the one after.
 */
(function () {
  "use strict";

  var LINKS = ".md-content .headerlink, .md-content .clause-params";

  function reset() {
    document.querySelectorAll(LINKS).forEach(function (l) { if (l.tabIndex >= 0) l.tabIndex = -1; });
  }

  // The clause's own ¶ and 参数 become Tab stops.
  function open(target) {
    target.querySelectorAll(":scope > .headerlink, :scope > .clause-params").forEach(function (l) { l.tabIndex = 0; });
  }

  function arrive(focus) {
    reset();
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    var link = target && target.querySelector(":scope > .headerlink");
    if (!link) return;
    open(target);
    if (focus) {   // Tab goes on from the clause, not from the link that led there
      if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
      target.focus({ preventScroll: true });
    }
  }

  function init() {
    document.querySelectorAll(LINKS).forEach(function (l) { l.tabIndex = -1; });
    arrive(false);
  }

  window.addEventListener("hashchange", function () { arrive(true); });
  // A jump within the page (same-page-links.js: table of contents, clause links) focuses the clause.
  document.addEventListener("focusin", function (ev) {
    var link = ev.target.id && ev.target.querySelector && ev.target.querySelector(":scope > .headerlink");
    if (!link) return;
    reset();
    open(ev.target);
  });
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/*
 * The ¶ permalinks of articles and items are no Tab stop (a document has dozens; the review
 * counted 29 on XY-03 before its calculator). They show on hover, as before, and a keyboard
 * user reaches one by arriving at its clause (table of contents, a clause link, an address
 * with #XY-03-4): that clause's ¶ is then the next Tab stop.
 */
(function () {
  "use strict";

  function arrive(focus) {
    document.querySelectorAll('.md-content .headerlink[tabindex="0"]').forEach(function (l) { l.tabIndex = -1; });
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    var link = target && target.querySelector(":scope > .headerlink");
    if (!link) return;
    link.tabIndex = 0;
    if (focus) {   // Tab goes on from the clause, not from the link that led there
      if (!target.hasAttribute("tabindex")) target.tabIndex = -1;
      target.focus({ preventScroll: true });
    }
  }

  function init() {
    document.querySelectorAll(".md-content .headerlink").forEach(function (l) { l.tabIndex = -1; });
    arrive(false);
  }

  window.addEventListener("hashchange", function () { arrive(true); });
  // A jump within the page (same-page-links.js: table of contents, clause links) focuses the clause.
  document.addEventListener("focusin", function (ev) {
    var link = ev.target.id && ev.target.querySelector && ev.target.querySelector(":scope > .headerlink");
    if (!link) return;
    document.querySelectorAll('.md-content .headerlink[tabindex="0"]').forEach(function (l) { l.tabIndex = -1; });
    link.tabIndex = 0;
  });
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

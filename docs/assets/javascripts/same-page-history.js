/*
 * Back and Forward within one page (after a jump to a clause, same-page-links.js) stay on the
 * page. The theme's instant navigation fetches the page again on the first history step
 * after a page loads, even to the same page, which would empty every calculator on it; so
 * such a step never reaches the theme: this script is loaded in <head>, before the theme's,
 * and its listener runs first. The scroll offset the entry kept is restored, or the clause
 * its address names is shown. A step to another page goes on to the theme as before.
 */
(function () {
  "use strict";

  var path = location.pathname;

  window.addEventListener("popstate", function (ev) {
    if (location.pathname !== path) return;
    ev.stopImmediatePropagation();
    if (ev.state && typeof ev.state.y === "number") {
      window.scrollTo(ev.state.x || 0, ev.state.y);
      return;
    }
    var target = null;
    try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { /* none */ }
    if (target) target.scrollIntoView({ block: "start" });
    else if (!location.hash) window.scrollTo(0, 0);
  });

  // The page shown changes with instant navigation.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.document$) window.document$.subscribe(function () { path = location.pathname; });
  });
})();

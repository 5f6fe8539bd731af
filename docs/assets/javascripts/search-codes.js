/*
 * Search by code: a document number (XY-05) or a clause (KH-02-16, XY-03-4-1) typed into
 * the search box leads straight to it. The full-text index splits "XY-05" into "xy" and
 * "05", which match every page; so a code gets a first result of its own, built from the
 * navigation's link to that document, and Enter opens it.
 */
(function () {
  "use strict";

  var CODE = /^\s*([A-Za-z]{2})\s*-?\s*(\d{2})((?:\s*-\s*\d+)*)\s*$/;

  function target(query) {
    var m = CODE.exec(query || "");
    if (!m) return null;
    var doc = m[1].toUpperCase() + "-" + m[2];
    var link = document.querySelector('.md-nav a.md-nav__link[href*="/' + doc + '/"], .md-nav a.md-nav__link[href^="' + doc + '/"]');
    if (!link) return null;
    var clause = m[3].replace(/\s/g, "");
    var url = new URL(link.href, location.href);
    url.hash = clause ? "#" + doc + clause : "";
    return { doc: doc, clause: clause ? doc + clause : "", title: link.textContent.trim(), href: url.href };
  }

  function showFirst() {
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    if (!input || !list) return;
    var old = list.querySelector(".search-code");
    var t = target(input.value);
    if (!t) { if (old) old.remove(); return; }
    if (old && old.dataset.href === t.href && old === list.firstElementChild) return;
    if (old) old.remove();
    var item = document.createElement("li");
    item.className = "md-search-result__item search-code";
    item.dataset.href = t.href;
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = t.href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var h1 = document.createElement("h1");
    h1.textContent = (t.clause ? "条款 " + t.clause + "：" : "") + t.doc + " " + t.title;
    var p = document.createElement("p");
    p.textContent = t.clause ? "直达该条款" : "直达该文件";
    article.append(h1, p);
    a.append(article);
    item.append(a);
    list.prepend(item);
  }

  function watch() {
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    if (!input || !list || input.dataset.codes) return;
    input.dataset.codes = "1";
    new MutationObserver(showFirst).observe(list, { childList: true });
    input.addEventListener("input", showFirst);
    input.addEventListener("keydown", function (ev) {
      var t = ev.key === "Enter" && target(input.value);
      if (!t) return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
      location.href = t.href;
    }, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();

/*
 * Search by code: a document number (XY-05) or a clause (KH-02-16, XY-03-4-1) typed into
 * the search box leads straight to it. The full-text index splits "XY-05" into "xy" and
 * "05", which match every page; so a code gets a first result of its own, built from the
 * navigation's link to that document, and Enter opens it. A clause cited in words
 * ("KH-02 第十六条") leads there too.
 */
(function () {
  "use strict";

  var CODE = /^\s*([A-Za-z]{2})\s*-?\s*(\d{2})((?:\s*-\s*\d+)*)\s*$/;
  // As people cite a clause: "KH-02 第十六条", "XY-03第四条第（一）项".
  var CITED = /^\s*([A-Za-z]{2})\s*-?\s*(\d{2})\s*第\s*([一二三四五六七八九十百零〇\d]+)\s*条(?:\s*第?\s*[（(]\s*([一二三四五六七八九十\d]+)\s*[）)]\s*项)?\s*$/;
  var DIGIT = { 零: 0, 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

  function number(text) {          // 十六 → 16, 二十一 → 21, 一百零二 → 102
    if (/^\d+$/.test(text)) return +text;
    var total = 0, digit = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === "百") { total += (digit || 1) * 100; digit = 0; }
      else if (c === "十") { total += (digit || 1) * 10; digit = 0; }
      else digit = DIGIT[c];
    }
    return total + digit;
  }

  function code(query) {
    var m = CODE.exec(query || "");
    if (m) return m;
    m = CITED.exec(query || "");
    if (!m) return null;
    return [m[0], m[1], m[2], "-" + number(m[3]) + (m[4] ? "-" + number(m[4]) : "")];
  }

  function target(query) {
    var m = code(query);
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

/*
 * A clause cited in a calculator (in its result or in a help text) or in a decision table opens beside the
 * calculator, in a popover with the clause's own words, so that reading it never costs the
 * calculation: the page stays, its address and history are untouched, and the same happens
 * on 计算器一览 and on a document page. "打开原文" opens the document in a new tab.
 *
 * Why a popover rather than going to the clause and restoring the form on Back: it works the
 * same whether the clause is on this page or another, offline pages included, and a result
 * that took a file upload (customer tiering) could not be restored.
 *
 * The clause comes from the page that holds it (this page, or fetched and parsed once per
 * address): an item is its paragraph and what follows it up to the next clause; an article
 * is its heading and what follows up to the next article or chapter.
 */
(function () {
  "use strict";

  var CLAUSE_ID = /^[A-Z]{2}-\d{2}-\d+(-\d+)?$/;
  var pages = {};       // address (no fragment) -> Promise of a parsed document
  var peek = null, opener = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function target(a) {
    var url;
    try { url = new URL(a.getAttribute("href"), location.href); } catch (e) { return null; }
    var id = decodeURIComponent(url.hash.slice(1));
    if (url.origin !== location.origin || !CLAUSE_ID.test(id)) return null;
    url.hash = "";
    return { page: url.href, id: id, href: url.href + "#" + encodeURIComponent(id) };
  }

  function documentAt(address) {
    var here = new URL(location.href);
    here.hash = "";
    if (address === here.href) return Promise.resolve(document);
    if (!pages[address]) {
      pages[address] = fetch(address, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(text, "text/html");
      });
      pages[address].catch(function () { delete pages[address]; });
    }
    return pages[address];
  }

  function heading(node) { return /^H[1-6]$/.test(node.tagName); }
  function level(node) { return Number(node.tagName.slice(1)); }

  // The clause's nodes in its page: the element and what belongs to it.
  function clauseNodes(doc, id) {
    var start = doc.getElementById(id);
    if (!start) return null;
    var nodes = [start], article = heading(start);
    for (var n = start.nextElementSibling; n; n = n.nextElementSibling) {
      if (heading(n) && (!article || level(n) <= level(start))) break;
      if (!article && n.id && CLAUSE_ID.test(n.id)) break;
      if (n.matches(".tool-block, .calc, .lanes, .lanes__hint, [hidden], script")) continue;
      nodes.push(n);
    }
    return nodes;
  }

  // A copy to read, not a second copy of the page: no ids, no ¶, no forms; links open in a
  // new tab, so following one never leaves the calculation either.
  function copy(nodes) {
    var box = el("div", "clause-peek__text");
    nodes.forEach(function (n) { box.append(document.importNode(n, true)); });
    box.querySelectorAll(".headerlink, .tool-block, .calc, script").forEach(function (x) { x.remove(); });
    box.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
    box.querySelectorAll("a[href]").forEach(function (a) {
      a.target = "_blank";
      a.rel = "noopener";
    });
    box.querySelectorAll("[tabindex]").forEach(function (x) { x.removeAttribute("tabindex"); });
    return box;
  }

  function build() {
    peek = el("div", "clause-peek md-typeset");
    peek.setAttribute("popover", "auto");
    peek.setAttribute("role", "dialog");
    peek.setAttribute("aria-labelledby", "clause-peek-title");
    var head = el("div", "clause-peek__head");
    var title = el("h2", "clause-peek__title");
    title.id = "clause-peek-title";
    title.tabIndex = -1;
    var close = el("button", "md-button clause-peek__close", "关闭");
    close.type = "button";
    close.addEventListener("click", function () { peek.hidePopover(); });
    head.append(title, close);
    var body = el("div", "clause-peek__body");
    var foot = el("p", "clause-peek__foot");
    peek.append(head, body, foot);
    peek.addEventListener("toggle", function (e) {
      if (e.newState === "closed" && opener && opener.isConnected) opener.focus({ preventScroll: true });
    });
    document.body.append(peek);
  }

  // Beside the link on a wide screen (below it, or above when there is no room); a sheet at
  // the bottom of a phone's screen (CSS).
  function place(a) {
    var r = a.getBoundingClientRect(), wide = window.matchMedia("(min-width: 45em)").matches;
    peek.style.left = peek.style.top = "";
    if (!wide) return;
    var w = peek.offsetWidth, h = peek.offsetHeight, gap = 6;
    var left = Math.min(Math.max(8, r.left), window.innerWidth - w - 8);
    var top = r.bottom + gap + h <= window.innerHeight - 8 ? r.bottom + gap : Math.max(8, r.top - gap - h);
    peek.style.left = left + "px";
    peek.style.top = top + "px";
  }

  function open(a, where) {
    if (!peek || !peek.isConnected) build();
    opener = a;
    var title = peek.querySelector(".clause-peek__title");
    var body = peek.querySelector(".clause-peek__body");
    var foot = peek.querySelector(".clause-peek__foot");
    title.textContent = a.textContent.trim();
    body.replaceChildren(el("p", "clause-peek__loading", "正在载入条款原文…"));
    var original = el("a", "clause-peek__original", "打开原文（新标签页）");
    original.href = where.href;
    original.target = "_blank";
    original.rel = "noopener";
    foot.replaceChildren(original);
    if (peek.matches(":popover-open")) peek.hidePopover();
    opener = a;
    peek.showPopover();
    place(a);
    title.focus({ preventScroll: true });
    documentAt(where.page).then(function (doc) {
      var nodes = clauseNodes(doc, where.id);
      if (!nodes) throw new Error("没有找到该条款");
      body.replaceChildren(copy(nodes));
    }).catch(function () {
      body.replaceChildren(el("p", "clause-peek__error",
        "无法载入条款原文（可能尚未联网打开过该文件）。请点下面的“打开原文”在新标签页中阅读，本页的计算结果不受影响。"));
    }).then(function () {
      if (peek.matches(":popover-open")) place(a);
    });
  }

  // Capture phase, before the theme's instant navigation and same-page-links.js's
  // scrolling see the click.
  window.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || !a.closest("[data-calculator], [data-decision-table]") || a.hasAttribute("download")) return;
    var where = target(a);
    if (!where) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    open(a, where);
  }, true);

  window.HandbookClausePeek = { open: function (a) { var w = target(a); if (w) open(a, w); } };
})();

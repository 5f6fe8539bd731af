/*
 * The theme's search results, put in the order staff expect and made to read: the article
 * that holds the rule first, no 缺少 mark for a word that is there, no single characters
 * to mark on the page opened (?h=), and each snippet the passage that matched.
 * search-query.js hands each result over before the theme shows it (the theme's result:
 * groups of a page's sections, each with its location, title, text, score and terms).
 */
(function () {
  "use strict";

  var HAN = /\p{sc=Han}/u;
  var ARTICLE_NUMBER = /^第[一二三四五六七八九十百零〇]+[条章]$/;
  var SNIPPET = 180;       // characters of a snippet around the first match
  var BEFORE = 40;         // of which before it

  var search = window.HandbookSearch = window.HandbookSearch || {};
  var index = null, sections = null, formal = {}, averageHeading = 8, frequency = {};

  function plain(html) {
    return String(html || "").replace(/<[^>]+>/g, " ");
  }

  // What the ranking reads of each section: its heading (without 第四条), its words, the
  // glossary's terms it defines; and the handbook's terms for the staff's words.
  function read() {
    if (index === search.index && sections) return;
    index = search.index;
    sections = Object.create(null);
    formal = {};
    frequency = {};
    var separator = new RegExp(index.config.separator, "g"), headings = 0, count = 0;
    index.docs.forEach(function (doc) {
      var heading = plain(doc.title).toLowerCase().split(separator).filter(function (w) { return w && !ARTICLE_NUMBER.test(w); });
      var section = sections[doc.location] = {
        heading: heading.join(""),
        headingWords: heading.reduce(function (set, w) { set[w] = true; return set; }, {}),
        text: plain(doc.title + " " + doc.text).replace(/[\s\u200b]/g, "").toLowerCase(),
        context: plain(doc.context).toLowerCase(),
        defines: (doc.defines || []).map(function (t) { return t.toLowerCase(); })
      };
      headings += section.heading.length;
      count += 1;
    });
    averageHeading = headings / Math.max(1, count);
    var aliases = (index.config.handbook || {}).aliases || {};
    Object.keys(aliases).forEach(function (term) {        // 折扣 → 优惠, 价格
      aliases[term].forEach(function (w) { (formal[w.toLowerCase()] = formal[w.toLowerCase()] || []).push(term); });
    });
  }

  function terms(item) {
    var section = sections[item.location] || { text: "", context: "" };
    Object.keys(item.terms || {}).forEach(function (term) {
      if (Array.from(term).length === 1) delete item.terms[term];               // no stray marks
      else if (!item.terms[term] && HAN.test(term)) {
        if (section.text.indexOf(term) >= 0) item.terms[term] = true;            // it is there
        else if (section.context.indexOf(term) >= 0) delete item.terms[term];    // by another word
      }
    });
  }

  // --- the order --------------------------------------------------------------------------
  // A word of the query counts for a section (as in BM25: rarer words more, repeats less
  // and less) by its text, far more by its heading (the more so, the more of a short
  // heading it is: 第三条 信用等级 before 第十七条 与信用等级的关系), and by the glossary's
  // naming the section as where the word is defined (先款后货: XY-03-19). A staff word
  // counts as the handbook's term (折扣 as 优惠, 价格). A section holding more of the words
  // ranks higher; a page boosted down (a list drawn from the documents, a document's own
  // entry) stays below the articles.
  var HEADING = 5, DEFINED = 2, K1 = 1.2, B = 0.5, ALL_WORDS = 3;

  function occurrences(text, word) {
    var n = 0;
    for (var i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) n++;
    return n;
  }

  function rarity(word) {
    if (!(word in frequency)) {
      var forms = [word].concat(formal[word] || []), df = 0, n = 0;
      for (var location in sections) {
        var s = sections[location];
        n++;
        if (forms.some(function (f) { return s.text.indexOf(f) >= 0 || s.context.indexOf(f) >= 0; })) df++;
      }
      frequency[word] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }
    return frequency[word];
  }

  function rank(item) {
    var section = sections[item.location];
    if (!section) return 0;
    var keys = Object.keys(item.terms || {});
    var found = keys.filter(function (t) { return item.terms[t]; });
    var share = keys.length ? found.length / keys.length : 1;
    var norm = 1 / (1 - B + B * section.heading.length / averageHeading);
    var score = 0;
    found.forEach(function (word) {
      var forms = [word].concat(formal[word] || []), heading = 0, defined = 0, tf = 0;
      forms.forEach(function (f) {
        if (section.headingWords[f]) heading = Math.max(heading, norm);
        else if (section.heading.indexOf(f) >= 0) heading = Math.max(heading, norm / 2);
        section.defines.forEach(function (term) {
          if (term.indexOf(f) >= 0) defined = Math.max(defined, f.length / term.length);
        });
        tf += occurrences(section.text, f);
      });
      if (!tf && section.context.indexOf(word) >= 0) tf = 1;
      score += rarity(word) * (HEADING * heading + DEFINED * defined + tf * (K1 + 1) / (tf + K1));
    });
    var weight = item.boost && item.boost < 1 ? item.boost : 1;
    return score * weight * Math.pow(1 + share, ALL_WORDS);
  }

  // --- the snippet ------------------------------------------------------------------------

  function blockOf(node, root) {
    while (node.parentNode !== root) node = node.parentNode;
    return node;
  }

  // The theme shows the blocks of a section that matched; long ones are cut to the
  // passage of the first match: its paragraph (or list item), and within a long one the
  // characters around the match.
  function snippet(html) {
    if (plain(html).replace(/\s+/g, "").length <= SNIPPET) return html;
    var box = document.createElement("template");
    box.innerHTML = html;
    var root = box.content;
    var mark = root.querySelector("mark");
    var block = mark ? blockOf(mark, root) : [].find.call(root.childNodes, function (n) { return n.textContent.trim(); });
    if (!block) return html;
    var out = document.createElement("template").content;
    if (block.nodeType === 1 && /^(UL|OL)$/.test(block.nodeName)) {
      var list = block.cloneNode(false);
      list.appendChild((mark ? mark.closest("li") : block.querySelector("li") || block).cloneNode(true));
      out.appendChild(list);
    } else if (block.nodeType === 1 && block.nodeName === "P") {
      out.appendChild(block.cloneNode(true));
    } else {
      // Text between paragraphs: the run of it around the match.
      var p = document.createElement("p"), start = block, end = block;
      while (start.previousSibling && !/^(P|UL|OL|PRE)$/.test(start.previousSibling.nodeName)) start = start.previousSibling;
      while (end.nextSibling && !/^(P|UL|OL|PRE)$/.test(end.nextSibling.nodeName)) end = end.nextSibling;
      for (var n = start; n; n = n === end ? null : n.nextSibling) p.appendChild(n.cloneNode(true));
      out.appendChild(p);
    }
    around(out, out.querySelector("mark"));
    var holder = document.createElement("div");
    holder.appendChild(out);
    return holder.innerHTML;
  }

  function around(root, mark) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), texts = [], at = 0, markAt = -1;
    for (var t = walker.nextNode(); t; t = walker.nextNode()) {
      if (markAt < 0 && mark && mark.contains(t)) markAt = at;
      texts.push({ node: t, at: at });
      at += t.data.length;
    }
    if (at <= SNIPPET) return;
    var from = Math.max(0, markAt - BEFORE), to = from + SNIPPET, kept = [];
    texts.forEach(function (x) {
      x.node.data = x.node.data.slice(Math.max(0, from - x.at), Math.max(0, to - x.at));
      if (x.node.data.trim()) kept.push(x.node);
    });
    if (!kept.length) return;
    if (from > 0) kept[0].data = "…" + kept[0].data.replace(/^\s+/, "");
    if (to < at) kept[kept.length - 1].data = kept[kept.length - 1].data.replace(/\s+$/, "") + "…";
  }

  // Each group (a page) in the new order of its sections, and the groups by their best.
  search.results = function (result) {
    if (!search.index) return;
    read();
    var groups = result.items || [];
    groups.forEach(function (group) {
      group.forEach(function (item) {
        terms(item);
        item.score = rank(item);
        item.text = snippet(item.text);
      });
      group.sort(function (a, b) { return b.score - a.score; });
    });
    groups.sort(function (a, b) { return b[0].score - a[0].score; });
  };
})();

/*
 * Chinese queries for the theme's search (the index is shaped for them at build time by
 * handbook/search_index.py; the results are put in order by search-results.js).
 *
 * The theme cuts a Chinese query into words found in its index, but never lets a word end
 * at the query's last character: "信用额度" became "信用* 额", and "A级客户条件" ended in
 * "条" (so ?h=条 marked every 条 of the page opened). Here the query is first cut into the
 * index's own words, each handed over whole and as it is (no wildcard: 冻结* found every
 * heading with 冻结订单; the parts of compound words are in the index instead), and the
 * words a question is made of (哪些, 多久…) and stray single characters are left out.
 *
 * Runs in <head>, before the theme creates its search worker, and relies on the theme's
 * messages to that worker: 0 set-up (the index), 2 query (the text), 3 result.
 */
(function () {
  "use strict";

  var SETUP = 0, QUERY = 2, RESULT = 3;
  var HAN = /\p{sc=Han}/u;
  // A Chinese character after a word: the theme then looks the word up to its last
  // character and drops this one (no slice it looks up ever reaches it).
  var KEEP_WHOLE = "\u3400";
  // Shared with search-results.js: the index the theme was given, and what to do with a
  // result before the theme shows it.
  var search = window.HandbookSearch = window.HandbookSearch || {};
  var words = null, longest = 1, ignore = {};

  function vocabulary() {
    if (words || !search.index) return words;
    words = Object.create(null);
    ignore = {};
    var separator = new RegExp(search.index.config.separator, "g");
    search.index.docs.forEach(function (doc) {
      [doc.title, doc.text, doc.context].forEach(function (field) {
        String(field || "").replace(/<[^>]+>/g, " ").toLowerCase().split(separator).forEach(function (w) {
          if (w && HAN.test(w)) {
            words[w] = true;
            if (w.length > longest) longest = Math.min(w.length, 12);
          }
        });
      });
    });
    // Question words are cut as words too, so that "什么时候" goes whole.
    ((search.index.config.handbook || {}).ignore || []).forEach(function (w) { ignore[w] = words[w] = true; });
    return words;
  }

  // The fewest words of the index that cover the chunk; a character no word covers costs
  // more than any word, and such characters stay together as one unknown word (Chinese
  // with Chinese, other characters with their kind).
  function cut(chunk) {
    var n = chunk.length, best = [{ cost: 0 }];
    for (var i = 1; i <= n; i++) {
      best[i] = { cost: best[i - 1].cost + 3, from: i - 1, known: false };
      for (var k = Math.max(0, i - longest); k < i; k++) {
        if (words[chunk.slice(k, i)] && best[k].cost + 1 <= best[i].cost) best[i] = { cost: best[k].cost + 1, from: k, known: true };
      }
    }
    var pieces = [];
    for (var j = n; j > 0; j = best[j].from) {
      var piece = { text: chunk.slice(best[j].from, j), known: best[j].known };
      piece.other = !piece.known && !HAN.test(piece.text);
      var next = pieces[0];
      if (next && !next.known && !piece.known && next.other === piece.other) next.text = piece.text + next.text;
      else pieces.unshift(piece);
    }
    return pieces;
  }

  function rewrite(query) {
    // A query in the theme's own syntax (+word, -word, "…", word*) is left as typed.
    if (!vocabulary() || !HAN.test(query) || /["+\-~^:*]/.test(query.replace(/[A-Za-z]{2}-\d/g, ""))) return query;
    var pieces = [];
    query.trim().split(/\s+/).forEach(function (chunk) {
      if (!HAN.test(chunk)) pieces.push({ text: chunk, known: false, other: true });
      else pieces = pieces.concat(cut(chunk.toLowerCase()));
    });
    // Question words and single Chinese characters say little when other words are there.
    var meaningful = pieces.filter(function (p) {
      return p.other || (!ignore[p.text] && !(p.text.length === 1 && HAN.test(p.text)));
    });
    if (meaningful.length) pieces = meaningful;
    return pieces.map(function (p) {
      if (!p.known) return p.text;
      // A boost of 1 keeps the theme from adding its wildcard; a single Chinese character
      // the theme keeps whole by itself.
      var han = p.text.match(/\p{sc=Han}+/gu) || [];
      return p.text + (han.length === 1 && han[0].length > 1 ? KEEP_WHOLE : "") + "^1";
    }).join(" ");
  }

  function adapt(worker) {
    var post = worker.postMessage;
    worker.postMessage = function (message) {
      if (message && message.type === SETUP && message.data) {
        search.index = message.data;
        words = null;
      } else if (message && message.type === QUERY && typeof message.data === "string") {
        return post.call(worker, { type: QUERY, data: rewrite(message.data) });
      }
      return post.apply(worker, arguments);
    };
    // Registered before the theme's own listener: the theme shows the result as changed.
    worker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.type === RESULT && ev.data.data && search.results) search.results(ev.data.data);
    });
  }

  var RealWorker = window.Worker;
  if (!RealWorker) return;
  window.Worker = function (url, options) {
    var worker = new RealWorker(url, options);
    if (String(url).indexOf("/workers/search.") >= 0) adapt(worker);
    return worker;
  };
  window.Worker.prototype = RealWorker.prototype;
})();

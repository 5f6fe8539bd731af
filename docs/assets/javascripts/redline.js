/*
 * The redline of calc/redline.py in plain script, for the comparison page (版本对照): any two
 * versions compared in the browser without loading Python. The build writes the static
 * redline pages with the Python; tests/test_ux_reading_chromium.py checks that both give the
 * same HTML, character for character, on every two released versions of every document.
 * A change to calc/redline.py is made here too.
 *
 * Python's difflib.SequenceMatcher is reproduced as it is (matching blocks, opcodes, ratio,
 * autojunk); strings are compared by code points, as Python does.
 */
(function () {
  "use strict";

  var SIMILAR = 0.6, SAME_PLACE = 0.3, CHAR_FALLBACK = 0.5;
  var LINE = "\n", CELL = "\t";
  // str.isdigit(): decimal digits and the other digits (superscripts, ①…, ⑴…).
  var DIGIT = /[\p{Nd}\u{b2}-\u{b3}\u{b9}\u{1369}-\u{1371}\u{19da}\u{2070}\u{2074}-\u{2079}\u{2080}-\u{2089}\u{2460}-\u{2468}\u{2474}-\u{247c}\u{2488}-\u{2490}\u{24ea}\u{24f5}-\u{24fd}\u{24ff}\u{2776}-\u{277e}\u{2780}-\u{2788}\u{278a}-\u{2792}\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]/u;

  // --- difflib.SequenceMatcher (isjunk None) -----------------------------------------------

  function Matcher(a, b, autojunk) {
    this.a = a;
    this.b = b;
    var b2j = new Map();
    b.forEach(function (elt, i) {
      var list = b2j.get(elt);
      if (!list) b2j.set(elt, list = []);
      list.push(i);
    });
    if (autojunk && b.length >= 200) {   // popular elements leave the index (not junk)
      var ntest = Math.floor(b.length / 100) + 1;
      Array.from(b2j.keys()).forEach(function (elt) { if (b2j.get(elt).length > ntest) b2j.delete(elt); });
    }
    this.b2j = b2j;
    this.blocks = null;
  }

  Matcher.prototype.longest = function (alo, ahi, blo, bhi) {
    var a = this.a, b = this.b, b2j = this.b2j;
    var besti = alo, bestj = blo, bestsize = 0, j2len = new Map();
    for (var i = alo; i < ahi; i++) {
      var next = new Map(), js = b2j.get(a[i]) || [];
      for (var n = 0; n < js.length; n++) {
        var j = js[n];
        if (j < blo) continue;
        if (j >= bhi) break;
        var k = (j2len.get(j - 1) || 0) + 1;
        next.set(j, k);
        if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
      }
      j2len = next;
    }
    // No junk here: only popular elements left out of the index extend a match.
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; bestsize++; }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
    return [besti, bestj, bestsize];
  };

  Matcher.prototype.matchingBlocks = function () {
    if (this.blocks) return this.blocks;
    var la = this.a.length, lb = this.b.length, queue = [[0, la, 0, lb]], found = [];
    while (queue.length) {
      var q = queue.pop(), alo = q[0], ahi = q[1], blo = q[2], bhi = q[3];
      var x = this.longest(alo, ahi, blo, bhi), i = x[0], j = x[1], k = x[2];
      if (k) {
        found.push(x);
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    found.sort(function (s, t) { return s[0] - t[0] || s[1] - t[1] || s[2] - t[2]; });
    var i1 = 0, j1 = 0, k1 = 0, out = [];
    found.forEach(function (m) {
      if (i1 + k1 === m[0] && j1 + k1 === m[1]) { k1 += m[2]; return; }
      if (k1) out.push([i1, j1, k1]);
      i1 = m[0]; j1 = m[1]; k1 = m[2];
    });
    if (k1) out.push([i1, j1, k1]);
    out.push([la, lb, 0]);
    return (this.blocks = out);
  };

  Matcher.prototype.opcodes = function () {
    var i = 0, j = 0, out = [];
    this.matchingBlocks().forEach(function (m) {
      var ai = m[0], bj = m[1], size = m[2];
      var tag = i < ai && j < bj ? "replace" : i < ai ? "delete" : j < bj ? "insert" : "";
      if (tag) out.push([tag, i, ai, j, bj]);
      i = ai + size;
      j = bj + size;
      if (size) out.push(["equal", ai, i, bj, j]);
    });
    return out;
  };

  Matcher.prototype.ratio = function () {
    var matches = this.matchingBlocks().reduce(function (s, m) { return s + m[2]; }, 0);
    var length = this.a.length + this.b.length;
    return length ? 2.0 * matches / length : 1.0;
  };

  // --- calc/redline.py -----------------------------------------------------------------

  function escape(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }
  function chars(s) { return Array.from(s); }
  function text(article) { return article.tokens.join(""); }
  function ratio(a, b) { return new Matcher(a, b, false).ratio(); }

  function match(old, neu) {
    var pairs = new Map(), usedNew = new Set(), byText = new Map();
    neu.forEach(function (a, j) {
      var t = text(a);
      if (!byText.has(t)) byText.set(t, []);
      byText.get(t).push(j);
    });
    old.forEach(function (a, i) {
      var list = byText.get(text(a)) || [];
      for (var n = 0; n < list.length; n++) {
        if (!usedNew.has(list[n])) { pairs.set(i, list[n]); usedNew.add(list[n]); break; }
      }
    });
    var newById = new Map();
    neu.forEach(function (a, j) { newById.set(a.id, j); });
    old.forEach(function (a, i) {
      var j = newById.has(a.id) ? newById.get(a.id) : null;
      if (!pairs.has(i) && j !== null && !usedNew.has(j) && ratio(a.tokens, neu[j].tokens) >= SAME_PLACE) {
        pairs.set(i, j);
        usedNew.add(j);
      }
    });
    var restOld = [], restNew = [];
    old.forEach(function (_, i) { if (!pairs.has(i)) restOld.push(i); });
    neu.forEach(function (_, j) { if (!usedNew.has(j)) restNew.push(j); });
    restOld.forEach(function (i) {
      var best = null, score = SIMILAR;
      restNew.forEach(function (j) {
        if (usedNew.has(j)) return;
        var r = ratio(old[i].tokens, neu[j].tokens);
        if (r >= score) { best = j; score = r; }
      });
      if (best !== null) { pairs.set(i, best); usedNew.add(best); }
    });
    var out = old.map(function (_, i) { return [i, pairs.has(i) ? pairs.get(i) : null]; });
    neu.forEach(function (_, j) { if (!usedNew.has(j)) out.push([null, j]); });
    return out;
  }

  function bisectLeft(list, v) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < v) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function inOrder(pairs) {
    var seq = pairs.slice().sort(function (p, q) { return p[1] - q[1]; });
    var olds = seq.map(function (p) { return p[0]; });
    var tails = [], tailsIdx = [], prev = olds.map(function () { return -1; });
    olds.forEach(function (v, k) {
      var pos = bisectLeft(tails, v);
      if (pos === tails.length) { tails.push(v); tailsIdx.push(k); } else { tails[pos] = v; tailsIdx[pos] = k; }
      prev[k] = pos ? tailsIdx[pos - 1] : -1;
    });
    var keep = new Set(), k = tailsIdx.length ? tailsIdx[tailsIdx.length - 1] : -1;
    while (k >= 0) { keep.add(seq[k][0] + "," + seq[k][1]); k = prev[k]; }
    return keep;
  }

  function charMarks(a, b) {
    var ca = chars(a), cb = chars(b), inline = [], old = [], neu = [];
    new Matcher(ca, cb, false).opcodes().forEach(function (op) {
      var x = ca.slice(op[1], op[2]).join(""), y = cb.slice(op[3], op[4]).join("");
      if (op[0] === "equal") {
        inline.push(escape(x)); old.push(escape(x)); neu.push(escape(y));
        return;
      }
      if (op[2] > op[1]) { inline.push("<del>" + escape(x) + "</del>"); old.push("<del>" + escape(x) + "</del>"); }
      if (op[4] > op[3]) { inline.push("<ins>" + escape(y) + "</ins>"); neu.push("<ins>" + escape(y) + "</ins>"); }
    });
    return [inline.join(""), old.join(""), neu.join("")];
  }

  function words(old, neu) {
    var inline = [], left = [], right = [];
    new Matcher(old, neu, false).opcodes().forEach(function (op) {
      var tag = op[0], i1 = op[1], i2 = op[2], j1 = op[3], j2 = op[4];
      var a = old.slice(i1, i2).join(""), b = neu.slice(j1, j2).join("");
      if (tag === "equal") {
        inline.push(escape(a)); left.push(escape(a)); right.push(escape(b));
      } else if (tag === "replace" && i2 - i1 === 1 && j2 - j1 === 1 && chars(a).length > 1 && chars(b).length > 1 &&
                 !DIGIT.test(a + b) && new Matcher(chars(a), chars(b), true).ratio() >= CHAR_FALLBACK) {
        var m = charMarks(a, b);
        inline.push(m[0]); left.push(m[1]); right.push(m[2]);
      } else {
        if (a) { inline.push("<del>" + escape(a) + "</del>"); left.push("<del>" + escape(a) + "</del>"); }
        if (b) { inline.push("<ins>" + escape(b) + "</ins>"); right.push("<ins>" + escape(b) + "</ins>"); }
      }
    });
    return { inline: inline.join(""), old_html: left.join(""), new_html: right.join("") };
  }

  function split(tokens, sep) {
    var out = [[]];
    tokens.forEach(function (t) { if (t === sep) out.push([]); else out[out.length - 1].push(t); });
    return out;
  }

  function isRow(line) { return line.indexOf(CELL) >= 0; }

  function plainLine(line, tag) {
    var wrap = function (s) { return tag && s ? "<" + tag + ">" + s + "</" + tag + ">" : s; };
    if (isRow(line)) {
      return ["row", split(line, CELL).map(function (c) { return wrap(escape(c.join(""))); }),
        { del: "removed", ins: "added" }[tag] || ""];
    }
    return ["text", wrap(escape(line.join(""))), ""];
  }

  function pair(a, b) {
    if (isRow(a) !== isRow(b)) return null;
    if (!isRow(a)) {
      var m = words(a, b);
      return [["text", m.inline, ""], ["text", m.old_html, ""], ["text", m.new_html, ""]];
    }
    var ca = split(a, CELL), cb = split(b, CELL);
    if (ca.length !== cb.length) return null;
    var ms = ca.map(function (x, k) { return words(x, cb[k]); });
    return ["inline", "old_html", "new_html"].map(function (key) {
      return ["row", ms.map(function (cell) { return cell[key]; }), "changed"];
    });
  }

  function assemble(lines) {
    if (!lines.some(function (l) { return l[0] === "row"; })) {
      return lines.map(function (l) { return l[1]; }).join(LINE);
    }
    var out = [], rows = [];
    lines.concat([["end", "", ""]]).forEach(function (l) {
      var kind = l[0], html = l[1], cls = l[2];
      if (kind === "row") {
        rows.push("<tr" + (cls ? ' class="redline__row--' + cls + '"' : "") + ">" +
          html.map(function (c) { return "<td>" + c + "</td>"; }).join("") + "</tr>");
        return;
      }
      if (rows.length) {
        out.push("<table data-rows><tbody>" + rows.join("") + "</tbody></table>");
        rows = [];
      }
      if (kind === "text") out.push("<p>" + html + "</p>");
    });
    return out.join("");
  }

  function marks(old, neu) {
    if (old.indexOf(LINE) < 0 && neu.indexOf(LINE) < 0 && old.indexOf(CELL) < 0 && neu.indexOf(CELL) < 0) {
      return words(old, neu);
    }
    var a = split(old, LINE), b = split(neu, LINE), inline = [], left = [], right = [];
    var join = function (x) { return x.join(CELL); };
    new Matcher(a.map(join), b.map(join), false).opcodes().forEach(function (op) {
      var i1 = op[1], i2 = op[2], j1 = op[3], j2 = op[4];
      if (op[0] === "equal") {
        for (var n = 0; n < i2 - i1; n++) {
          inline.push(plainLine(b[j1 + n])); left.push(plainLine(a[i1 + n])); right.push(plainLine(b[j1 + n]));
        }
        return;
      }
      var xs = a.slice(i1, i2), ys = b.slice(j1, j2);
      for (var k = 0; k < Math.max(xs.length, ys.length); k++) {
        var x = k < xs.length ? xs[k] : null, y = k < ys.length ? ys[k] : null;
        var paired = x !== null && y !== null ? pair(x, y) : null;
        if (paired) {
          inline.push(paired[0]); left.push(paired[1]); right.push(paired[2]);
          continue;
        }
        if (x !== null) { inline.push(plainLine(x, "del")); left.push(plainLine(x, "del")); }
        if (y !== null) { inline.push(plainLine(y, "ins")); right.push(plainLine(y, "ins")); }
      }
    });
    return { inline: assemble(inline), old_html: assemble(left), new_html: assemble(right) };
  }

  function whole(tokens, tag) {
    return assemble(split(tokens, LINE).map(function (line) { return plainLine(line, tag); }));
  }

  function head(a) { return a ? { id: a.id, number: a.number, title: a.title } : null; }

  function compare(old, neu) {
    var pairs = match(old, neu);
    var kept = inOrder(pairs.filter(function (p) { return p[0] !== null && p[1] !== null; }));
    var entries = pairs.map(function (p) {
      var i = p[0], j = p[1], a = i !== null ? old[i] : null, b = j !== null ? neu[j] : null, status, m;
      if (!a) {
        status = ["added"];
        m = { inline: whole(b.tokens, "ins"), old_html: "", new_html: whole(b.tokens, "ins") };
      } else if (!b) {
        status = ["removed"];
        m = { inline: whole(a.tokens, "del"), old_html: whole(a.tokens, "del"), new_html: "" };
      } else {
        status = [];
        if (a.id !== b.id) status.push("renumbered");
        if (!kept.has(i + "," + j)) status.push("moved");
        var same = a.tokens.length === b.tokens.length && a.tokens.every(function (t, k) { return t === b.tokens[k]; }) &&
          a.title === b.title;
        if (!same) status.push("changed");
        m = same ? { inline: whole(b.tokens), old_html: whole(a.tokens), new_html: whole(b.tokens) } : marks(a.tokens, b.tokens);
        if (!status.length) status = ["unchanged"];
      }
      return { old: head(a), new: head(b), status: status, inline: m.inline, old_html: m.old_html, new_html: m.new_html,
        sort: j !== null ? j : (i !== null ? i - 0.5 : 0) };
    });
    // Removed articles sit just before the article that followed them in the old revision.
    entries.forEach(function (e) {
      if (e.new) return;
      var i = old.findIndex(function (a) { return a.id === e.old.id; });
      var after = pairs.find(function (p) { return p[0] !== null && p[0] > i && p[1] !== null; });
      e.sort = (after ? after[1] : neu.length) - 0.5;
    });
    entries.sort(function (x, y) { return x.sort - y.sort; });
    entries.forEach(function (e) { delete e.sort; });
    var summary = {};
    ["added", "removed", "changed", "renumbered", "moved", "unchanged"].forEach(function (k) {
      summary[k] = entries.filter(function (e) { return e.status.indexOf(k) >= 0; }).length;
    });
    return { summary: summary, articles: entries };
  }

  var SUMMARY_WORDS = [["added", "新增"], ["removed", "删除"], ["changed", "修改"], ["renumbered", "重新编号"],
    ["moved", "移动"], ["unchanged", "未变"]];
  var STATUS_WORDS = {};
  SUMMARY_WORDS.forEach(function (w) { STATUS_WORDS[w[0]] = w[1]; });

  function summaryLine(summary) {
    return SUMMARY_WORDS.filter(function (w) { return summary[w[0]] || w[0] === "changed"; })
      .map(function (w) { return w[1] + " " + summary[w[0]] + " 条"; }).join("，");
  }

  function block(html) {
    return html.indexOf("<table") >= 0 ? '<div class="redline__text">' + html + "</div>" : "<p>" + html + "</p>";
  }

  function render(result, oldLabel, newLabel) {
    var inline = [], rows = [];
    result.articles.forEach(function (e) {
      var h = e.new || e.old;
      var label = h.number + "　" + h.title;
      if (e.old && e.new && e.old.number !== e.new.number) label = e.new.number + "（原" + e.old.number + "）　" + e.new.title;
      var tags = e.status.map(function (s) {
        return '<span class="redline__tag redline__tag--' + s + '">' + STATUS_WORDS[s] + "</span>";
      }).join("");
      var status = e.status.join(" ");
      inline.push('<section class="redline__article" data-status="' + status + '" data-article="' + escape(h.id) + '">' +
        "<h4>" + escape(label) + " " + tags + "</h4>" + block(e.inline) + "</section>");
      var cells = [["old", e.old], ["new", e.new]].map(function (side) {
        var t = side[1] ? "<b>" + escape(side[1].number) + "　" + escape(side[1].title) + "</b><br>" : "";
        return "<td>" + t + e[side[0] + "_html"] + "</td>";
      });
      rows.push('<tr data-status="' + status + '">' + cells.join("") + "<td>" + tags + "</td></tr>");
    });
    var s = result.summary;
    return '<div class="redline" data-added="' + s.added + '" data-removed="' + s.removed + '" data-changed="' + s.changed + '">' +
      '<p class="redline__summary">' + escape(oldLabel) + " → " + escape(newLabel) + "：" + summaryLine(s) + "</p>" +
      '<details class="redline__view redline__view--inline" open><summary>逐条标注（修订模式）</summary>' +
      inline.join("") + "</details>" +
      '<details class="redline__view redline__view--side" open><summary>对照表</summary>' +
      '<div class="redline__table"><table><thead><tr><th>' + escape(oldLabel) + "</th><th>" + escape(newLabel) + "</th>" +
      "<th>变化</th></tr></thead><tbody>" + rows.join("") + "</tbody></table></div></details></div>";
  }

  window.HandbookRedline = { compare: compare, render: render, summaryLine: summaryLine };
})();

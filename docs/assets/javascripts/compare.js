/*
 * 版本对照: any two versions of a document, compared as soon as they are picked, in plain
 * script (redline.js, the build's calc/redline.py ported), on the words the build cut
 * (assets/revisions/<DOC>.json). No Python is loaded for it. The result is never shown
 * for another selection: a changed selection greys the old result until the new one is in.
 * It prints: the picked comparison (只看修改 honoured) under a header naming the document
 * and both versions.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function picker(root) {
    if (root.dataset.bound) return;
    root.dataset.bound = "1";
    var data = JSON.parse(root.dataset.revisionPicker);
    var start = JSON.parse(root.dataset.start || "{}");
    var form = root.querySelector("form");
    var f = form.elements;
    var status = root.querySelector(".picker__status");
    var notice = root.querySelector(".picker__notice");
    var result = root.querySelector(".picker__result");
    var tools = root.querySelector(".picker__tools");
    var only = tools.querySelector("[data-changed-only]");
    var position = -1, asked = 0, texts = {};
    var docs = Object.keys(data);
    if (!docs.length) { status.textContent = "尚无已发布的版本"; return; }

    function options(select, values) {
      select.replaceChildren.apply(select, values.map(function (v) {
        var o = el("option", null, v[1]);
        o.value = v[0];
        return o;
      }));
    }
    function versions() {
      var vs = data[f.document.value].versions;
      var pairs = vs.map(function (v) { return [v, "第 " + v + " 版"]; });
      options(f.old, pairs);
      options(f.new, pairs);
      f.old.value = vs[Math.max(0, vs.length - 2)];
      f.new.value = vs[vs.length - 1];
    }
    options(f.document, docs.map(function (n) { return [n, n + " " + data[n].title]; }));

    // ?doc=&old=&new= (a shared link, any case) or, without one, the latest real change.
    var wanted = new URLSearchParams(location.search);
    var problem = null;
    var doc = (wanted.get("doc") || start.doc || "").trim().toUpperCase();
    var a = (wanted.get("old") || start.old || "").trim(), b = (wanted.get("new") || start.new || "").trim();
    if (doc && !data[doc]) {
      problem = "没有文件 " + wanted.get("doc") + "（链接中的 doc）。请在下面选择文件和版本。";
      doc = start.doc; a = start.old; b = start.new;
    }
    f.document.value = doc || docs[0];
    versions();
    var have = data[f.document.value].versions;
    [["old", a, "旧版本"], ["new", b, "新版本"]].forEach(function (w) {
      if (!w[1]) return;
      if (have.indexOf(w[1]) < 0) {
        problem = (problem ? problem + " " : "") + f.document.value + " 没有第 " + w[1] + " 版（链接中的" +
          w[2] + "）；已发布的版本：" + have.join("、") + "。";
      } else {
        f[w[0]].value = w[1];
      }
    });

    function selection() {
      return { doc: f.document.value, old: f.old.value, new: f.new.value,
        key: f.document.value + ":" + f.old.value + "-" + f.new.value };
    }

    // Reversed or identical versions: said above the result, with the way out.
    function explain(s) {
      var vs = data[s.doc].versions, i = vs.indexOf(s.old), j = vs.indexOf(s.new);
      notice.replaceChildren();
      notice.hidden = i < j;
      if (i === j) {
        notice.append("两个版本相同（第 " + s.old + " 版），没有可对照的修改。请另选旧版本或新版本。");
      } else if (i > j) {
        var swap = el("button", "md-button picker__swap", "交换顺序");
        swap.type = "button";
        swap.addEventListener("click", function () {
          var x = f.old.value;
          f.old.value = f.new.value;
          f.new.value = x;
          compare();
        });
        notice.append("注意：所选的旧版本（第 " + s.old + " 版）晚于新版本（第 " + s.new + " 版），下面标出的是从第 " +
          s.old + " 版改回第 " + s.new + " 版的差异，与实际修订的方向相反。", " ", swap);
      }
      return i !== j;
    }

    function words(d) {
      if (!texts[d]) {
        texts[d] = fetch(new URL(d + ".json", new URL(root.dataset.base, document.baseURI))).then(function (r) {
          if (!r.ok) throw new Error("读不到 " + d + " 的版本数据（HTTP " + r.status + "）");
          return r.json();
        });
        texts[d].catch(function () { delete texts[d]; });   // a later try fetches again
      }
      return texts[d];
    }

    function shareable(s) {
      var url = new URL(location.href);
      url.search = "?" + new URLSearchParams({ doc: s.doc, old: s.old, new: s.new }).toString();
      url.hash = "";
      return url.toString();
    }

    function show(s, html) {
      var title = s.doc + " " + data[s.doc].title;
      var header = el("div", "print-header",
        title + "　第 " + s.old + " 版 → 第 " + s.new + " 版对照　｜　打印件为非受控文件，以发布存档为准");
      var heading = el("h2", "picker__heading", title + "：第 " + s.old + " 版 → 第 " + s.new + " 版");
      var body = el("div");
      // Built by redline.js from escaped text: every word passed through its escape().
      body.innerHTML = html;
      result.replaceChildren(header, heading, body);
      result.querySelectorAll('[data-status="unchanged"]').forEach(function (n) { n.hidden = only.checked; });
      position = -1;
      tools.querySelector(".picker__link").href = shareable(s);
      tools.hidden = false;
      root.querySelector(".picker__position").textContent = "共 " + changes().length + " 处修改";
      if (window.HandbookPrint) window.HandbookPrint.update();
    }

    function compare() {
      var s = selection(), mine = ++asked;
      if (history.replaceState) history.replaceState(history.state, "", shareable(s));
      if (result.dataset.compared !== s.key && result.childElementCount) result.dataset.stale = "";
      if (!explain(s)) {
        result.replaceChildren();
        result.dataset.compared = s.key;
        delete result.dataset.stale;
        tools.hidden = true;
        status.textContent = "";
        return Promise.resolve();
      }
      status.textContent = "对照中";
      return words(s.doc).then(function (revs) {
        if (mine !== asked) return;                  // another selection came since
        var x = revs.revisions[s.old], y = revs.revisions[s.new];
        if (!x || !y) throw new Error(s.doc + " 没有所选的版本");
        var R = window.HandbookRedline;
        show(s, R.render(R.compare(x, y), "第 " + s.old + " 版", "第 " + s.new + " 版"));
        result.dataset.compared = s.key;
        delete result.dataset.stale;
        status.textContent = "";
      }).catch(function (err) {
        if (mine === asked) status.textContent = "对照失败：" + err.message;
      });
    }

    function changes() {
      return Array.prototype.slice.call(result.querySelectorAll(".redline__article:not([data-status=\"unchanged\"])"));
    }
    function jump(step) {
      var list = changes();
      if (!list.length) { root.querySelector(".picker__position").textContent = "两个版本之间没有修改"; return; }
      position = (position + step + list.length) % list.length;
      list.forEach(function (n) { n.classList.remove("redline__article--current"); });
      var target = list[position];
      var details = target.closest("details");
      if (details) details.open = true;
      target.classList.add("redline__article--current");
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
      root.querySelector(".picker__position").textContent = "第 " + (position + 1) + " 处，共 " + list.length + " 处修改";
    }

    only.addEventListener("change", function () {
      result.classList.toggle("picker__result--changed-only", only.checked);
      result.querySelectorAll('[data-status="unchanged"]').forEach(function (n) { n.hidden = only.checked; });
    });
    tools.querySelectorAll("[data-jump]").forEach(function (btn) {
      btn.addEventListener("click", function () { jump(Number(btn.dataset.jump)); });
    });
    tools.querySelector("[data-print]").addEventListener("click", function () { window.print(); });

    f.document.addEventListener("change", function () { versions(); compare(); });
    f.old.addEventListener("change", compare);
    f.new.addEventListener("change", compare);
    form.addEventListener("submit", function (e) { e.preventDefault(); compare(); });

    root.dataset.state = "ready";
    if (problem) {
      status.textContent = problem;
      root.dataset.problem = "true";
    } else {
      compare();   // opens on a real change, or on the one in the link
    }
  }

  function init() {
    document.querySelectorAll("[data-revision-picker]").forEach(picker);
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/*
 * Revisions in the page: each version's state on the day the page is read (现行 / 将于 …
 * 生效 / 已被替代, in China time, by the same rule as handbook/revision_pages.py `status`),
 * filtering the change register (变更通告), the point-in-time page (时点查询) and the
 * comparison picker (版本对照). The picker runs the same Python redline as the build, in
 * the calculators' worker (calc-runtime.js).
 */
(function () {
  "use strict";

  // Today in China (UTC+8 all year), whatever the reader's own time zone.
  function chinaToday() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  // revs: [[version, effective, href], ...] oldest first; ISO dates compare as text.
  function status(revs, version, day) {
    var k = revs.findIndex(function (r) { return r[0] === version; });
    if (k < 0) return null;
    var rev = revs[k], limit = day > rev[1] ? day : rev[1];
    for (var j = k + 1; j < revs.length; j++) {
      if (revs[j][1] <= limit) return { state: "superseded", text: "已被替代（由第 " + revs[j][0] + " 版替代）" };
    }
    if (rev[1] > day) {
      var until = null;
      revs.forEach(function (r) { if (r[1] <= day) until = r; });
      var tail = k !== revs.length - 1 ? "" : until ? "；在此之前适用第 " + until[0] + " 版" : "；在此之前尚无生效版本";
      return { state: "pending", text: "将于 " + rev[1] + " 生效" + tail, until: until && k === revs.length - 1 ? until : null };
    }
    return { state: "current", text: "现行" };
  }

  var BANNER = { superseded: "danger", pending: "warning", current: "success" };

  function showStatus(span, day) {
    var revs = JSON.parse(span.dataset.revisionStatus);
    var s = status(revs, span.dataset.version, day);
    if (!s) return;
    span.dataset.state = s.state;
    span.replaceChildren(s.text.replace(/第 [^ ]+ 版$/, ""));
    if (s.until) {   // name the version that applies until then, linked when we know its page
      var label = "第 " + s.until[0] + " 版";
      if (s.until[2]) {
        var a = document.createElement("a");
        a.href = s.until[2];
        a.textContent = label;
        span.append(a);
      } else {
        span.append(label);
      }
    }
    var banner = span.closest("[data-revision-banner]");
    if (banner) {
      banner.dataset.revisionState = s.state;
      Object.keys(BANNER).forEach(function (k) { banner.classList.toggle(BANNER[k], k === s.state); });
    }
  }

  function changeFilter(form) {
    var table = document.querySelector("[data-changes]");
    function apply() {
      var f = form.elements, shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var d = tr.dataset;
        var ok = (!f.document.value || d.document === f.document.value) &&
          (!f.part.value || d.part === f.part.value) &&
          (!f.from.value || d.released >= f.from.value) &&   // ISO dates (validated on release)
          (!f.to.value || d.released <= f.to.value);
        tr.hidden = !ok;
        if (ok) shown++;
      });
      form.querySelector(".changes__count").textContent = "共 " + shown + " 条";
    }
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  }

  function cell(text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.append(a);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function pointInTime(form) {
    var data = JSON.parse(form.dataset.pointInTime);
    var table = form.nextElementSibling;
    var wanted = new URLSearchParams(location.search).get("date");
    form.elements.date.value = /^\d{4}-\d{2}-\d{2}$/.test(wanted || "") ? wanted : chinaToday();
    function answer() {
      var day = form.elements.date.value;
      var body = table.querySelector("tbody");
      body.replaceChildren();
      Object.keys(data).forEach(function (number) {
        var doc = data[number], inForce = null;
        doc.revisions.forEach(function (r) { if (r.effective <= day) inForce = r; });
        var tr = document.createElement("tr");
        tr.dataset.document = number;
        tr.dataset.version = inForce ? inForce.version : "";
        tr.append(cell(number + " " + doc.title, doc.page),
          inForce ? cell("第 " + inForce.version + " 版", inForce.page) : cell("尚未生效"),
          cell(inForce ? inForce.effective : "—"),
          doc.calculators ? cell("按 " + day + " 计算", doc.page + "?as_of=" + day) : cell(""));
        body.append(tr);
      });
      table.hidden = false;
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); answer(); });
    if (wanted) answer();
  }

  function picker(root) {
    var data = JSON.parse(root.dataset.revisionPicker);
    var start = JSON.parse(root.dataset.start || "{}");
    var form = root.querySelector("form");
    var status = root.querySelector(".picker__status");
    var result = root.querySelector(".picker__result");
    var tools = root.querySelector(".picker__tools");
    var rt = window.HandbookRuntime;
    var position = -1;
    var docs = Object.keys(data);
    if (!docs.length) { status.textContent = "尚无已发布的版本"; return; }

    function options(select, values, chosen) {
      select.replaceChildren();
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v[0];
        o.textContent = v[1];
        select.append(o);
      });
      if (chosen !== undefined) select.value = chosen;
    }
    function versions() {
      var vs = data[form.elements.document.value].versions;
      var pairs = vs.map(function (v) { return [v, "第 " + v + " 版"]; });
      options(form.elements.old, pairs, vs[Math.max(0, vs.length - 2)]);
      options(form.elements.new, pairs, vs[vs.length - 1]);
    }
    options(form.elements.document, docs.map(function (n) { return [n, n + " " + data[n].title]; }));

    // ?doc=&old=&new= (a shared link) or, without one, the latest real change.
    var wanted = new URLSearchParams(location.search);
    var problem = null;
    var doc = wanted.get("doc") || start.doc, a = wanted.get("old") || start.old, b = wanted.get("new") || start.new;
    if (doc && !data[doc]) {
      problem = "没有文件 " + doc + "（链接中的 doc）。请在下面选择文件和版本。";
      doc = start.doc; a = start.old; b = start.new;
    }
    form.elements.document.value = doc || docs[0];
    versions();
    var have = data[form.elements.document.value].versions;
    [["old", a, "旧版本"], ["new", b, "新版本"]].forEach(function (w) {
      if (!w[1]) return;
      if (have.indexOf(w[1]) < 0) {
        problem = (problem ? problem + " " : "") + form.elements.document.value + " 没有第 " + w[1] + " 版（链接中的" +
          w[2] + "）；已发布的版本：" + have.join("、") + "。";
      } else {
        form.elements[w[0]].value = w[1];
      }
    });
    form.elements.document.addEventListener("change", versions);

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
    tools.querySelector("[data-changed-only]").addEventListener("change", function (e) {
      result.classList.toggle("picker__result--changed-only", e.target.checked);
      result.querySelectorAll('[data-status="unchanged"]').forEach(function (n) { n.hidden = e.target.checked; });
    });
    tools.querySelectorAll("[data-jump]").forEach(function (btn) {
      btn.addEventListener("click", function () { jump(Number(btn.dataset.jump)); });
    });

    function shareable(d, x, y) {
      var url = new URL(location.href);
      url.search = "?" + new URLSearchParams({ doc: d, old: x, new: y }).toString();
      url.hash = "";
      return url.toString();
    }

    function compare() {
      var d = form.elements.document.value, x = form.elements.old.value, y = form.elements.new.value;
      status.textContent = rt.state() === "ready" ? "对照中" : "加载中（完成后自动对照）";
      return fetch(new URL(d + ".json", new URL(root.dataset.base, document.baseURI)))
        .then(function (r) {
          if (!r.ok) throw new Error("读不到 " + d + " 的版本数据（HTTP " + r.status + "）");
          return r.json();
        })
        .then(function (revs) {
          if (!revs.revisions[x] || !revs.revisions[y]) throw new Error(d + " 没有所选的版本");
          return rt.send({ type: "compare", old: JSON.stringify(revs.revisions[x]), new: JSON.stringify(revs.revisions[y]),
            oldLabel: "第 " + x + " 版", newLabel: "第 " + y + " 版" });
        })
        .then(function (answer) {
          if (answer.error) throw new Error(answer.error);
          // Built by our own Python from escaped text: every word passed through html.escape.
          result.innerHTML = answer.html;
          result.dataset.compared = d + ":" + x + "-" + y;
          position = -1;
          var only = tools.querySelector("[data-changed-only]");
          result.querySelectorAll('[data-status="unchanged"]').forEach(function (n) { n.hidden = only.checked; });
          tools.hidden = false;
          var link = shareable(d, x, y);
          tools.querySelector(".picker__link").href = link;
          if (history.replaceState) history.replaceState(history.state, "", link);
          root.querySelector(".picker__position").textContent = "共 " + changes().length + " 处修改";
          status.textContent = "就绪";
        })
        .catch(function (err) { status.textContent = "对照失败：" + err.message; });
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); compare(); });
    rt.boot(root.dataset.wheel).then(function () {
      root.dataset.state = "ready";
      if (problem) { status.textContent = problem; return; }
      compare();   // opens on a real change, or on the one in the link
    }, function (e) {
      root.dataset.state = "error";
      status.textContent = "出错：" + (e && e.message || e);
    });
    status.textContent = problem || "加载中";
    if (problem) root.dataset.problem = "true";
  }

  // For the tests: the same rule as the build's, checked against it.
  window.HandbookRevisions = { status: status, chinaToday: chinaToday, show: showStatus };

  function init() {
    var day = chinaToday();
    document.querySelectorAll("[data-revision-status]").forEach(function (s) { showStatus(s, day); });
    document.querySelectorAll("[data-changes-filter]").forEach(changeFilter);
    document.querySelectorAll("[data-point-in-time]").forEach(pointInTime);
    document.querySelectorAll("[data-revision-picker]").forEach(picker);
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/*
 * Revisions in the page: filtering the change register (变更通告), the point-in-time
 * page (时点查询) and the comparison picker (版本对照). The picker runs the same Python
 * redline as the build, in the calculators' worker (calculator.js).
 */
(function () {
  "use strict";

  function changeFilter(form) {
    var table = document.querySelector("[data-changes]");
    function apply() {
      var f = form.elements, shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var d = tr.dataset;
        var ok = (!f.document.value || d.document === f.document.value) &&
          (!f.part.value || d.part === f.part.value) &&
          (!f.from.value || d.released >= f.from.value) &&   // ISO dates compare as text
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
    form.elements.date.value = new Date().toISOString().slice(0, 10);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
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
          cell(inForce ? inForce.effective : "—"));
        body.append(tr);
      });
      table.hidden = false;
    });
  }

  function picker(root) {
    var data = JSON.parse(root.dataset.revisionPicker);
    var form = root.querySelector("form");
    var status = root.querySelector(".picker__status");
    var result = root.querySelector(".picker__result");
    var rt = window.handbookRuntime;
    rt.boot(root.dataset.wheel).then(function () {
      root.dataset.state = "ready";
      status.textContent = "就绪";
    }, function (e) {
      root.dataset.state = "error";
      status.textContent = "出错：" + e.message;
    });
    status.textContent = "加载中";

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
    options(form.elements.document, Object.keys(data).map(function (n) { return [n, n + " " + data[n].title]; }));
    if (!Object.keys(data).length) { status.textContent = "尚无已发布的版本"; return; }
    var wanted = new URLSearchParams(location.search);
    if (wanted.get("doc") && data[wanted.get("doc")]) form.elements.document.value = wanted.get("doc");
    versions();
    if (wanted.get("old")) form.elements.old.value = wanted.get("old");
    if (wanted.get("new")) form.elements.new.value = wanted.get("new");
    form.elements.document.addEventListener("change", versions);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var doc = form.elements.document.value, a = form.elements.old.value, b = form.elements.new.value;
      status.textContent = rt.state() === "ready" ? "对照中" : "加载中（完成后自动对照）";
      fetch(new URL(doc + ".json", new URL(root.dataset.base, document.baseURI)))
        .then(function (r) { return r.json(); })
        .then(function (revs) {
          return rt.send({ type: "compare", old: JSON.stringify(revs.revisions[a]), new: JSON.stringify(revs.revisions[b]),
            oldLabel: "第 " + a + " 版", newLabel: "第 " + b + " 版" });
        })
        .then(function (answer) {
          if (answer.error) throw new Error(answer.error);
          // Built by our own Python from escaped text: every word passed through html.escape.
          result.innerHTML = answer.html;
          result.dataset.compared = doc + ":" + a + "-" + b;
          status.textContent = "就绪";
        })
        .catch(function (err) { status.textContent = "对照失败：" + err.message; });
    });
  }

  function init() {
    document.querySelectorAll("[data-changes-filter]").forEach(changeFilter);
    document.querySelectorAll("[data-point-in-time]").forEach(pointInTime);
    document.querySelectorAll("[data-revision-picker]").forEach(picker);
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
